"""Paths of the admin that are easy to forget: deleting entries of a timeline,
deleting from a list, and the refusals that must change nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import (
    Membership,
    Organisation,
    PublicationState,
    PublicDataVersion,
    Source,
    StatusChange,
)

from .conftest import form_data, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def kurmanov_case(make_case, make_person):
    """Ainur Kurmanov, a witness who became a suspect on 14 September 2011."""
    case = make_case("Kurmanov case", people=[make_person("Ainur Kurmanov")])
    record(case, "witness", datetime.date(2011, 9, 1), headline="Questioned as a witness")
    record(case, "suspect", datetime.date(2011, 9, 14), headline="Now a suspect")
    return case


def statuses(case) -> tuple[str, list[str]]:
    """The current status of CASE and of each person in it, as stored."""
    case.refresh_from_db()
    return case.current_status, [p.current_status for p in case.participants.all()]


def delete_selected(client, model: str, rows) -> None:
    """Tick ROWS in the admin's list of MODEL and confirm "Delete selected"."""
    response = client.post(
        reverse(f"admin:cases_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk for row in rows], "post": "yes"},
    )
    assert response.status_code == 302


def test_deleting_the_latest_status_change_puts_the_statuses_back_to_the_one_before(
    client, publisher, kurmanov_case
):
    latest = kurmanov_case.status_changes.get(headline="Now a suspect")

    response = client.post(
        reverse("admin:cases_statuschange_delete", args=[latest.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert statuses(kurmanov_case) == ("witness", ["witness"])
    page = Client().get(kurmanov_case.get_absolute_url()).text
    assert "Now a suspect" not in page


def test_deleting_status_changes_ticked_in_the_list_puts_back_the_statuses_of_each_case(
    client, publisher, kurmanov_case, make_case, make_person
):
    sokolova_case = make_case("Sokolova case", people=[make_person("Natalia Sokolova")])
    record(sokolova_case, "charged", datetime.date(2011, 8, 1))
    record(sokolova_case, "imprisoned", datetime.date(2011, 9, 1))
    latest = StatusChange.objects.filter(headline__in=["Now a suspect", "Became imprisoned"])

    delete_selected(client, "statuschange", latest)

    assert statuses(kurmanov_case) == ("witness", ["witness"])
    assert statuses(sokolova_case) == ("charged", ["charged"])


def test_deleting_from_a_list_raises_the_version_of_the_public_data_as_every_edit_does(
    client, publisher, make_person
):
    """What is cached of the public pages is kept under that version: a
    deletion that left it would leave them stale on every server."""
    talmas = Organisation.objects.create(name="Talmas", slug="talmas")
    Membership.objects.create(person=make_person("Ainur Kurmanov"), organisation=talmas)
    before = PublicDataVersion.current()

    delete_selected(client, "organisation", [talmas])

    assert not Organisation.objects.filter(slug="talmas").exists()
    assert not Membership.objects.exists()
    assert PublicDataVersion.current() != before


def test_a_refusal_of_the_service_is_shown_on_the_record_form_and_nothing_is_saved(
    client, publisher, kurmanov_case, monkeypatch
):
    """The form checks what it can; what only the service can check (under the
    case's lock) comes back to the form as its message, and the new source the
    form would have added is not kept either."""

    def refused(case, **fields):
        raise ValidationError(
            {"participants": "Ainur Kurmanov was removed from the case meanwhile."}
        )

    monkeypatch.setattr(services, "record_status_change", refused)
    participant = kurmanov_case.participants.get()

    response = client.post(
        reverse("admin:cases_case_record_status_change", args=[kurmanov_case.pk]),
        {
            "participants": [participant.pk],
            "date": "2011-09-30",
            "date_precision": "day",
            "status": "charged",
            "headline": "Charged with samoupravstvo",
            "description": "Typed with care.",
            "new_source_url": "https://news.example.org/charged",
            "new_source_title": "Charged",
        },
    )

    assert response.status_code == 200
    assert "Ainur Kurmanov was removed from the case meanwhile." in response.text
    assert "Typed with care." in response.text
    assert not kurmanov_case.status_changes.filter(headline="Charged with samoupravstvo").exists()
    assert not Source.objects.filter(url="https://news.example.org/charged").exists()


def test_publishing_a_case_that_is_already_published_says_so_and_changes_nothing(
    client, publisher, kurmanov_case
):
    published_at = kurmanov_case.published_at
    versions = kurmanov_case.history.count()

    response = client.post(
        reverse("admin:cases_case_publish", args=[kurmanov_case.pk]), follow=True
    )

    assert "The case is already published." in response.text
    kurmanov_case.refresh_from_db()
    assert kurmanov_case.published_at == published_at
    assert kurmanov_case.published_by is None
    assert kurmanov_case.history.count() == versions


def test_withdrawing_a_case_that_is_not_published_says_so_and_it_stays_a_draft(
    client, publisher, make_case
):
    draft = make_case("Draft case", published=False)

    response = client.post(reverse("admin:cases_case_withdraw", args=[draft.pk]), follow=True)

    assert "Only a published case can be withdrawn." in response.text
    draft.refresh_from_db()
    assert draft.publication_state == PublicationState.DRAFT


def test_a_form_posted_without_the_version_it_was_opened_at_is_refused(
    client, publisher, make_person
):
    """A form that does not say which version it was opened at (an old tab
    from before the check, a hand-made post) cannot be shown to be current."""
    person = make_person("Ainur Kurmanov")
    url = reverse("admin:cases_person_change", args=[person.pk])
    data = form_data(client.get(url)) | {"name": "Ainur Qurmanov"}
    del data["edit_version"]

    response = client.post(url, data)

    assert response.status_code == 200
    assert "This form is out of date. Reload the page and make your changes again." in (
        response.text
    )
    person.refresh_from_db()
    assert person.name == "Ainur Kurmanov"
