from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases import database_copies


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by the backup command."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask to confirm."
        )

    def handle(self, *args, path, interactive=True, **options):
        if interactive:
            answer = input(
                f"This replaces everything in the database with {path}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            database_copies.restore(path)
        except database_copies.CopyError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Database restored from {path}"))
