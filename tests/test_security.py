"""Production settings, headers, error pages, the login lockout and /healthz."""

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.db.models import F
from django.test import Client, override_settings
from django.urls import path

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "HTTPS"}}
    return (
        env
        | {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "cases.example.org",
            "DJANGO_SETTINGS_MODULE": "repression.settings",
        }
        | extra
    )


def test_production_settings_pass_djangos_deployment_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture
def https(settings):
    settings.SECURE_SSL_REDIRECT = True


def test_plain_http_is_redirected_to_https(client, https):
    response = client.get("/cases/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_every_page_is_sent_with_strict_security_headers(client, https, make_case):
    make_case("Visible")
    response = client.get("/cases/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp


def test_no_server_or_framework_version_is_sent(client):
    response = client.get("/")
    for header in ("Server", "X-Powered-By"):
        assert header not in response
    assert "Django" not in str(response.headers)


def test_session_and_csrf_cookies_are_secure_httponly_and_host_only(https):
    # The settings under test are production's; this asserts what they are.
    from django.conf import settings

    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_the_login_page_sets_a_host_only_secure_csrf_cookie(https):
    client = Client()
    response = client.get("/admin/login/", secure=True)
    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["path"] == "/"
    assert not cookie["domain"]


def test_a_missing_page_is_our_own_404_and_says_nothing_about_the_server(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Django" not in response.text and "Traceback" not in response.text
    assert "urlpatterns" not in response.text


def broken_view(request):
    raise RuntimeError("secret detail: postgres://user:password@db/cases")


urlpatterns = [path("broken", broken_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_our_own_500_and_leaks_nothing():
    client = Client(raise_request_exception=False)
    response = client.get("/broken")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret detail" not in response.text and "password" not in response.text


def test_a_database_that_does_not_answer_gets_a_503_that_says_try_again_and_leaks_nothing():
    def unavailable(execute, sql, params, many, context):
        raise OperationalError("connection to server at 10.0.0.5 failed: password rejected")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(unavailable):
        response = client.get("/cases/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-cache" in response["Cache-Control"]
    assert "Temporarily unavailable" in response.text
    assert "10.0.0.5" not in response.text and "password" not in response.text


def test_a_request_for_an_unknown_host_gets_our_own_400():
    response = Client(HTTP_HOST="evil.example.com").get("/")
    assert response.status_code == 400
    assert "Bad request" in response.text


def test_a_forbidden_action_gets_our_own_403(client, make_case):
    staff = User.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(staff)
    case = make_case()
    response = client.post(f"/admin/cases/case/{case.pk}/publish/")
    assert response.status_code == 403


def login(client, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


def test_repeated_failed_logins_lock_the_username_from_every_address_with_429(client, settings):
    User.objects.create_user("editor", password="the-right-password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200

    response = login(client, "wrong")
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    # Locked: even the right password is refused now, from any address.
    assert login(client, "the-right-password").status_code == 429
    other = Client().post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "the-right-password"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert other.status_code == 429


@pytest.fixture
def publisher_with_a_fast_hasher(settings):
    """The demo's publisher; a fast password hasher, for 80 guesses."""
    from django.contrib.auth.models import Group

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.create_user("publisher", password="publisher-demo-2011", is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    return user


def guess(password, address):
    return Client().post(
        "/admin/login/?next=/admin/",
        {"username": "publisher", "password": password},
        REMOTE_ADDR=address,
    )


def test_80_guesses_from_20_addresses_lock_the_publisher_out_of_a_21st_until_the_cool_off(
    settings, publisher_with_a_fast_hasher
):
    from axes.models import AccessAttempt

    for n in range(80):
        guess(f"kazakhstan{n}", f"203.0.113.{n % 20 + 1}")

    assert guess("publisher-demo-2011", "198.51.100.21").status_code == 429

    # Guesses during the lockout did not prolong it: a minute before the
    # cool-off has passed since the failure that locked it, still locked ...
    almost = settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - almost)
    assert guess("publisher-demo-2011", "198.51.100.21").status_code == 429
    # ... and once it has, the right password leads to the second step.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=2))
    response = guess("publisher-demo-2011", "198.51.100.21")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/enrol/"


def test_the_lockout_ends_after_the_cool_off(client, settings):
    from axes.models import AccessAttempt

    User.objects.create_user("editor", password="the-right-password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong")
    assert login(client, "the-right-password").status_code == 429

    # As if the cool-off had passed since the last failure.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert login(client, "the-right-password").status_code == 302


@pytest.mark.parametrize("password", ["password1", "kazakhstan", "Almaty2011!", "123456789012"])
def test_password_validators_refuse_a_weak_password(password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password)


def test_password_validators_accept_a_long_uncommon_pass_phrase():
    from django.contrib.auth.password_validation import validate_password

    validate_password("samoupravstvo in Zhanaozen")


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_without_details_when_the_database_does_not(client):
    failure = "connection to server at 10.0.0.5 failed: password"
    if getattr(connection, "pool", None):
        # On PostgreSQL /healthz takes its connection straight from the pool.
        target, error = "psycopg.Connection.execute", psycopg.OperationalError(failure)
    else:
        target, error = "django.db.backends.utils.CursorWrapper.execute", OperationalError(failure)
    with mock.patch(target, side_effect=error):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "10.0.0.5" not in response.text


def test_healthz_is_exempt_from_the_https_redirect_for_load_balancers(client, https):
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cases/",
        "/cases/visible/",
        "/cases/not-there/",
        "/admin/login/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/static/css/site.css",
    ],
)
def test_other_sites_may_not_embed_the_pages_and_files(client, make_case, path):
    make_case("Visible", slug="visible")
    response = client.get(path)

    assert response.status_code in (200, 404), path
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/cases/",
        "/api/v1/cases/visible/",
        "/api/v1/cases/not-there/",
        "/api/v1/schema/",
        "/feed/",
        "/cases/visible/feed/",
        "/countries/KZ/feed/",
        "/cases/export.csv",
        "/cases/export.json",
    ],
)
def test_open_data_may_be_fetched_by_other_sites(client, make_case, path):
    make_case("Visible", slug="visible")
    response = client.get(path)

    assert response.status_code in (200, 404), path
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_a_page_served_from_the_page_cache_keeps_the_header(client, make_case, settings):
    settings.PUBLIC_PAGE_CACHE = True
    make_case("Visible", slug="visible")
    client.get("/cases/visible/")

    response = client.get("/cases/visible/")

    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
