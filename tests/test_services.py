"""record_status_change() keeps the current statuses of a case and its people true."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, CaseParticipant, StatusChange
from cases.services import record_status_change, update_current_statuses

from .conftest import cited


@pytest.fixture
def four_activists(make_case, make_person):
    people = [
        make_person(name)
        for name in (
            "Ainur Kurmanov",
            "Esenbek Ukteshbayev",
            "Kulzhan Sailybaeva",
            "Nuosulu Sailybaeva",
        )
    ]
    case = make_case("Samoupravstvo charges", people=people)
    return case, {p.person.name: p for p in case.participants.select_related("person")}


def current(case):
    case.refresh_from_db()
    statuses = dict(
        CaseParticipant.objects.filter(case=case).values_list("person__name", "current_status")
    )
    return case.current_status, statuses


def test_recording_a_status_change_updates_the_people_it_concerns_and_the_case(four_activists):
    case, people = four_activists

    record_status_change(
        case,
        participants=[people["Ainur Kurmanov"], people["Esenbek Ukteshbayev"]],
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="Status changed from witnesses to suspects",
        sources=[cited()],
    )

    case_status, statuses = current(case)
    assert case_status == "suspect"
    assert statuses == {
        "Ainur Kurmanov": "suspect",
        "Esenbek Ukteshbayev": "suspect",
        "Kulzhan Sailybaeva": "",
        "Nuosulu Sailybaeva": "",
    }
    assert case.last_status_change_on == datetime.date(2011, 9, 14)


def test_a_later_change_for_one_person_leaves_the_others_as_they_were(four_activists):
    case, people = four_activists
    record_status_change(
        case,
        participants=people.values(),
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="Suspects",
        sources=[cited()],
    )
    record_status_change(
        case,
        participants=[people["Nuosulu Sailybaeva"]],
        status="charged",
        date=datetime.date(2011, 9, 30),
        headline="Charged",
        sources=[cited()],
    )

    case_status, statuses = current(case)
    assert case_status == "charged"
    assert statuses["Nuosulu Sailybaeva"] == "charged"
    assert statuses["Kulzhan Sailybaeva"] == "suspect"


def test_a_backdated_entry_does_not_overwrite_a_newer_status(four_activists):
    case, people = four_activists
    kurmanov = people["Ainur Kurmanov"]
    record_status_change(
        case,
        participants=[kurmanov],
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="a",
        sources=[cited()],
    )
    record_status_change(
        case,
        participants=[kurmanov],
        status="witness",
        date=datetime.date(2011, 6, 1),
        headline="b",
        sources=[cited()],
    )

    case_status, statuses = current(case)
    assert statuses["Ainur Kurmanov"] == "suspect"
    assert case_status == "suspect"
    assert case.last_status_change_on == datetime.date(2011, 9, 14)


def test_two_entries_on_the_same_day_follow_the_order_they_were_recorded_in(four_activists):
    case, people = four_activists
    kurmanov = people["Ainur Kurmanov"]
    day = datetime.date(2011, 10, 3)
    record_status_change(
        case, participants=[kurmanov], status="charged", date=day, headline="a", sources=[cited()]
    )
    record_status_change(
        case,
        participants=[kurmanov],
        status="pre_trial_detention",
        date=day,
        headline="b",
        sources=[cited()],
    )

    assert current(case)[1]["Ainur Kurmanov"] == "pre_trial_detention"


def test_a_status_change_without_people_is_refused_and_nothing_is_saved(four_activists):
    case, _ = four_activists
    with pytest.raises(ValidationError, match="at least one person"):
        record_status_change(
            case,
            participants=[],
            status="charged",
            date=datetime.date(2011, 9, 30),
            headline="x",
            sources=[cited()],
        )
    assert not StatusChange.objects.exists()


def test_a_person_from_another_case_is_refused_and_nothing_is_saved(
    four_activists, make_case, make_person
):
    case, people = four_activists
    zhovtis_case = make_case(people=[make_person("Evgeniy Zhovtis")])
    stranger = zhovtis_case.participants.get()

    with pytest.raises(ValidationError, match="Evgeniy Zhovtis is not in this case"):
        record_status_change(
            case,
            participants=[people["Ainur Kurmanov"], stranger],
            status="charged",
            date=datetime.date(2011, 9, 30),
            headline="Charged",
            sources=[cited()],
        )
    assert not StatusChange.objects.exists()
    assert current(case)[1]["Ainur Kurmanov"] == ""


def test_an_invalid_entry_changes_no_status(four_activists):
    case, people = four_activists
    with pytest.raises(ValidationError):
        record_status_change(
            case,
            participants=[people["Ainur Kurmanov"]],
            status="not-a-status",
            date=datetime.date(2011, 9, 30),
            headline="Charged",
            sources=[cited()],
        )
    assert not StatusChange.objects.exists()
    assert current(case) == ("", dict.fromkeys(people, ""))


def test_the_entry_keeps_its_people_and_sources(four_activists, make_source):
    case, people = four_activists
    article = make_source("Kazakhstan: Dictatorial regime threatens socialist activists")
    change = record_status_change(
        case,
        participants=[people["Ainur Kurmanov"]],
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="Suspects",
        sources=[article, article],
    )
    assert list(change.sources.all()) == [article]
    assert [p.person.name for p in change.participants.all()] == ["Ainur Kurmanov"]


def test_deleting_an_entry_and_updating_brings_statuses_back(four_activists):
    case, people = four_activists
    kurmanov = people["Ainur Kurmanov"]
    record_status_change(
        case,
        participants=[kurmanov],
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="a",
        sources=[cited()],
    )
    mistake = record_status_change(
        case,
        participants=[kurmanov],
        status="released",
        date=datetime.date(2011, 9, 20),
        headline="b",
        sources=[cited()],
    )

    mistake.delete()
    update_current_statuses(Case.objects.get(pk=case.pk))

    assert current(case)[0] == "suspect"
    assert current(case)[1]["Ainur Kurmanov"] == "suspect"


def test_the_case_knows_how_precisely_its_last_change_is_dated(four_activists):
    case, people = four_activists
    record_status_change(
        case,
        participants=[people["Ainur Kurmanov"]],
        status="imprisoned",
        date=datetime.date(2011, 9, 1),
        date_precision="month",
        headline="In prison",
        sources=[cited()],
    )
    case.refresh_from_db()
    assert (case.last_status_change_on, case.last_status_change_precision) == (
        datetime.date(2011, 9, 1),
        "month",
    )
