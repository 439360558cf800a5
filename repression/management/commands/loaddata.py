from modeltranslation.management.commands import loaddata

from cases.models import PublicDataVersion


class Command(loaddata.Command):
    """modeltranslation's loaddata (Django's, with --populate for the translated
    fields), then a new version of the public data: the rows it writes bypass
    cases.services (and a fixture may bring back an old version row), so
    nothing cached before may be served after it. It lives in the project's
    package, listed before modeltranslation in INSTALLED_APPS, because of two
    commands of one name manage.py runs the one of the app listed first."""

    def handle(self, *fixture_labels, **options):
        super().handle(*fixture_labels, **options)
        if self.loaded_object_count:
            PublicDataVersion.bump(using=self.using)
