import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases import database_copies


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the whole database to PATH "
        "(default: backups/<date and time>.sqlite3 or .dump)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path)

    def handle(self, *args, path=None, **options):
        if path is None:
            stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
            path = Path("backups") / f"{stamp}{database_copies.suffix()}"
        try:
            database_copies.backup(path)
        except database_copies.CopyError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
