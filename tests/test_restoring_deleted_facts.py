"""A verdict, a timeline entry or a detention deleted, then restored from its
history, comes back with the links deleted with it: its sources, its
articles, the people an entry concerns (services.restore_deleted_links()).
A link whose other end was deleted since is skipped, and the editor told."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from cases import services
from cases.models import (
    CaseCharge,
    Detention,
    DetentionSource,
    Source,
    StatusChange,
    Verdict,
    VerdictCharge,
    VerdictSource,
)

from .conftest import cited, detain, form_data, record


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(make_case, make_person, samoupravstvo):
    case = make_case("Natalia Sokolova", people=[make_person("Natalia Sokolova")])
    CaseCharge.objects.create(case=case, charge=samoupravstvo)
    record(case, "charged", date=datetime.date(2011, 9, 14))
    return case


def restore(client, model, pk, version):
    """Open the version on the object's history page and click its save button."""
    url = reverse(f"admin:cases_{model._meta.model_name}_simple_history", args=[pk, version])
    form = client.get(url).context["adminform"].form
    data = {field.html_name: field.value() for field in form if field.value() is not None}
    return client.post(url, data)


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_deleted_verdict_comes_back_with_its_sources_and_articles(
    client, publisher, case, samoupravstvo, make_source
):
    report = make_source("The court's ruling")
    verdict = services.record_verdict(
        case.participants.get(),
        outcome="convicted",
        date=datetime.date(2012, 8, 8),
        term_years=6,
        sources=[report],
    )
    VerdictCharge.objects.create(verdict=verdict, charge=samoupravstvo)
    pk, version = verdict.pk, verdict.history.latest().history_id
    client.post(reverse("admin:cases_verdict_delete", args=[pk]), {"post": "yes"})
    assert not VerdictSource.objects.exists()

    response = restore(client, Verdict, pk, version)

    assert response.status_code == 302
    restored = Verdict.objects.get(pk=pk)
    assert list(restored.sources.all()) == [report]
    assert [link.charge for link in restored.charge_links.all()] == [samoupravstvo]
    entry = StatusChange.objects.get(verdict=restored)
    assert list(entry.sources.all()) == [report]  # the entry cites what the verdict does
    assert case.participants.get().current_status == "sentenced"
    assert any("Brought back with it" in message for message in said(response))


def test_a_source_deleted_since_is_skipped_and_the_editor_told(client, publisher, case):
    gone = Source.objects.create(url="https://example.org/gone", title="A page taken down")
    detention = detain(case, case.participants.get().person, datetime.date(2011, 10, 3))
    DetentionSource.objects.create(detention=detention, source=gone)
    pk, version = detention.pk, detention.history.latest().history_id
    client.post(reverse("admin:cases_detention_delete", args=[pk]), {"post": "yes"})
    gone.delete()  # nothing cites it any more

    response = restore(client, Detention, pk, version)

    assert response.status_code == 302
    restored = Detention.objects.get(pk=pk)
    assert list(restored.sources.all()) == [cited()]
    assert "“A page taken down” was not brought back: the source was deleted since." in said(
        response
    )


def test_a_source_unticked_before_the_deletion_stays_away(client, publisher, case, make_source):
    dropped = make_source("A wrong report")
    detention = detain(case, case.participants.get().person, datetime.date(2011, 10, 3))
    link = DetentionSource.objects.create(detention=detention, source=dropped)
    link_pk = link.pk
    link.delete()
    # An hour later, the detention itself is deleted.
    deletion = DetentionSource.history.filter(id=link_pk, history_type="-")
    earlier = deletion.get().history_date - datetime.timedelta(hours=1)
    deletion.update(history_date=earlier, history_user=publisher)  # by the same editor
    pk, version = detention.pk, detention.history.latest().history_id
    client.post(reverse("admin:cases_detention_delete", args=[pk]), {"post": "yes"})

    restore(client, Detention, pk, version)

    assert list(Detention.objects.get(pk=pk).sources.all()) == [cited()]


def test_a_deleted_entry_comes_back_with_its_people_and_sources_and_the_statuses_follow(
    client, publisher, case
):
    detained = record(case, "pre_trial_detention", date=datetime.date(2011, 10, 3))
    pk, version = detained.pk, detained.history.latest().history_id
    client.post(reverse("admin:cases_statuschange_delete", args=[pk]), {"post": "yes"})
    assert case.participants.get().current_status == "charged"

    response = restore(client, StatusChange, pk, version)

    assert response.status_code == 302
    restored = StatusChange.objects.get(pk=pk)
    assert list(restored.participants.all()) == [case.participants.get()]
    assert list(restored.sources.all()) == [cited()]
    assert case.participants.get().current_status == "pre_trial_detention"
    case.refresh_from_db()
    assert case.current_status == "pre_trial_detention"


def test_restoring_a_version_of_a_fact_never_deleted_changes_no_link(
    client, publisher, case, make_source
):
    detention = detain(case, case.participants.get().person, datetime.date(2011, 10, 3))
    version = detention.history.latest().history_id
    DetentionSource.objects.filter(detention=detention).delete()
    DetentionSource.objects.create(detention=detention, source=make_source("A later report"))

    restore(client, Detention, detention.pk, version)

    assert [s.title for s in detention.sources.all()] == ["A later report"]


