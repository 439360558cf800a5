from django.core.management.commands import loaddata

from cases.models import PublicDataVersion


class Command(loaddata.Command):
    """Django's loaddata, then a new version of the public data: the rows it
    writes bypass cases.services (and a fixture may bring back an old version
    row), so nothing cached before may be served after it."""

    def handle(self, *fixture_labels, **options):
        super().handle(*fixture_labels, **options)
        if self.loaded_object_count:
            PublicDataVersion.bump(using=self.using)
