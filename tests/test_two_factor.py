"""The admin login's second factor, for accounts that can publish."""

import re
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.accounts import two_factor

from .conftest import staff_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]

PASSWORD = "publisher-demo-2011"


def staff(username, group):
    return staff_member(username, group, PASSWORD)


@pytest.fixture
def publisher():
    return staff("publisher", "Publisher")


@pytest.fixture
def editor():
    return staff("editor", "Editor")


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    two_factor.new_recovery_codes(user)
    return device


def next_code(device):
    """The code the authenticator shows now, or the next one if that has been used."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time = device.t0 + (device.last_t + 1 - device.drift) * device.step
    return f"{totp.token():06d}"


def log_in(client, username, password=PASSWORD):
    return client.post(
        "/admin/login/?next=/admin/cases/case/", {"username": username, "password": password}
    )


def test_a_publishers_right_password_alone_opens_nothing(client, publisher):
    enrolled(publisher)
    response = log_in(client, "publisher")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/code/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_a_publisher_without_a_device_enrols_at_first_login_and_sees_ten_recovery_codes_once(
    client, publisher
):
    assert log_in(client, "publisher")["Location"] == "/admin/login/enrol/"
    page = client.get("/admin/login/enrol/")
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page.text)[1]
    assert 'src="data:image/svg+xml' in page.text
    assert client.get("/admin/").status_code == 302  # not yet

    from base64 import b32decode

    key = b32decode(secret.replace(" ", ""))
    code = f"{TOTP(key).token():06d}"
    response = client.post("/admin/login/enrol/", {"code": code})
    assert response["Location"] == "/admin/login/recovery-codes/"

    page = client.get("/admin/login/recovery-codes/")
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text)
    assert len(codes) == 10
    assert 'href="/admin/cases/case/"' in page.text
    # Shown once.
    assert client.get("/admin/login/recovery-codes/").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_at_enrolment_is_refused_and_enrols_nothing(client, publisher):
    log_in(client, "publisher")
    client.get("/admin/login/enrol/")
    response = client.post("/admin/login/enrol/", {"code": "000000"})
    assert response.status_code == 200
    assert "This code is not right" in response.text
    assert not two_factor.has_enrolled(publisher)
    assert client.get("/admin/").status_code == 302


def test_after_enrolment_the_login_asks_for_the_code_and_takes_the_right_one(client, publisher):
    device = enrolled(publisher)
    log_in(client, "publisher")
    response = client.post("/admin/login/code/", {"code": next_code(device)})
    assert response["Location"] == "/admin/cases/case/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_logged_as_a_failed_login(client, publisher):
    enrolled(publisher)
    log_in(client, "publisher")
    response = client.post("/admin/login/code/", {"code": "123456"})
    assert response.status_code == 200
    assert "This code is not right" in response.text
    assert client.get("/admin/").status_code == 302
    failure = AccessFailureLog.objects.get()
    assert (failure.username, failure.path_info) == ("publisher", "/admin/login/code/")
    # The log's copy of the form hides the code.
    assert "123456" not in AccessAttempt.objects.get().post_data


def test_guessing_codes_locks_the_account_as_guessing_passwords_does(client, publisher, settings):
    enrolled(publisher)
    log_in(client, "publisher")
    statuses = [
        client.post("/admin/login/code/", {"code": f"{n:06d}"}).status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    assert log_in(Client(), "publisher").status_code == 429


def test_a_recovery_code_logs_in_once(client, publisher):
    TOTPDevice.objects.create(user=publisher, confirmed=True)
    codes = two_factor.new_recovery_codes(publisher)
    log_in(client, "publisher")
    response = client.post("/admin/login/code/", {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "You used a recovery code: 9 are left." in response.text

    other = Client()
    log_in(other, "publisher")
    response = other.post("/admin/login/code/", {"code": codes[0]})
    assert "This code is not right" in response.text
    assert other.get("/admin/").status_code == 302


def test_a_publishers_session_without_the_second_factor_cannot_reach_the_admin(client, publisher):
    client.force_login(publisher)
    assert client.get("/admin/").status_code == 200
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_superusers_must_use_a_second_factor_and_plain_editors_need_not(editor):
    root = User.objects.create_superuser("root", password=PASSWORD)
    assert two_factor.is_required_for(root)
    assert not two_factor.is_required_for(editor)


def test_a_plain_editor_logs_in_with_the_password_and_may_enrol_from_the_admin(client, editor):
    response = log_in(client, "editor")
    assert response["Location"] == "/admin/cases/case/"
    index = client.get("/admin/")
    assert "Set up two-factor authentication" in index.text
    page = client.get("/admin/login/enrol/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    response = client.post("/admin/login/enrol/", {"code": next_code(device)})
    assert response["Location"] == "/admin/login/recovery-codes/"
    assert "Set up two-factor" not in client.get("/admin/").text

    # From now on the editor's login asks for the code too.
    other = Client()
    assert log_in(other, "editor")["Location"] == "/admin/login/code/"


def test_reset_two_factor_makes_the_publisher_enrol_again_and_ends_verified_sessions(
    client, publisher
):
    client.force_login(publisher)
    assert client.get("/admin/").status_code == 200

    call_command("reset_two_factor", "publisher", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not two_factor.has_enrolled(publisher)
    assert client.get("/admin/").status_code == 302
    assert log_in(Client(), "publisher")["Location"] == "/admin/login/enrol/"


def test_reset_two_factor_of_an_unknown_user_says_so():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("reset_two_factor", "nobody")


def test_the_demo_publisher_logs_in_with_the_printed_secret(client, settings):
    import io

    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert "two-factor secret PUBLISHERDEMOKEYPUBLISHERDEMOKEY" in out.getvalue()
    code = io.StringIO()
    call_command("demo_accounts", "--code", stdout=code)

    log_in(client, "publisher", "publisher-demo-2011")
    response = client.post("/admin/login/code/", {"code": code.getvalue().strip()})
    assert response["Location"] == "/admin/cases/case/"
