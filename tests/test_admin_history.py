"""Every edit is kept with who and when; a past version can be restored; stale forms are refused."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case, Person

from .conftest import staff_member

pytestmark = pytest.mark.django_db


def editor_client(name):
    user = staff_member(name, "Editor")
    client = Client()
    client.force_login(user)
    return client, user


def case_form(client, case):
    """The case's change form as the browser would post it back, unchanged."""
    response = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    data = {}
    for form in [response.context["adminform"].form] + [
        f for formset in response.context["inline_admin_formsets"] for f in [formset.formset]
    ]:
        if hasattr(form, "management_form"):
            for field in form.management_form:
                data[field.html_name] = field.value()
            for subform in form.forms:
                for field in subform:
                    value = field.value()
                    if value not in (None, False):
                        data[field.html_name] = value
        else:
            for field in form:
                value = field.value()
                if value is not None:
                    data[field.html_name] = value
    return data


@pytest.fixture
def case(make_case, make_person):
    return make_case(
        "Samoupravstvo charges",
        people=[make_person("Ainur Kurmanov")],
        summary="First summary.",
        published=False,
    )


def test_an_edit_is_kept_with_who_made_it(case):
    client, anna = editor_client("anna")
    form = case_form(client, case) | {"summary_en": "Second summary."}

    response = client.post(reverse("admin:cases_case_change", args=[case.pk]), form)

    assert response.status_code == 302
    latest = case.history.latest()
    assert (latest.summary, latest.history_user) == ("Second summary.", anna)
    assert case.history.count() == 2


def test_the_history_of_a_case_is_shown_in_the_admin(case):
    client, _ = editor_client("anna")
    client.post(
        reverse("admin:cases_case_change", args=[case.pk]),
        case_form(client, case) | {"summary_en": "Second summary."},
    )
    response = client.get(reverse("admin:cases_case_history", args=[case.pk]))
    assert response.status_code == 200
    assert "anna" in response.text
    assert "Summary" in response.text


def test_a_past_version_can_be_restored(case):
    client, _ = editor_client("anna")
    first = case.history.earliest()
    client.post(
        reverse("admin:cases_case_change", args=[case.pk]),
        case_form(client, case) | {"summary_en": "A mistake."},
    )

    restore_url = reverse("admin:cases_case_simple_history", args=[case.pk, first.history_id])
    form = client.get(restore_url).context["adminform"].form
    data = {f.html_name: f.value() for f in form if f.value() is not None}
    response = client.post(restore_url, data)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "First summary."


def test_a_stale_form_is_refused_with_what_changed_and_nothing_is_lost(case):
    anna, _ = editor_client("anna")
    boris, _ = editor_client("boris")
    annas_form = case_form(anna, case)
    boris_form = case_form(boris, case)

    anna.post(
        reverse("admin:cases_case_change", args=[case.pk]),
        annas_form | {"summary_en": "Anna's summary."},
    )
    response = boris.post(
        reverse("admin:cases_case_change", args=[case.pk]),
        boris_form | {"title_en": "Boris's title"},
    )

    assert response.status_code == 200
    assert "anna saved this case" in response.text
    assert "Summary" in response.text
    assert "Nothing you typed has been saved" in response.text
    case.refresh_from_db()
    assert (case.title, case.summary) == ("Samoupravstvo charges", "Anna's summary.")


def test_a_recorded_status_change_does_not_make_an_open_case_form_stale(case, make_source):
    import datetime

    from cases.services import record_status_change

    client, _ = editor_client("anna")
    form = case_form(client, case)
    record_status_change(
        case,
        participants=case.participants.all(),
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="Suspects",
        sources=[make_source()],
    )

    response = client.post(
        reverse("admin:cases_case_change", args=[case.pk]), form | {"summary_en": "Edited."}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.summary, case.current_status) == ("Edited.", "suspect")


def test_edits_to_people_are_kept_too(make_person):
    person = make_person("Esenbek Ukteshbayev")
    person.other_names = "Ukteshbaev"
    person.save()
    assert [h.other_names for h in Person.history.filter(id=person.pk).order_by("history_id")] == [
        "",
        "Ukteshbaev",
    ]


def test_a_deleted_draft_stays_in_the_history(case):
    case_id = case.pk
    case.delete()
    assert Case.history.filter(id=case_id, history_type="-").exists()
