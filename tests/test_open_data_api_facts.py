"""Detentions, verdicts, places of detention and recognitions in the API,
as published cases show them and never from a draft."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import CaseCategory, CaseParticipant, Category, PlaceOfDetention
from cases.services import record_detention, record_recognition, record_verdict

from .conftest import cited


@pytest.fixture
def colony(db):
    return PlaceOfDetention.objects.create(
        name="Colony UG-157/11, Aktau",
        slug="ug-157-11",
        kind="colony",
        regime="general",
        country="KZ",
        place="Aktau",
        postal_address="130000, Aktau, UG-157/11",
        letters_reach="yes",
        letter_language="Russian",
    )


@pytest.fixture
def sokolova(make_case, make_person, samoupravstvo):
    person = make_person("Natalia Sokolova", slug="natalia-sokolova", sex="female")
    case = make_case(
        "The oil workers' lawyer", slug="natalia-sokolova", people=[person], charges=[samoupravstvo]
    )
    return CaseParticipant.objects.get(case=case)


def sentenced(participant, colony, samoupravstvo, make_organisation):
    court = make_organisation("Aktau City Court", slug="aktau-city-court", kind="court")
    record_detention(
        participant,
        kind="pre_trial",
        start=datetime.date(2011, 5, 17),
        end=datetime.date(2011, 8, 8),
        sources=[cited()],
    )
    record_detention(
        participant,
        kind="prison",
        start=datetime.date(2011, 8, 8),
        place=colony,
        sources=[cited()],
    )
    first = record_verdict(
        participant,
        outcome="convicted",
        date=datetime.date(2011, 8, 8),
        court=court,
        charges=[samoupravstvo],
        term_years=6,
        regime="general",
        sentence_start=datetime.date(2011, 5, 17),
        sources=[cited()],
    )
    record_verdict(
        participant,
        outcome="upheld",
        date=datetime.date(2011, 9, 1),
        date_precision="month",
        appeal_of=first,
        sources=[cited()],
    )


def test_a_case_gives_its_detentions_verdicts_and_categories(
    client, sokolova, colony, samoupravstvo, make_organisation
):
    sentenced(sokolova, colony, samoupravstvo, make_organisation)
    CaseCategory.objects.create(
        case=sokolova.case, category=Category.objects.create(name="lawyers", slug="lawyers")
    )

    case = client.get("/api/v1/cases/natalia-sokolova/").json()

    assert case["categories"] == [{"slug": "lawyers", "name": "lawyers"}]
    pre_trial, prison = case["detentions"]
    assert (pre_trial["kind"], pre_trial["start"], pre_trial["end"], pre_trial["place"]) == (
        "pre_trial",
        "2011-05-17",
        "2011-08-08",
        None,
    )
    assert prison["end"] is None
    assert prison["place"] == {
        "slug": "ug-157-11",
        "name": "Colony UG-157/11, Aktau",
        "kind": "colony",
        "country": "KZ",
        "place": "Aktau",
    }
    first, appeal = case["verdicts"]
    assert first["court"] == {"slug": "aktau-city-court", "name": "Aktau City Court"}
    assert first["articles"] == ["samoupravstvo"]
    assert first["sentence"] == {
        "kind": "imprisonment",
        "term": {"years": 6, "months": None, "days": None},
        "regime": "general",
        "note": "",
        "start": "2011-05-17",
        "expected_release": "2017-05-17",
    }
    assert (appeal["outcome"], appeal["date"], appeal["appeal_of"], appeal["sentence"]) == (
        "upheld",
        "2011-09",
        0,
        None,
    )
    assert [source["title"] for source in appeal["sources"]] == ["A report cited by the tests"]


def test_a_person_says_whether_held_now_their_sex_and_recognitions(
    client, sokolova, colony, samoupravstvo, make_organisation
):
    sentenced(sokolova, colony, samoupravstvo, make_organisation)
    amnesty = make_organisation("Amnesty International", slug="amnesty", kind="international")
    record_recognition(
        sokolova.person,
        kind="prisoner_of_conscience",
        organisation=amnesty,
        date=datetime.date(2011, 9, 1),
        date_precision="month",
        source=cited(),
    )

    person = client.get("/api/v1/people/natalia-sokolova/").json()

    assert (person["sex"], person["held_now"]) == ("female", True)
    (recognition,) = person["recognitions"]
    assert (recognition["kind"], recognition["organisation"]["slug"], recognition["date"]) == (
        "prisoner_of_conscience",
        "amnesty",
        "2011-09",
    )


def test_someone_held_only_in_a_draft_case_is_not_held_now_in_the_api(
    client, make_case, make_person
):
    zhovtis = make_person("Yevgeny Zhovtis", slug="yevgeny-zhovtis")
    make_case("Published", people=[zhovtis])
    draft = make_case("Draft", people=[zhovtis], published=False)
    record_detention(
        CaseParticipant.objects.get(case=draft), kind="prison", start=datetime.date(2009, 9, 3)
    )
    assert client.get("/api/v1/people/yevgeny-zhovtis/").json()["held_now"] is False


def test_a_place_is_in_the_api_only_while_a_published_case_holds_someone_there(
    client, sokolova, colony, make_case, make_person
):
    assert client.get("/api/v1/places/ug-157-11/").status_code == 404
    record_detention(sokolova, kind="prison", start=datetime.date(2011, 8, 8), place=colony)

    place = client.get("/api/v1/places/ug-157-11/").json()

    assert (place["postal_address"], place["letters_reach"], place["letter_language"]) == (
        "130000, Aktau, UG-157/11",
        "yes",
        "Russian",
    )
    assert [p["slug"] for p in client.get("/api/v1/places/").json()["results"]] == ["ug-157-11"]
    sokolova.case.publication_state = "withdrawn"
    sokolova.case.save(update_fields=["publication_state"])
    assert client.get("/api/v1/places/ug-157-11/").status_code == 404


def test_a_case_makes_as_many_queries_with_ten_people_sentenced_as_with_one(
    client, make_case, make_person, samoupravstvo, colony, make_organisation
):
    counts = []
    for size in (1, 10):
        case = make_case(people=[make_person() for _ in range(size)], charges=[samoupravstvo])
        for participant in case.participants.all():
            record_detention(
                participant,
                kind="prison",
                start=datetime.date(2011, 8, 8),
                place=colony,
                sources=[cited()],
            )
            record_verdict(
                participant,
                outcome="convicted",
                date=datetime.date(2011, 8, 8),
                charges=[samoupravstvo],
                term_years=2,
                sources=[cited()],
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/cases/{case.slug}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
