"""Deleting a verdict takes its entry in the timeline with it, whichever way
it is deleted (its admin page, the list's action, the shell), and the current
statuses follow what the timeline then says. An entry that says more than its
verdict (other people, another source) is not lost with it: the deletion is
refused, naming the entry, and nothing changes."""

import datetime

import pytest
from django.db.models import RestrictedError
from django.urls import reverse
from django.utils import translation

from cases import services
from cases.models import StatusChange, Verdict

from .conftest import cited, html_of, record

SENTENCED = "Verdict on Natalia Sokolova: convicted, imprisonment, 6 years"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def sokolova_case(make_case, make_person):
    return make_case(
        "Natalia Sokolova, the oil workers' lawyer",
        slug="sokolova",
        people=[make_person("Natalia Sokolova", slug="natalia-sokolova")],
    )


@pytest.fixture
def sokolova(sokolova_case):
    return sokolova_case.participants.get()


@pytest.fixture
def charged(sokolova_case):
    """The entry before the verdict: charged on 14 September 2011."""
    return record(sokolova_case, "charged", date=datetime.date(2011, 9, 14))


def verdict_on(participant, **fields):
    fields.setdefault("outcome", "convicted")
    fields.setdefault("date", datetime.date(2012, 8, 8))
    fields.setdefault("term_years", 6)
    fields.setdefault("sources", [cited()])
    return services.record_verdict(participant, **fields)


def assert_charged_again(case, charged):
    assert list(StatusChange.objects.all()) == [charged]
    case.refresh_from_db()
    assert case.participants.get().current_status == "charged"
    assert case.current_status == "charged"
    assert case.last_status_change_on == datetime.date(2011, 9, 14)


def test_deleting_a_verdict_deletes_its_entry_and_the_statuses_follow(
    sokolova_case, sokolova, charged
):
    verdict = verdict_on(sokolova)
    sokolova.refresh_from_db()
    assert sokolova.current_status == "sentenced"

    services.delete_verdicts([verdict])

    assert not Verdict.objects.exists()
    assert_charged_again(sokolova_case, charged)


@pytest.mark.parametrize("how", ["instance", "queryset"])
def test_a_verdict_deleted_outside_the_services_takes_its_entry_too(
    sokolova_case, sokolova, charged, how
):
    """A script or the shell deletes through Verdict.delete() or the
    queryset's delete(): its entry goes, and the statuses follow there too,
    not only through services.delete_verdicts()."""
    verdict = verdict_on(sokolova)
    sokolova.refresh_from_db()
    assert sokolova.current_status == "sentenced"
    if how == "instance":
        deleted = verdict.delete()
    else:
        deleted = Verdict.objects.filter(pk=verdict.pk).delete()
    assert deleted[1]["cases.Verdict"] == 1
    assert_charged_again(sokolova_case, charged)


def test_an_entry_recorded_by_hand_that_says_no_more_goes_with_its_verdict(
    sokolova_case, sokolova, charged
):
    by_hand = record(
        sokolova_case, "sentenced", date=datetime.date(2012, 8, 8), headline="Six years"
    )
    verdict = verdict_on(sokolova, term_years=6, sentence_kind="")
    by_hand.refresh_from_db()
    assert by_hand.verdict == verdict

    services.delete_verdicts([verdict])
    assert_charged_again(sokolova_case, charged)


def test_an_entry_that_concerns_other_people_keeps_the_verdict_from_being_deleted(
    make_case, make_person
):
    case = make_case(
        "Mother and daughter",
        people=[make_person("Natalia Sokolova"), make_person("Aigul Sokolova")],
    )
    both = record(case, "sentenced", date=datetime.date(2012, 8, 8), headline="Both sentenced")
    mother = case.participants.get(person__name="Natalia Sokolova")
    verdict = verdict_on(mother)
    both.refresh_from_db()
    assert both.verdict == verdict

    with pytest.raises(RestrictedError):
        services.delete_verdicts([verdict])
    assert Verdict.objects.get() == verdict
    assert StatusChange.objects.get(pk=both.pk).verdict == verdict
    assert set(case.participants.values_list("current_status", flat=True)) == {"sentenced"}


def test_an_entry_that_cites_another_source_keeps_the_verdict_from_being_deleted(
    sokolova_case, sokolova, make_source
):
    by_hand = record(
        sokolova_case,
        "sentenced",
        date=datetime.date(2012, 8, 8),
        headline="Six years",
        sources=[make_source("The court's press release")],
    )
    verdict = verdict_on(sokolova, term_years=6, sentence_kind="")
    with pytest.raises(RestrictedError):
        verdict.delete()
    assert StatusChange.objects.get().pk == by_hand.pk
    assert Verdict.objects.exists()


