"""Publishers publish and withdraw cases, after checks that say what is missing."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Case, PublicationState
from cases.services import record_status_change

from .conftest import cited, record, staff_member

pytestmark = pytest.mark.django_db


def login(client, role):
    user = staff_member(role.lower(), role)
    client.force_login(user)
    return user


@pytest.fixture
def ready_draft(make_case, make_person, make_source):
    case = make_case(
        "Kulzhan Sailybaeva charged",
        people=[make_person("Kulzhan Sailybaeva")],
        published=False,
        summary="Charged with samoupravstvo after an eviction.",
    )
    record(case, "charged", datetime.date(2011, 9, 30), "Charged", sources=[make_source()])
    return case


def publish(client, case):
    return client.post(reverse("admin:cases_case_publish", args=[case.pk]), follow=True)


def withdraw(client, case):
    return client.post(reverse("admin:cases_case_withdraw", args=[case.pk]), follow=True)


def test_a_publisher_publishes_a_ready_draft_and_who_and_when_are_recorded(client, ready_draft):
    publisher = login(client, "Publisher")

    response = publish(client, ready_draft)

    assert "is published" in response.text
    ready_draft.refresh_from_db()
    assert ready_draft.publication_state == PublicationState.PUBLISHED
    assert ready_draft.published_by == publisher
    assert ready_draft.published_at is not None
    assert ready_draft.history.latest().history_user == publisher
    client.logout()
    assert client.get(ready_draft.get_absolute_url()).status_code == 200


def test_a_publisher_withdraws_a_case_and_the_public_no_longer_sees_it(client, ready_draft):
    login(client, "Publisher")
    publish(client, ready_draft)

    response = withdraw(client, ready_draft)

    assert "is withdrawn" in response.text
    ready_draft.refresh_from_db()
    assert ready_draft.publication_state == PublicationState.WITHDRAWN
    client.logout()
    assert client.get(ready_draft.get_absolute_url()).status_code == 404


def test_a_withdrawn_case_can_be_published_again(client, ready_draft):
    login(client, "Publisher")
    publish(client, ready_draft)
    withdraw(client, ready_draft)
    publish(client, ready_draft)
    ready_draft.refresh_from_db()
    assert ready_draft.publication_state == PublicationState.PUBLISHED


def test_publishing_says_everything_that_is_missing_and_publishes_nothing(
    client, make_case, make_person
):
    login(client, "Publisher")
    case = make_case("Unfinished", people=[make_person("Nuosulu Sailybaeva")], published=False)
    change = record_status_change(
        case,
        participants=case.participants.all(),
        status="charged",
        date=datetime.date(2011, 9, 30),
        headline="Charged without a source",
        sources=[cited()],
    )
    # As an entry recorded before every entry had to cite a source.
    change.source_links.all().delete()

    response = publish(client, case)

    assert "The case has no summary." in response.text
    assert "cites no source" in response.text
    assert "Charged without a source" in response.text
    case.refresh_from_db()
    assert case.publication_state == PublicationState.DRAFT


def test_an_editor_cannot_publish_even_by_posting_directly(client, ready_draft):
    login(client, "Editor")
    response = client.post(reverse("admin:cases_case_publish", args=[ready_draft.pk]))
    assert response.status_code == 403
    ready_draft.refresh_from_db()
    assert ready_draft.publication_state == PublicationState.DRAFT


def test_the_publication_state_cannot_be_changed_through_the_case_form(client, ready_draft):
    login(client, "Publisher")
    url = reverse("admin:cases_case_change", args=[ready_draft.pk])
    form = client.get(url).context["adminform"].form
    assert "publication_state" not in form.fields


def test_publishing_is_only_by_post(client, ready_draft):
    login(client, "Publisher")
    response = client.get(reverse("admin:cases_case_publish", args=[ready_draft.pk]))
    assert response.status_code == 405


def test_a_draft_that_was_never_public_can_be_deleted_by_a_publisher(client, ready_draft):
    login(client, "Publisher")
    response = client.post(
        reverse("admin:cases_case_delete", args=[ready_draft.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Case.objects.filter(pk=ready_draft.pk).exists()


def test_deleting_drafts_ticked_in_the_list_asks_to_confirm_only_what_editors_made(
    client, ready_draft, make_case
):
    other = make_case("Another draft", published=False, start_date=datetime.date(2012, 1, 1))
    assert ready_draft.years.exists() and other.years.exists()  # kept by the database
    login(client, "Publisher")

    response = client.post(
        reverse("admin:cases_case_changelist"),
        {"action": "delete_selected", "_selected_action": [ready_draft.pk, other.pk]},
    )

    assert response.status_code == 200
    counts = {str(name): count for name, count in response.context["model_count"]}
    assert counts == {
        "cases": 2,
        "people in the case": 1,
        "status changes": 1,
        "people concerned": 1,
        "sources of the status change": 1,
    }
    assert "Another draft" in response.text
    assert "year" not in response.text.split('id="content"')[1].lower()


def test_a_case_that_was_ever_public_is_withdrawn_not_deleted(client, ready_draft):
    login(client, "Publisher")
    publish(client, ready_draft)
    withdraw(client, ready_draft)

    response = client.post(
        reverse("admin:cases_case_delete", args=[ready_draft.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    # Nor through the list's "delete selected" action.
    response = client.post(
        reverse("admin:cases_case_changelist"),
        {"action": "delete_selected", "_selected_action": [ready_draft.pk], "post": "yes"},
    )
    assert "withdraw it instead of deleting it" in response.text
    assert Case.objects.filter(pk=ready_draft.pk).exists()


def test_publishing_asks_for_the_alt_text_of_every_photo(client, ready_draft, settings, tmp_path):
    from cases.models import Picture
    from tests.test_pictures import phone_photo, upload

    settings.MEDIA_ROOT = tmp_path
    person = ready_draft.participants.get().person
    # Written by code, not the admin form, which would refuse it.
    Picture.objects.create(person=person, image=upload(phone_photo()), alt_text="", credit="x")
    login(client, "Publisher")

    response = publish(client, ready_draft)

    assert "The photo of Kulzhan Sailybaeva has no alt text." in response.text
    ready_draft.refresh_from_db()
    assert ready_draft.publication_state == PublicationState.DRAFT
