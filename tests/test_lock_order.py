"""One lock order, the case first, for every write to a case's timeline and
facts: an editor saving a verdict (or its entry in the timeline) on its page
while someone deletes that verdict must not deadlock on PostgreSQL.

Before: the admin's form locked the verdict's (or entry's) row to check for a
stale form, then the services locked the case; services.delete_verdicts()
locks the case, then deletes the verdict and its entry. Each held what the
other waited for, and PostgreSQL broke the deadlock by failing one of them
(a 500 for the editor, or the deletion refused)."""

import contextlib
import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from cases import services
from cases.admin import StatusChangeAdmin, VerdictAdmin
from cases.models import StatusChange, Verdict

from .conftest import cited, form_data, record

needs_row_locks = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="races are tested on PostgreSQL, whose row locks the site relies on",
)


@pytest.fixture
def verdict(make_case, make_person):
    case = make_case("Natalia Sokolova", people=[make_person("Natalia Sokolova")])
    record(case, "charged", date=datetime.date(2011, 9, 14))
    return services.record_verdict(
        case.participants.get(),
        outcome="convicted",
        date=datetime.date(2012, 8, 8),
        term_years=6,
        sources=[cited()],
    )


@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", ["verdict", "entry"])
def test_a_verdict_saved_on_its_page_while_it_is_deleted_does_not_deadlock(
    client, publisher, verdict, page, monkeypatch
):
    """The deletion locks the case and waits there, up to 3 s, for the
    editor's save to hold what it locks before saving (its check for a stale
    form). With the verdict's (or entry's) row locked there before the case,
    both then waited for each other: PostgreSQL detected a deadlock and
    failed one. With the case first, the save waits for the deletion, then
    refuses to save over a verdict deleted since, and nothing is half done."""
    entry = StatusChange.objects.get(verdict=verdict)
    admin_class, url = {
        "verdict": (VerdictAdmin, reverse("admin:cases_verdict_change", args=[verdict.pk])),
        "entry": (StatusChangeAdmin, reverse("admin:cases_statuschange_change", args=[entry.pk])),
    }[page]
    data = form_data(client.get(url))
    if page == "verdict":
        data["sentence_note"] = "In a general-regime colony."
    else:
        data["description_en"] = "The court in Zhanaozen."
    both_locked = threading.Barrier(2)

    def wait_for_the_other():
        with contextlib.suppress(threading.BrokenBarrierError):
            both_locked.wait(timeout=3)

    save_model = admin_class.save_model

    def save_model_once_both_locked(self, request, obj, form, change):
        wait_for_the_other()  # the form's check has locked what it locks
        return save_model(self, request, obj, form, change)

    locked = services._locked

    def locked_then_wait(pks):
        cases = locked(pks)
        if threading.current_thread().name == "deletion":
            wait_for_the_other()
        return cases

    monkeypatch.setattr(admin_class, "save_model", save_model_once_both_locked)
    monkeypatch.setattr(services, "_locked", locked_then_wait)
    errors = []

    def delete():
        try:
            services.delete_verdicts([Verdict.objects.get(pk=verdict.pk)])
        except BaseException as error:  # noqa: BLE001 (reported in the main thread)
            errors.append(error)
        finally:
            connection.close()

    # The deletion locks the case first; then the editor's save comes.
    deletion = threading.Thread(target=delete, name="deletion")
    deletion.start()
    try:
        response = client.post(url, data)
    except Exception as error:  # noqa: BLE001 (a 500: the test client raises it)
        errors.append(error)
        response = None
    deletion.join(timeout=30)

    assert not deletion.is_alive()
    assert errors == []
    # The deletion went first (it held the case); the editor's form, checked
    # once it could lock the case, finds the verdict gone, and says so.
    assert response.status_code == 200, response
    assert response.context["errors"], "the save is refused, not made over a deleted verdict"
    assert not Verdict.objects.exists()
    assert list(StatusChange.objects.values_list("status", flat=True)) == ["charged"]
    participant = verdict.case.participants.get()
    assert participant.current_status == "charged"


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_a_verdict_restored_while_its_source_is_deleted_is_restored_without_it(
    client, publisher, verdict, monkeypatch
):
    """An editor restores a deleted verdict while another deletes the source
    it cited (nothing else cites it any more). The restore found the source
    there and linked it again, and the first of the two to commit made the
    other fail on the database's check of the link: a 500. Now the restore
    waits for the deletion, and brings the verdict back without the source,
    saying so."""
    from django.contrib.messages import get_messages
    from django.db import transaction

    from cases.models import Source, VerdictSource

    ruling = Source.objects.create(url="https://example.org/ruling", title="The ruling")
    VerdictSource.objects.filter(verdict=verdict).delete()
    VerdictSource.objects.create(verdict=verdict, source=ruling)
    StatusChange.objects.get(verdict=verdict).source_links.all().delete()
    StatusChange.objects.get(verdict=verdict).source_links.create(source=ruling)
    pk, version = verdict.pk, verdict.history.latest().history_id
    client.post(reverse("admin:cases_verdict_delete", args=[pk]), {"post": "yes"})
    assert not Verdict.objects.exists()

    both_there = threading.Barrier(2)
    deleted = threading.Event()

    def wait_for_the_other():
        with contextlib.suppress(threading.BrokenBarrierError):
            both_there.wait(timeout=3)

    save = VerdictSource.save

    def save_then_wait(self, *args, **kwargs):
        save(self, *args, **kwargs)
        wait_for_the_other()  # the link inserted, its check at the commit

    monkeypatch.setattr(VerdictSource, "save", save_then_wait)
    errors = []

    def delete_the_source():
        try:
            with transaction.atomic():
                Source.objects.filter(pk=ruling.pk).delete()
                deleted.set()
                wait_for_the_other()
        except BaseException as error:  # noqa: BLE001 (reported in the main thread)
            errors.append(error)
        finally:
            deleted.set()
            connection.close()

    deletion = threading.Thread(target=delete_the_source, name="deletion")
    deletion.start()
    assert deleted.wait(timeout=10)
    url = reverse("admin:cases_verdict_simple_history", args=[pk, version])
    form = client.get(url).context["adminform"].form
    data = {field.html_name: field.value() for field in form if field.value() is not None}
    try:
        response = client.post(url, data)
    except Exception as error:  # noqa: BLE001 (a 500: the test client raises it)
        errors.append(error)
        response = None
    deletion.join(timeout=30)

    assert not deletion.is_alive()
    assert errors == []
    assert response.status_code == 302
    assert not Source.objects.filter(pk=ruling.pk).exists()
    assert list(Verdict.objects.get(pk=pk).sources.all()) == []
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert "“The ruling” was not brought back: the source was deleted since." in told