def test_deleting_the_case_still_takes_everything(make_case, make_person):
    case = make_case(people=[make_person("Natalia Sokolova"), make_person("Aigul Sokolova")])
    record(case, "sentenced", date=datetime.date(2012, 8, 8))
    verdict_on(case.participants.first())
    case.delete()
    assert not StatusChange.objects.exists()
    assert not Verdict.objects.exists()


# Through the admin, as a publisher (editors delete nothing).


def test_a_publisher_deletes_a_verdict_from_its_page_and_the_public_no_longer_reads_it(
    client, publisher, sokolova_case, sokolova, charged
):
    verdict = verdict_on(sokolova)
    assert SENTENCED in html_of(client.get("/cases/sokolova/"))
    url = reverse("admin:cases_verdict_delete", args=[verdict.pk])

    confirmation = html_of(client.get(url))
    assert "Status change:" in confirmation  # what will go with it
    assert SENTENCED in confirmation
    assert "protected" not in confirmation

    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Verdict.objects.exists()
    assert_charged_again(sokolova_case, charged)

    client.logout()
    for path in ["/cases/sokolova/", "/cases/sokolova/feed/", "/feed/"]:
        assert SENTENCED not in html_of(client.get(path)), path


def test_the_delete_page_names_an_entry_that_says_more_and_deletes_nothing(
    client, publisher, make_case, make_person
):
    case = make_case(people=[make_person("Natalia Sokolova"), make_person("Aigul Sokolova")])
    record(case, "sentenced", date=datetime.date(2012, 8, 8), headline="Both sentenced")
    verdict = verdict_on(case.participants.get(person__name="Natalia Sokolova"))
    url = reverse("admin:cases_verdict_delete", args=[verdict.pk])

    confirmation = html_of(client.get(url))
    assert "protected related objects" in confirmation
    assert "Both sentenced" in confirmation

    client.post(url, {"post": "yes"})
    assert Verdict.objects.get() == verdict
    assert StatusChange.objects.get().verdict == verdict


def test_the_list_s_action_deletes_verdicts_with_their_entries(
    client, publisher, sokolova_case, sokolova, charged
):
    verdict = verdict_on(sokolova)
    response = client.post(
        reverse("admin:cases_verdict_changelist"),
        {"action": "delete_selected", "_selected_action": [verdict.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Verdict.objects.exists()
    assert_charged_again(sokolova_case, charged)


def test_a_deleted_verdict_restored_from_its_history_comes_back_with_its_entry(
    client, publisher, sokolova_case, sokolova, charged
):
    """The history of a deleted verdict offers its last version to restore
    (simple_history's form at .../history/<version>/): the verdict that comes
    back is in the timeline again and its person's status follows, as when
    it was recorded, not shown on the case's page beside a timeline that
    says the person is only charged."""
    verdict = verdict_on(sokolova)
    pk, version = verdict.pk, verdict.history.latest()
    client.post(reverse("admin:cases_verdict_delete", args=[pk]), {"post": "yes"})
    assert_charged_again(sokolova_case, charged)

    url = reverse("admin:cases_verdict_simple_history", args=[pk, version.history_id])
    form = client.get(url).context["adminform"].form
    data = {field.html_name: field.value() for field in form if field.value() is not None}
    response = client.post(url, data)

    assert response.status_code == 302
    restored = Verdict.objects.get()
    assert StatusChange.objects.filter(verdict=restored).exists()
    sokolova.refresh_from_db()
    assert sokolova.current_status == "sentenced"


@pytest.mark.django_db(transaction=True)
def test_the_entry_of_a_deleted_verdict_restored_from_its_history_is_no_500(
    client, publisher, sokolova_case, sokolova, charged
):
    """The entry went with its verdict, and its history offers its last
    version to restore: that version names the deleted verdict. Restored,
    it must come back as an entry of its own (as an entry whose verdict was
    deleted was before migration 0032), not fail at the commit with a
    foreign key to no verdict (a 500, on SQLite and PostgreSQL alike)."""
    verdict = verdict_on(sokolova)
    entry = StatusChange.objects.get(verdict=verdict)
    pk, version = entry.pk, entry.history.latest()
    client.post(reverse("admin:cases_verdict_delete", args=[verdict.pk]), {"post": "yes"})
    assert not StatusChange.objects.filter(pk=pk).exists()

    url = reverse("admin:cases_statuschange_simple_history", args=[pk, version.history_id])
    form = client.get(url).context["adminform"].form
    data = {field.html_name: field.value() for field in form if field.value() is not None}
    response = client.post(url, data)

    assert response.status_code == 302
    restored = StatusChange.objects.get(pk=pk)
    assert restored.verdict is None
    assert restored.headline == SENTENCED
