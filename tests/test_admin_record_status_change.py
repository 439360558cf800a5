"""An editor records a status change for one, several or all people of a case in one form."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case, Source, StatusChange

pytestmark = pytest.mark.django_db

CASE_SLUG = "socialist-movement-kazakhstan-samoupravstvo"


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return Case.objects.get(slug=CASE_SLUG)


def form_url(case):
    return reverse("admin:cases_case_record_status_change", args=[case.pk])


def participant(case, slug):
    return case.participants.get(person__slug=slug)


def test_the_form_opens_with_no_date_at_day_precision_and_the_people_of_the_case(
    client, editor, demo
):
    # No date is filled in for the editor: a status change is rarely recorded
    # on the day it happened, and a date left as it was would be wrong.
    response = client.get(form_url(demo))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["date"].value() is None
    assert 'name="date" value=' not in response.text
    assert form["date_precision"].value() == "day"
    assert "Nuosulu Sailybaeva (accused)" in response.text
    assert "Ainur Kurmanov (accused) — now: suspect" in response.text


def test_an_editor_records_that_nuosulu_was_charged_with_a_new_source_and_the_public_sees_it(
    client, editor, demo
):
    nuosulu = participant(demo, "nuosulu-sailybaeva")
    response = client.post(
        form_url(demo),
        {
            "participants": [nuosulu.pk],
            "date": "2011-09-30",
            "date_precision": "day",
            "status": "charged",
            "headline": "Nuosulu Sailybaeva charged with samoupravstvo",
            "description": "",
            "new_source_url": "https://news.example.org/sailybaeva-charged",
            "new_source_title": "Sailybaeva charged",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:cases_case_change", args=[demo.pk])
    change = StatusChange.objects.get(headline="Nuosulu Sailybaeva charged with samoupravstvo")
    assert [s.url for s in change.sources.all()] == ["https://news.example.org/sailybaeva-charged"]
    nuosulu.refresh_from_db()
    assert nuosulu.current_status == "charged"
    demo.refresh_from_db()
    assert demo.current_status == "charged"

    client.logout()
    page = client.get(demo.get_absolute_url())
    assert "Nuosulu Sailybaeva charged with samoupravstvo" in page.text
    assert "https://news.example.org/sailybaeva-charged" in page.text


def test_one_form_records_the_change_for_everyone_in_a_group_case(
    client, editor, make_case, make_person, make_source
):
    people = [make_person(f"Activist {n}") for n in range(25)]
    case = make_case("Twenty-five accused", people=people)
    source = make_source()

    response = client.post(
        form_url(case),
        {
            "everyone": "on",
            "date": "2011-10-01",
            "date_precision": "month",
            "status": "charged",
            "headline": "All charged",
            "sources": [source.pk],
        },
    )

    assert response.status_code == 302
    change = StatusChange.objects.get(headline="All charged")
    assert change.participants.count() == 25
    assert change.date == datetime.date(2011, 10, 1)
    assert set(case.participants.values_list("current_status", flat=True)) == {"charged"}


def test_a_known_source_address_is_reused_not_duplicated(client, editor, demo, make_source):
    known = make_source(url="https://news.example.org/known")
    client.post(
        form_url(demo),
        {
            "participants": [participant(demo, "kulzhan-sailybaeva").pk],
            "date": "2011-09-30",
            "date_precision": "day",
            "status": "charged",
            "headline": "Kulzhan Sailybaeva charged",
            "new_source_url": "https://news.example.org/known",
        },
    )
    change = StatusChange.objects.get(headline="Kulzhan Sailybaeva charged")
    assert list(change.sources.all()) == [known]
    assert Source.objects.filter(url="https://news.example.org/known").count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"participants": []}, "Choose the people the status change concerns"),
        ({"date": ""}, "This field is required"),
        ({"date": "2999-01-01"}, "The date cannot be in the future"),
        ({"date": "14/09/2011x"}, "Enter a valid date"),
        ({"status": "vanished"}, "Select a valid choice"),
        ({"headline": ""}, "This field is required"),
        ({"new_source_url": "", "new_source_title": ""}, "Cite at least one source"),
        ({"new_source_url": "javascript:alert(1)"}, "http:// or https://"),
        ({"new_source_title": ""}, "Give the title of the new source"),
    ],
)
def test_a_mistake_is_explained_what_was_typed_is_kept_and_nothing_is_saved(
    client, editor, demo, changes, message
):
    form = {
        "participants": [participant(demo, "nuosulu-sailybaeva").pk],
        "date": "2011-09-30",
        "date_precision": "day",
        "status": "charged",
        "headline": "Typed with care",
        "description": "A long description the editor typed.",
        "new_source_url": "https://news.example.org/new",
        "new_source_title": "New article",
    } | changes
    response = client.post(form_url(demo), form)

    assert response.status_code == 200
    assert message in response.text
    assert "A long description the editor typed." in response.text
    assert not StatusChange.objects.filter(date=datetime.date(2011, 9, 30)).exists()
    assert not Source.objects.filter(url="https://news.example.org/new").exists()


def test_a_person_of_another_case_cannot_be_slipped_into_the_form(client, editor, demo):
    zhovtis = Case.objects.get(slug="evgeniy-zhovtis").participants.get()
    response = client.post(
        form_url(demo),
        {
            "participants": [zhovtis.pk],
            "date": "2011-09-30",
            "date_precision": "day",
            "status": "charged",
            "headline": "Smuggled",
            "new_source_url": "https://news.example.org/new",
            "new_source_title": "New",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not StatusChange.objects.filter(headline="Smuggled").exists()


def test_the_form_for_a_case_that_does_not_exist_is_not_found(client, editor):
    response = client.get(reverse("admin:cases_case_record_status_change", args=[999999]))
    assert response.status_code == 404
