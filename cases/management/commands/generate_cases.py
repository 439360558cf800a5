from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases import synthetic
from cases.models import Case


class Command(BaseCommand):
    help = (
        "Write N synthetic cases, with their people, charges, organisations, sources and "
        "timelines, for measuring the site at size (see cases/synthetic.py). The same seed "
        "gives the same data. Never for a database with real cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1000, help="How many cases (1000).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices (1).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the synthetic data already there first (otherwise refuse to add to it).",
        )

    def handle(self, *args, cases, seed, replace, **options):
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        real = Case.objects.exclude(slug__startswith=synthetic.SLUG_PREFIX)
        if not settings.DEBUG and real.exists():
            raise CommandError(
                "This database holds cases that are not synthetic: synthetic ones would be "
                "published next to them. Use an empty database (or one with DEBUG on)."
            )
        if synthetic.count():
            if not replace:
                raise CommandError(
                    f"The database already holds {synthetic.count()} synthetic cases. "
                    "Use --replace to delete them first."
                )
            self.stdout.write(f"Deleted {synthetic.delete()} synthetic cases.")
        self.stdout.write(f"Writing {cases} synthetic cases (seed {seed}) ...")
        synthetic.generate(cases, seed, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{cases} synthetic cases written."))
