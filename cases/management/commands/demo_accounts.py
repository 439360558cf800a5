from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# Well known on purpose: these accounts exist only on development machines.
ACCOUNTS = [
    ("editor", "editor-demo-2011", "Editor"),
    ("publisher", "publisher-demo-2011", "Publisher"),
]


class Command(BaseCommand):
    help = (
        "Create, or reset, one demo account for each role and print how to log in. "
        "Refuses to run unless DEBUG is on, so a production site never gets them."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts have well-known passwords; set DEBUG=1 to create them."
            )
        User = get_user_model()
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
