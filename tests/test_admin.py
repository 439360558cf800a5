"""Every model can be seen and edited in the admin."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case, StatusChange

pytestmark = pytest.mark.django_db


def test_every_model_of_the_domain_is_registered():
    for model in apps.get_app_config("cases").get_models():
        if model.__name__.startswith("Historical"):
            continue  # Shown through the history view of the model they record.
        if model.__name__ not in {
            "CaseParticipant",
            "CaseCharge",
            "CaseOrganisation",
            "CaseSource",
            "CallToActionTarget",
            "Picture",  # Edited on the page of its person or organisation.
            "PublicDataVersion",  # The key of the cache, raised by every edit.
            "PublicDataStamp",  # What each edit changed, for the same cache.
            "StatusChangeParticipant",
            "StatusChangeSource",
            # Edited on the case's page, their sources and articles in their rows.
            "CaseCategory",
            "Detention",
            "DetentionSource",
            "Verdict",
            "VerdictCharge",
            "VerdictSource",
            "Recognition",  # On the person's page.
            "PlaceOfDetentionSource",  # On the place's page.
            # The ids of imported lists: written by imports only (cases/imports/), and
            # shown in an import's preview; not yet on the person's or case's page.
            "ExternalId",
            "CaseYear",  # Kept by the database from the cases and their timelines.
        }:
            assert admin.site.is_registered(model), f"{model.__name__} is not in the admin"


def test_an_editor_sees_every_list_and_every_demo_row(client, editor):
    call_command("load_demo", verbosity=0)
    for model in apps.get_app_config("cases").get_models():
        if not admin.site.is_registered(model):
            continue
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        for obj in model.objects.all():
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


def test_the_case_list_shows_the_current_status(client, editor):
    call_command("load_demo", verbosity=0)
    response = client.get(reverse("admin:cases_case_changelist"))
    assert "Socialist Movement Kazakhstan leaders" in response.text
    assert "suspect" in response.text


def test_an_editor_cannot_delete(client, editor):
    call_command("load_demo", verbosity=0)
    case = Case.objects.first()
    response = client.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()


def test_editing_an_entry_in_the_admin_brings_the_current_statuses_up_to_date(client, editor):
    call_command("load_demo", verbosity=0)
    change = StatusChange.objects.get(date=datetime.date(2011, 9, 14))
    participants = list(change.participant_links.all())
    sources = list(change.source_links.all())
    url = reverse("admin:cases_statuschange_change", args=[change.pk])
    opened = client.get(url).context["adminform"].form["edit_version"].value()
    form = {
        "edit_version": opened,
        "date": "2011-09-14",
        "date_precision": "day",
        "status": "charged",
        "headline_en": change.headline,
        "description_en": change.description,
        "participant_links-TOTAL_FORMS": len(participants),
        "participant_links-INITIAL_FORMS": len(participants),
        "source_links-TOTAL_FORMS": len(sources),
        "source_links-INITIAL_FORMS": len(sources),
    }
    for i, link in enumerate(participants):
        form |= {
            f"participant_links-{i}-id": link.pk,
            f"participant_links-{i}-status_change": change.pk,
            f"participant_links-{i}-participant": link.participant_id,
        }
    for i, link in enumerate(sources):
        form |= {
            f"source_links-{i}-id": link.pk,
            f"source_links-{i}-status_change": change.pk,
            f"source_links-{i}-source": link.source_id,
        }

    response = client.post(url, form)

    assert response.status_code == 302, response.context["adminform"].errors
    change.case.refresh_from_db()
    assert change.case.current_status == "charged"
    assert change.case.participants.get(person__slug="ainur-kurmanov").current_status == "charged"


def test_the_plain_add_page_saves_nothing_and_sends_the_editor_to_the_record_form(client, editor):
    call_command("load_demo", verbosity=0)
    case = Case.objects.get(slug="socialist-movement-kazakhstan-samoupravstvo")
    zhovtis = Case.objects.get(slug="evgeniy-zhovtis").participants.get()
    form = {
        "case": case.pk,
        "date": "2011-10-01",
        "date_precision": "day",
        "status": "charged",
        "headline_en": "Charged",
        "participant_links-TOTAL_FORMS": 1,
        "participant_links-INITIAL_FORMS": 0,
        "participant_links-0-participant": zhovtis.pk,
        "source_links-TOTAL_FORMS": 0,
        "source_links-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:cases_statuschange_add"), form)
    assert response.status_code == 302
    assert not StatusChange.objects.filter(headline="Charged").exists()


def test_a_person_from_another_case_is_refused_with_a_message_not_an_error(client, editor):
    call_command("load_demo", verbosity=0)
    change = StatusChange.objects.get(headline="Status changed from witnesses to suspects")
    zhovtis = Case.objects.get(slug="evgeniy-zhovtis").participants.get()
    url = reverse("admin:cases_statuschange_change", args=[change.pk])
    form = {
        "edit_version": change.history.latest().history_id,
        "date": "2011-09-14",
        "date_precision": "day",
        "status": "suspect",
        "headline_en": "Charged",
        "participant_links-TOTAL_FORMS": 1,
        "participant_links-INITIAL_FORMS": 0,
        "participant_links-0-participant": zhovtis.pk,
        "source_links-TOTAL_FORMS": 1,
        "source_links-INITIAL_FORMS": 1,
        "source_links-0-id": change.source_links.get().pk,
        "source_links-0-status_change": change.pk,
        "source_links-0-source": change.source_links.get().source_id,
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not StatusChange.objects.filter(headline="Charged").exists()
    assert not change.participant_links.filter(participant=zhovtis).exists()
