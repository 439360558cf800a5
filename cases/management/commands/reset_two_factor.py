from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cases.accounts import two_factor


class Command(BaseCommand):
    help = (
        "Reset a user's two-factor authentication after a lost phone: deletes the "
        "authenticator and the recovery codes, so that the next login enrols again. "
        "Check who is asking first: whoever logs in next with the password enrols."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None
        deleted = two_factor.reset(user)
        if deleted:
            self.stdout.write(
                f"Two-factor authentication of {username!r} reset ({deleted} devices deleted): "
                "they set it up again at their next login."
            )
        else:
            self.stdout.write(f"{username!r} had no two-factor authentication; nothing to reset.")
