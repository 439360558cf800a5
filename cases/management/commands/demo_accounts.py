from base64 import b32decode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.accounts import two_factor

# Well known on purpose: these accounts exist only on development machines.
ACCOUNTS = [
    ("editor", "editor-demo-2011", "Editor"),
    ("publisher", "publisher-demo-2011", "Publisher"),
]
# The demo publisher's authenticator secret (base32, as apps take it):
# publishers must log in with a second factor, demo or not.
DEMO_SECRET = "PUBLISHERDEMOKEYPUBLISHERDEMOKEY"  # noqa: S105


def demo_authenticator(user) -> TOTPDevice:
    """The user's authenticator with the demo secret, made if missing."""
    key = b32decode(DEMO_SECRET).hex()
    device = TOTPDevice.objects.filter(user=user, confirmed=True, key=key).first()
    if device is None:
        two_factor.reset(user)
        device = TOTPDevice.objects.create(
            user=user, name=two_factor.AUTHENTICATOR_NAME, key=key, confirmed=True
        )
    return device


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = (
        "Create, or reset, one demo account for each role and print how to log in. "
        "Refuses to run unless DEBUG is on, so a production site never gets them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--code",
            action="store_true",
            help="Only print the demo publisher's two-factor code of this moment.",
        )

    def handle(self, *args, code=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts have well-known passwords; set DEBUG=1 to create them."
            )
        User = get_user_model()
        if code:
            publisher = User.objects.filter(username="publisher").first()
            if publisher is None:
                raise CommandError("There is no demo publisher: run demo_accounts first.")
            self.stdout.write(current_code(demo_authenticator(publisher)))
            return
        for username, password, group_name in ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            changed = not (user.is_active and user.is_staff and not user.is_superuser)
            user.is_active, user.is_staff, user.is_superuser = True, True, False
            if not user.check_password(password):
                user.set_password(password)
                changed = True
            if changed:
                user.save()
            group = Group.objects.get(name=group_name)
            user.groups.set([group])
            self.stdout.write(
                f"  {group_name + ':':11} username {username!r:13} password {password!r}"
            )
            if two_factor.is_required_for(user):
                demo_authenticator(user)
                self.stdout.write(
                    f"  {'':11} two-factor secret {DEMO_SECRET} (add it to an authenticator "
                    "app, or get the code of the moment with "
                    "`DEBUG=1 .venv/bin/python manage.py demo_accounts --code`)"
                )
