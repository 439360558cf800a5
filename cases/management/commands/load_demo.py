from django.core.management.base import BaseCommand

from cases import demo


class Command(BaseCommand):
    help = (
        "Load the demo data: the September 2011 cases from Kazakhstan. "
        "Safe to run again: nothing is duplicated, and data already right is not touched."
    )

    def handle(self, *args, **options):
        demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
