from django.core.management.base import BaseCommand, CommandError

from cases import search, services
from cases.models import Case


class Command(BaseCommand):
    help = (
        "Rebuild the search document of every case (see cases/search.py), in batches. "
        "Run it after an upgrade that changes what search finds cases by; the site "
        "stays up meanwhile, each case being found as before until its batch is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Cases written at a time (1000)."
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        done = search.refresh_documents(Case.objects.all(), batch_size=batch_size)
        # Cached pages and counts of searches hold results of the old documents.
        services.public_data_changed()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the search documents of {done} cases."))
