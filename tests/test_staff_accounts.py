"""Staff sessions that end, password changes that end the others, and the
log of logins that publishers read."""

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.test import Client

from cases.accounts import sessions

from .conftest import STAFF_PASSWORD, staff_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]

PASSWORD = STAFF_PASSWORD
staff = staff_member


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved on by hand: clock.minutes += 90."""

    class Clock:
        start = sessions._now()
        minutes = 0

        def now(self):
            return self.start + self.minutes * 60

    clock = Clock()
    monkeypatch.setattr(sessions, "_now", clock.now)
    return clock


def test_a_staff_session_ends_after_the_idle_time_without_a_request(client, clock, settings):
    client.force_login(staff("amina", "Editor"))
    clock.minutes = settings.STAFF_SESSION_IDLE_MINUTES - 2
    assert client.get("/admin/").status_code == 200
    # The request counted: as long again from it.
    clock.minutes += settings.STAFF_SESSION_IDLE_MINUTES - 2
    assert client.get("/admin/").status_code == 200
    clock.minutes += settings.STAFF_SESSION_IDLE_MINUTES + 1
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_a_staff_session_ends_at_most_the_maximum_after_login_however_busy(client, clock, settings):
    client.force_login(staff("amina", "Editor"))
    step = settings.STAFF_SESSION_IDLE_MINUTES - 1
    while clock.minutes + step < settings.STAFF_SESSION_MAX_HOURS * 60:
        clock.minutes += step
        assert client.get("/admin/").status_code == 200
    clock.minutes = settings.STAFF_SESSION_MAX_HOURS * 60 + 1
    assert client.get("/admin/").status_code == 302


def test_the_session_cookie_lasts_no_longer_than_the_longest_session(settings):
    assert settings.SESSION_COOKIE_AGE == settings.STAFF_SESSION_MAX_HOURS * 3600
    assert settings.STAFF_SESSION_IDLE_MINUTES == 120
    assert settings.STAFF_SESSION_MAX_HOURS == 12


def test_a_visitor_without_a_session_is_not_told_to_vary_on_cookies(client):
    assert "Cookie" not in client.get("/healthz").get("Vary", "")


def test_changing_the_password_in_the_admin_ends_the_users_other_sessions(make_case):
    publisher = staff("publisher", "Publisher")
    laptop, stolen = Client(), Client()
    laptop.force_login(publisher)
    stolen.force_login(publisher)
    assert stolen.get("/admin/").status_code == 200

    response = laptop.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "samoupravstvo in Zhanaozen",
            "new_password2": "samoupravstvo in Zhanaozen",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/admin/").status_code == 200
    response = stolen.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admins_password_change_refuses_a_short_or_common_password():
    editor = staff("amina", "Editor")
    client = Client()
    client.force_login(editor)
    for weak in ["kazakhstan", "Almaty2011!"]:
        response = client.post(
            "/admin/password_change/",
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200
        assert "at least 12 characters" in response.text
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def failed_and_successful_logins():
    AccessFailureLog.objects.create(
        username="publisher", ip_address="203.0.113.7", user_agent="curl", path_info="/admin/login/"
    )
    AccessLog.objects.create(
        username="amina", ip_address="198.51.100.9", user_agent="Firefox", path_info="/admin/login/"
    )


def test_a_publisher_reads_who_logged_in_or_failed_to_when_and_from_where(client):
    failed_and_successful_logins()
    client.force_login(staff("publisher", "Publisher"))

    failures = client.get("/admin/axes/accessfailurelog/")
    assert failures.status_code == 200
    assert "publisher" in failures.text and "203.0.113.7" in failures.text
    logins = client.get("/admin/axes/accesslog/")
    assert logins.status_code == 200
    assert "amina" in logins.text and "198.51.100.9" in logins.text
    assert client.get("/admin/axes/accessattempt/").status_code == 200


def test_nobody_edits_the_log_of_logins_in_the_admin(client):
    failed_and_successful_logins()
    client.force_login(staff("publisher", "Publisher"))
    entry = AccessLog.objects.get(username="amina")
    page = client.get(f"/admin/axes/accesslog/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    client.post(f"/admin/axes/accesslog/{entry.pk}/change/", {"username": "someone else"})
    assert (
        client.post(f"/admin/axes/accesslog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    entry.refresh_from_db()
    assert entry.username == "amina"


def test_an_editor_cannot_read_the_log_of_logins(client):
    failed_and_successful_logins()
    client.force_login(staff("amina", "Editor"))
    for page in ["accesslog", "accessfailurelog", "accessattempt"]:
        assert client.get(f"/admin/axes/{page}/").status_code == 403
    assert "Access logs" not in client.get("/admin/").text
