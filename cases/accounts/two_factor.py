"""Two-factor authentication (django-otp): who must use it, enrolling, codes.

An account that can publish (cases.publish_case) or manage accounts
(superusers) must log in with a second factor: a code from an authenticator
app (TOTP, RFC 6238), or one of ten recovery codes, each good once, for when
the phone is lost. Other editors may enrol too; once they have, their login
asks for it as well.

A user has at most one confirmed authenticator and one set of recovery
codes. Enrolling creates an unconfirmed authenticator whose secret is shown
until a code from it confirms it; only then does it count, and only then are
the recovery codes made. An administrator resets a lost device with
`manage.py reset_two_factor <username>`: the user enrols again at the next
login.

django-otp slows down guessing on each device (1, 2, 4, 8 ... seconds after
successive wrong codes), and the login counts a wrong code as a failed login
for django-axes (views.py).
"""

import re
from base64 import b32encode

import django_otp
import segno
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PUBLISH_PERMISSION = "cases.publish_case"
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
_AUTHENTICATOR_CODE = re.compile(r"\d{6}")


def is_required_for(user) -> bool:
    """Whether the account may only be used with a second factor."""
    return user.is_active and (user.is_superuser or user.has_perm(PUBLISH_PERMISSION))


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def asks_for_a_code(user) -> bool:
    """Whether the login asks this user for a second factor."""
    return is_required_for(user) or has_enrolled(user)


def authenticator_to_confirm(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, made if there is none: its
    secret stays the same while the enrolment page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps take it, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG data: URI made here (no
    outside service ever sees the secret)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, dark="#000")


def confirm_authenticator(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm DEVICE with a code it shows. Returns the new recovery codes
    (to show once), or None if the code is not right."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(_normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        return new_recovery_codes(device.user)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user, code: str) -> Device | None:
    """The device that accepts CODE for USER, if one does: six digits are
    the authenticator's, anything else a recovery code (deleted once used)."""
    code = _normalise(code)
    if _AUTHENTICATOR_CODE.fullmatch(code):
        device = authenticator_of(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    return django_otp.verify_token(user, device.persistent_id, code)


def must_wait(user) -> bool:
    """Whether django-otp refuses to check any code for now, after wrong ones."""
    devices = django_otp.devices_for_user(user)
    return any(not device.verify_is_allowed()[0] for device in devices)


def reset(user) -> int:
    """Delete all the user's devices, so that the next login enrols again.
    Sessions verified with them are no longer verified (OTPMiddleware finds
    no device). Returns the number of devices deleted."""
    deleted = 0
    with transaction.atomic():
        for device in list(django_otp.devices_for_user(user, confirmed=None)):
            device.delete()
            deleted += 1
    return deleted


def _normalise(code: str) -> str:
    return "".join(code.split()).lower()