def test_a_source_unticked_a_moment_before_the_deletion_stays_away(
    client, publisher, case, make_source
):
    """The editor unticks a wrong source on the detention's page, saves, and a
    few seconds later deletes the detention: restored, it comes back without
    the source that was taken away before the deletion (the unticking saves
    the detention first, then deletes the link: after that save, within
    DELETED_WITH of the deletion)."""
    dropped = make_source("A wrong report")
    detention = detain(case, case.participants.get().person, datetime.date(2011, 10, 3))
    DetentionSource.objects.create(detention=detention, source=dropped)
    url = reverse("admin:cases_detention_change", args=[detention.pk])
    data = form_data(client.get(url))
    data["cited"] = [str(cited().pk)]  # the wrong report unticked
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(detention.sources.all()) == [cited()]
    pk, version = detention.pk, detention.history.latest().history_id
    client.post(reverse("admin:cases_detention_delete", args=[pk]), {"post": "yes"})

    restore(client, Detention, pk, version)

    assert list(Detention.objects.get(pk=pk).sources.all()) == [cited()]


def test_an_entry_whose_only_person_left_the_case_is_not_brought_back_concerning_nobody(
    client, publisher, case, make_person
):
    """Every other path refuses an entry of the timeline that concerns no one
    (services._checked()); a restored one whose person was taken off the case
    since must not come back as one."""
    other = case.participants.create(person=make_person("Aigul Example"), role="accused")
    entry = record(case, "charged", date=datetime.date(2011, 10, 3), participants=[other])
    pk, version = entry.pk, entry.history.latest().history_id
    client.post(reverse("admin:cases_statuschange_delete", args=[pk]), {"post": "yes"})
    other.delete()  # nothing in the timeline names her any more: she may leave the case

    response = restore(client, StatusChange, pk, version)

    assert response.status_code in (200, 302)
    restored = StatusChange.objects.filter(pk=pk).first()
    assert restored is None or restored.participants.exists()
    assert restored is None  # refused, and nothing of it kept
    assert StatusChange.history.filter(id=pk).latest().history_type == "-"
    assert (
        "The status change was not restored: none of the people it concerned is in the case "
        "any more. Record a new one for the people in the case." in said(response)
    )
    assert "3 October 2011" not in client.get(case.get_absolute_url()).text


def test_a_person_taken_off_an_entry_a_moment_before_its_deletion_stays_away(
    client, publisher, case, make_person
):
    other = case.participants.create(person=make_person("Aigul Example"), role="accused")
    entry = record(case, "pre_trial_detention", date=datetime.date(2011, 10, 3))
    assert entry.participants.count() == 2
    url = reverse("admin:cases_statuschange_change", args=[entry.pk])
    data = form_data(client.get(url))
    prefix = next(
        key.removesuffix("-TOTAL_FORMS")
        for key in data
        if key.endswith("-TOTAL_FORMS") and "participant" in key
    )
    row = next(
        i
        for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))
        if data[f"{prefix}-{i}-participant"] == str(other.pk)
    )
    data[f"{prefix}-{row}-DELETE"] = "on"  # she was not held: taken off the entry
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(entry.participants.all()) == [
        case.participants.get(person__name="Natalia Sokolova")
    ]
    pk, version = entry.pk, entry.history.latest().history_id
    client.post(reverse("admin:cases_statuschange_delete", args=[pk]), {"post": "yes"})

    restore(client, StatusChange, pk, version)

    restored = StatusChange.objects.get(pk=pk)
    assert [p.person.name for p in restored.participants.all()] == ["Natalia Sokolova"]


def test_restoring_the_entry_of_a_verdict_restored_already_is_not_a_server_error(
    client, publisher, case, samoupravstvo
):
    """The verdict restored first comes back with an entry of its own
    (verdict_in_timeline()); its old entry, restored next from the list of
    deleted entries, names the same verdict, which has an entry already."""
    verdict = services.record_verdict(
        case.participants.get(),
        outcome="convicted",
        date=datetime.date(2012, 8, 8),
        term_years=6,
        sources=[cited()],
    )
    entry = StatusChange.objects.get(verdict=verdict)
    pk, version = verdict.pk, verdict.history.latest().history_id
    entry_pk, entry_version = entry.pk, entry.history.latest().history_id
    client.post(reverse("admin:cases_verdict_delete", args=[pk]), {"post": "yes"})
    assert not StatusChange.objects.filter(pk=entry_pk).exists()  # deleted with its verdict
    assert restore(client, Verdict, pk, version).status_code == 302

    response = restore(client, StatusChange, entry_pk, entry_version)

    assert response.status_code in (200, 302)
    assert StatusChange.objects.filter(verdict_id=pk).count() == 1
    assert not StatusChange.objects.filter(pk=entry_pk).exists()  # refused, nothing kept
    [told] = [message for message in said(response) if "was not restored" in message]
    assert told.startswith(
        "The status change was not restored: its verdict, restored since, has its own entry"
    )


def test_an_entry_whose_every_source_was_deleted_since_is_not_brought_back_citing_nothing(
    client, publisher, case
):
    """Every entry of a timeline cites a source (services._checked(), the
    entry's page): one whose sources were all deleted since its deletion does
    not come back citing none, on a published case's public timeline."""
    gone = Source.objects.create(url="https://example.org/gone", title="A page taken down")
    entry = record(case, "pre_trial_detention", date=datetime.date(2011, 10, 3), sources=[gone])
    pk, version = entry.pk, entry.history.latest().history_id
    client.post(reverse("admin:cases_statuschange_delete", args=[pk]), {"post": "yes"})
    gone.delete()  # nothing cites it any more

    response = restore(client, StatusChange, pk, version)

    assert response.status_code in (200, 302)
    restored = StatusChange.objects.filter(pk=pk).first()
    assert restored is None or restored.sources.exists()
    assert restored is None  # refused, and nothing of it kept
    assert (
        "The status change was not restored: every source it cited was deleted since. "
        "Record a new one, citing a source." in said(response)
    )
