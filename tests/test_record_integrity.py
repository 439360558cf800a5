"""The record holds against a restore of the history and against two editors at once.

Restoring a version never changes who may see a case, nor where its people
stand; a form saved while a status change is recorded does not write back an
old current status; and of two forms saved at the same moment, one is refused.
The races run against a real PostgreSQL (row locks), two requests in two threads.
"""

import datetime
import threading

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from cases import services
from cases.admin import CaseAdmin
from cases.models import Case, PublicationState

from .conftest import role_group
from .test_admin_history import case_form

needs_row_locks = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="races are tested on PostgreSQL, whose row locks the site relies on",
)


def staff_client(name, group):
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(role_group(group))
    client = Client()
    client.force_login(user)
    return client, user


def restore(client, case, version):
    """Open a past version on the History page and click its save button."""
    url = reverse("admin:cases_case_simple_history", args=[case.pk, version.history_id])
    form = client.get(url).context["adminform"].form
    return client.post(url, {f.html_name: f.value() for f in form if f.value() is not None})


@pytest.fixture
def published_case(make_case, make_person, make_source):
    case = make_case(
        "Samoupravstvo charges",
        people=[make_person("Kulzhan Sailybaeva"), make_person("Nuosulu Sailybaeva")],
        summary="Mother and daughter accused of samoupravstvo.",
        published=False,
    )
    services.record_status_change(
        case,
        participants=case.participants.all(),
        status="suspect",
        date=datetime.date(2011, 9, 14),
        headline="Witnesses become suspects",
        sources=[make_source()],
    )
    publisher = User.objects.create_user("petra", is_staff=True)
    publisher.groups.add(role_group("Publisher"))
    return services.publish_case(case, by=publisher)


def test_an_editor_restoring_a_published_version_of_a_withdrawn_case_does_not_publish_it(
    published_case, client
):
    when_published = published_case.history.latest()
    services.withdraw_case(published_case, by=None)
    editor, _ = staff_client("anna", "Editor")

    response = restore(editor, published_case, when_published)

    assert response.status_code == 302
    case = Case.objects.get(pk=published_case.pk)
    assert case.publication_state == PublicationState.WITHDRAWN
    assert case.published_by.username == "petra"
    assert case.history.latest().publication_state == PublicationState.WITHDRAWN
    assert client.get(case.get_absolute_url()).status_code == 404


def test_a_publisher_restoring_a_published_version_does_not_skip_the_publishing_checks(
    published_case,
):
    when_published = published_case.history.latest()
    services.withdraw_case(published_case, by=None)
    publisher, _ = staff_client("petra2", "Publisher")

    restore(publisher, published_case, when_published)

    case = Case.objects.get(pk=published_case.pk)
    assert case.publication_state == PublicationState.WITHDRAWN


def test_a_restore_keeps_the_current_statuses_and_the_log_says_what_it_changed(
    published_case, make_source
):
    editor, _ = staff_client("anna", "Editor")
    before_charges = published_case.history.latest()
    editor.post(
        reverse("admin:cases_case_change", args=[published_case.pk]),
        case_form(editor, published_case) | {"summary_en": "A mistake."},
    )
    services.record_status_change(
        published_case,
        participants=published_case.participants.all(),
        status="charged",
        date=datetime.date(2011, 9, 30),
        headline="Charged",
        sources=[make_source()],
    )

    restore(editor, published_case, before_charges)

    case = Case.objects.get(pk=published_case.pk)
    assert case.summary == "Mother and daughter accused of samoupravstvo."
    assert case.current_status == "charged"
    assert case.last_status_change_on == datetime.date(2011, 9, 30)
    assert case.is_published
    entry = LogEntry.objects.filter(object_id=str(case.pk)).latest("action_time")
    assert entry.get_change_message() == "Changed Summary (English)."
    assert case.history.latest().history_change_reason.startswith("restored the version of ")


def _in_a_thread(function):
    """Run FUNCTION in a thread of its own, with its own database connection."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function()
        except BaseException as error:  # noqa: BLE001 (reported in the main thread)
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_a_case_saved_while_a_status_change_is_recorded_keeps_the_new_current_status(
    published_case, make_source, monkeypatch
):
    editor, _ = staff_client("anna", "Editor")
    form = case_form(editor, published_case) | {"summary_en": "Edited while Boris records."}
    source = make_source()
    get_object = CaseAdmin.get_object

    def case_read_then_a_status_change_recorded(self, request, object_id, from_field=None):
        case = get_object(self, request, object_id, from_field)
        thread, outcome = _in_a_thread(
            lambda: services.record_status_change(
                Case.objects.get(pk=case.pk),
                participants=case.participants.all(),
                status="pre_trial_detention",
                date=datetime.date(2011, 10, 3),
                headline="Detained",
                sources=[source],
            )
        )
        thread.join(timeout=30)
        assert "error" not in outcome, outcome.get("error")
        return case

    monkeypatch.setattr(CaseAdmin, "get_object", case_read_then_a_status_change_recorded)
    response = editor.post(reverse("admin:cases_case_change", args=[published_case.pk]), form)

    assert response.status_code == 302
    case = Case.objects.get(pk=published_case.pk)
    assert case.summary == "Edited while Boris records."
    assert case.current_status == "pre_trial_detention"
    assert case.last_status_change_on == datetime.date(2011, 10, 3)
    assert {p.current_status for p in case.participants.all()} == {"pre_trial_detention"}


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_of_two_case_forms_saved_at_the_same_moment_the_second_is_refused(
    published_case, monkeypatch
):
    anna, _ = staff_client("anna", "Editor")
    boris, _ = staff_client("boris", "Editor")
    url = reverse("admin:cases_case_change", args=[published_case.pk])
    annas_form = case_form(anna, published_case) | {"summary_en": "Anna's summary."}
    boris_form = case_form(boris, published_case) | {"summary_en": "Boris's summary."}
    save_model = CaseAdmin.save_model
    boris_waited = {}

    def anna_checked_then_boris_saves(self, request, obj, form, change):
        if request.user.username == "anna":
            thread, outcome = _in_a_thread(lambda: boris.post(url, boris_form))
            # Boris's check waits for Anna's lock; it must not pass meanwhile.
            thread.join(timeout=1)
            boris_waited["thread"], boris_waited["outcome"] = thread, outcome
            assert thread.is_alive(), "Boris's form was checked while Anna's was being saved"
        save_model(self, request, obj, form, change)

    monkeypatch.setattr(CaseAdmin, "save_model", anna_checked_then_boris_saves)
    annas = anna.post(url, annas_form)
    boris_waited["thread"].join(timeout=30)
    boris_response = boris_waited["outcome"]["result"]

    assert annas.status_code == 302
    assert boris_response.status_code == 200
    assert "anna saved this case" in boris_response.text
    assert Case.objects.get(pk=published_case.pk).summary == "Anna's summary."
