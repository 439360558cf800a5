"""Releases, detentions and verdicts agree (issue 15).

A status change that says its people are free (released, acquitted, charges
dropped, died in custody, deceased) ends their open detentions in the case at
its date, whichever path records it: the service, the admin's correction of
an entry, a restore. A release dated before an open detention began is
refused with words, unless a later entry tells of that person; an open
detention cannot begin by the date of a release that is its person's latest
entry. A verdict has one entry in the timeline, and so in the feeds."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection  # noqa: F401 (the skipif condition)
from django.utils import translation

from cases import services
from cases.models import (
    DatePrecision,
    Detention,
    Organisation,
    Person,
    StatusChange,
    Verdict,
)

from .conftest import cited, detain, record

SEPTEMBER_2011 = datetime.date(2011, 9, 1)


@pytest.fixture(autouse=True)
def _in_english():
    """The messages and dates these tests read are the English ones."""
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
def held(sokolova_case, sokolova):
    """Held since 14 September 2011, in pre-trial detention."""
    return detain(sokolova_case, sokolova.person, datetime.date(2011, 9, 14))


def test_a_release_ends_the_open_detention_at_its_date(sokolova_case, held):
    assert list(Person.objects.held_now()) == [held.participant.person]

    record(sokolova_case, "released", date=datetime.date(2012, 3, 1), headline="Released")

    held.refresh_from_db()
    assert (held.end, held.end_precision) == (datetime.date(2012, 3, 1), DatePrecision.DAY)
    assert not Person.objects.held_now().exists()
    assert held.history.count() == 2  # the end is an edit the history keeps


@pytest.mark.parametrize(
    "status", ["released", "acquitted", "charges_dropped", "died_in_custody", "deceased"]
)
def test_every_status_that_says_a_person_is_free_ends_their_detention(sokolova_case, held, status):
    record(sokolova_case, status, date=datetime.date(2012, 3, 1))
    held.refresh_from_db()
    assert held.end == datetime.date(2012, 3, 1)


@pytest.mark.parametrize("status", ["charged", "on_trial", "in_exile", "sentenced", "unknown"])
def test_other_statuses_leave_the_detention_open(sokolova_case, held, status):
    record(sokolova_case, status, date=datetime.date(2012, 3, 1))
    held.refresh_from_db()
    assert held.end is None


def test_a_release_known_to_the_month_of_the_arrest_ends_it_at_that_month(sokolova_case, held):
    record(
        sokolova_case,
        "released",
        date=datetime.date(2011, 9, 1),
        date_precision=DatePrecision.MONTH,
    )
    held.refresh_from_db()
    assert (held.end, held.end_precision) == (SEPTEMBER_2011, DatePrecision.MONTH)
    assert held.end_display == "September 2011"
    held.full_clean()


def test_a_release_before_the_detention_began_is_refused_and_changes_nothing(sokolova_case, held):
    with pytest.raises(ValidationError) as refused:
        record(sokolova_case, "released", date=datetime.date(2011, 9, 10))
    assert "Natalia Sokolova is held since 14 September 2011, after 10 September 2011" in str(
        refused.value
    )
    assert not StatusChange.objects.exists()
    held.refresh_from_db()
    assert held.end is None
    assert sokolova_case.participants.get().current_status == ""


def test_an_earlier_release_is_recorded_for_someone_held_again_since(sokolova_case, sokolova):
    """Released in 2012, arrested again in 2015 (the timeline says so): the
    release of 2012, recorded afterwards, leaves the arrest of 2015 open."""
    again = detain(sokolova_case, sokolova.person, datetime.date(2015, 5, 5))
    record(sokolova_case, "pre_trial_detention", date=datetime.date(2015, 5, 5))
    record(sokolova_case, "released", date=datetime.date(2012, 3, 1))
    again.refresh_from_db()
    assert again.end is None
    sokolova.refresh_from_db()
    assert sokolova.current_status == "pre_trial_detention"


def test_an_open_detention_cannot_begin_before_the_release_the_timeline_ends_with(
    sokolova_case, sokolova
):
    record(sokolova_case, "released", date=datetime.date(2012, 3, 1))

    with pytest.raises(ValidationError) as refused:
        detain(sokolova_case, sokolova.person, datetime.date(2011, 9, 14))
    assert "The timeline says that Natalia Sokolova was released on 1 March 2012" in " ".join(
        refused.value.message_dict["end"]
    )
    assert not Detention.objects.exists()

    # With its end, or as a new arrest after the release, it is recorded.
    detain(
        sokolova_case, sokolova.person, datetime.date(2011, 9, 14), end=datetime.date(2012, 3, 1)
    )
    detain(sokolova_case, sokolova.person, datetime.date(2013, 1, 10))
    assert Person.objects.held_now().count() == 1


def test_ending_a_detention_by_a_release_records_it_in_the_timeline(sokolova_case, held):
    services.end_detention(held, end=datetime.date(2012, 3, 1), released=True)

    change = StatusChange.objects.get()
    assert (change.status, change.date, change.headline) == (
        "released",
        datetime.date(2012, 3, 1),
        "Natalia Sokolova released",
    )
    assert list(change.sources.all()) == list(held.sources.all())
    assert list(change.participants.all()) == [held.participant]
    assert sokolova_case.participants.get().current_status == "released"


def test_a_move_to_another_kind_of_detention_records_no_release(sokolova_case, held):
    services.end_detention(held, end=datetime.date(2011, 9, 16))
    assert not StatusChange.objects.exists()


def test_releases_recorded_before_the_rule_end_the_detentions_they_left_open(sokolova_case, held):
    from importlib import import_module

    record(sokolova_case, "released", date=datetime.date(2012, 3, 1))
    Detention.objects.filter(pk=held.pk).update(end=None)  # as before migration 0029
    migration = import_module("cases.migrations.0029_fact_participant_in_case")
    migration.end_detentions_left_open_by_releases(apps, None)
    held.refresh_from_db()
    assert held.end == datetime.date(2012, 3, 1)


# Verdicts in the timeline


def verdict_on(participant, **fields):
    fields.setdefault("outcome", "convicted")
    fields.setdefault("date", datetime.date(2012, 8, 8))
    fields.setdefault("sources", [cited()])
    return services.record_verdict(participant, **fields)


def test_a_verdict_is_recorded_with_its_entry_in_the_timeline(sokolova_case, held):
    verdict = verdict_on(held.participant, term_years=6, regime="general")

    change = StatusChange.objects.get()
    assert change.verdict == verdict
    assert change.status == "imprisoned"  # held when sentenced to prison
    assert change.headline == (
        "Verdict on Natalia Sokolova: convicted, imprisonment, 6 years, general regime"
    )
    assert (change.date, change.date_precision) == (verdict.date, verdict.date_precision)
    assert list(change.sources.all()) == list(verdict.sources.all())
    assert sokolova_case.participants.get().current_status == "imprisoned"
    assert services.verdict_in_timeline(verdict) == change
    assert StatusChange.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"term_years": 2}, "sentenced"),
        ({"sentence_kind": "suspended", "term_years": 2}, "suspended_sentence"),
        ({"sentence_kind": "fine"}, "fined"),
        ({"sentence_kind": "corrective_labour", "term_months": 6}, "restricted_freedom"),
        ({"outcome": "acquitted"}, "acquitted"),
    ],
)
def test_a_verdict_s_entry_says_where_the_person_stands_after_it(sokolova, fields, status):
    verdict_on(sokolova, **fields)
    assert StatusChange.objects.get().status == status


def test_an_acquittal_ends_the_detention_as_a_release_does(held):
    verdict_on(held.participant, outcome="acquitted")
    held.refresh_from_db()
    assert held.end == datetime.date(2012, 8, 8)
    assert not Person.objects.held_now().exists()


def test_appeals_upheld_and_quashed_have_their_entries_too(sokolova):
    first = verdict_on(sokolova, term_years=2)
    upheld = verdict_on(
        sokolova, outcome="upheld", appeal_of=first, date=datetime.date(2012, 10, 1)
    )
    quashed = verdict_on(
        sokolova, outcome="quashed", appeal_of=upheld, date=datetime.date(2013, 2, 1)
    )
    assert [(c.verdict, c.status) for c in StatusChange.objects.chronological()] == [
        (first, "sentenced"),
        (upheld, "sentenced"),
        (quashed, "charged"),
    ]


def test_an_entry_recorded_by_hand_is_the_verdict_s_entry_not_a_second_one(sokolova_case, sokolova):
    by_hand = record(
        sokolova_case,
        "sentenced",
        date=datetime.date(2012, 8, 1),
        date_precision=DatePrecision.MONTH,
        headline="Sentenced to two years",
    )
    verdict = verdict_on(sokolova, term_years=2)
    assert StatusChange.objects.get() == by_hand
    by_hand.refresh_from_db()
    assert by_hand.verdict == verdict


def test_an_editor_may_name_the_verdict_s_entry_and_a_wrong_one_is_refused(
    sokolova_case, sokolova, make_case, make_person
):
    named = record(sokolova_case, "convicted", date=datetime.date(2012, 8, 9), headline="Guilty")
    verdict = verdict_on(sokolova, term_years=2, status_change=named)
    assert StatusChange.objects.get().verdict == verdict

    other = make_case("Another case", people=[make_person("Ainur Kurmanov")])
    elsewhere = record(other, "convicted", date=datetime.date(2012, 8, 9))
    with pytest.raises(ValidationError, match="must be one of its case"):
        verdict_on(sokolova, term_years=3, status_change=elsewhere)
    assert Verdict.objects.count() == 1


def test_a_verdict_in_a_published_case_is_in_the_feeds(client, sokolova_case, sokolova):
    court = Organisation.objects.create(name="Aktau city court", slug="aktau", kind="court")
    verdict_on(sokolova, term_years=6, court=court)
    headline = "Verdict on Natalia Sokolova: convicted, imprisonment, 6 years"
    for path in ["/feed/", "/cases/sokolova/feed/", "/countries/kz/feed/"]:
        assert client.get(path).content.decode().count(headline) == 1, path


# Two editors at once: the release and the detention are applied one after the
# other (both lock the case's row), so the later one sees the earlier.


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="races are tested on PostgreSQL, whose row locks the site relies on",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["release", "detention"])
def test_a_release_and_a_detention_recorded_at_once_agree(sokolova_case, sokolova, first):
    from django.db import transaction

    from .test_record_integrity import _in_a_thread

    def release():
        with translation.override("en"):
            return record(sokolova_case, "released", date=datetime.date(2012, 3, 1))

    def detention():
        with translation.override("en"):
            return detain(sokolova_case, sokolova.person, datetime.date(2011, 9, 14))

    second = detention if first == "release" else release
    with transaction.atomic():
        (release if first == "release" else detention)()
        thread, outcome = _in_a_thread(second)
        thread.join(timeout=1)
        assert thread.is_alive(), "the second was recorded while the first was not committed"
    thread.join(timeout=30)

    if first == "release":
        assert "The timeline says that Natalia Sokolova was released" in str(outcome["error"])
        assert not Detention.objects.exists()
    else:
        assert "error" not in outcome, outcome.get("error")
        assert Detention.objects.get().end == datetime.date(2012, 3, 1)
    assert not Person.objects.held_now().exists()
