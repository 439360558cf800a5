"""python manage.py import_cases FILE [--mapping M] [--dry-run] [--as USERNAME]

Reads FILE (CSV or .xlsx, docs/import.md), prints what each row does
(create, update with the fields that change, unchanged, error, possible
duplicate) and the totals, and, unless --dry-run or any row has an error,
imports it in one transaction. The file is only read.
"""

import contextlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cases.imports.files import UnreadableFile, read_table
from cases.imports.mapping import BadMapping, load_mapping
from cases.imports.plan import ERROR, make_plan
from cases.imports.writes import ImportRefused, carry_out, one_import_at_a_time


class Command(BaseCommand):
    help = "Import cases from a CSV file or an Excel workbook (docs/import.md)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", help="a TOML file mapping the list's columns")
        parser.add_argument("--dry-run", action="store_true", help="show the plan; write nothing")
        parser.add_argument("--as", dest="username", help="the author in the history of edits")
        parser.add_argument("--quiet-rows", action="store_true", help="print the totals only")

    def handle(self, *args, file, mapping=None, dry_run=False, username=None, **options):
        try:
            data = Path(file).read_bytes()
            mapping = load_mapping(Path(mapping).read_text("utf-8") if mapping else None)
            table = read_table(data, file)
        except (OSError, UnreadableFile, BadMapping) as error:
            raise CommandError(str(error)) from None
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user named {username}.")
        # Planned and written in one transaction that no other import runs
        # beside: two imports of one list at once make its people once.
        with contextlib.nullcontext() if dry_run else one_import_at_a_time():
            self._import(table, mapping, user, dry_run=dry_run, **options)

    def _import(self, table, mapping, user, *, dry_run, **options):
        plan = make_plan(table, mapping)
        for message in plan.file_errors:
            self.stderr.write(f"error: {message}")
        if not options["quiet_rows"]:
            for result in plan.results:
                self.stdout.write(_describe(result))
        for value in plan.missing:
            self.stdout.write(f"not in this file any more (kept): {value}")
        totals = plan.totals
        self.stdout.write(
            ", ".join(
                f"{totals[name]} {name}"
                for name in ("create", "update", "unchanged", "error", "duplicate")
            )
        )
        if plan.has_errors:
            raise CommandError("The file has errors; nothing was imported.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        with tqdm(total=len(plan.cases), unit="case", disable=None, file=self.stderr) as bar:
            try:
                written = carry_out(plan, user=user, progress=bar.update)
            except ImportRefused as error:
                raise CommandError(str(error)) from None
        self.stdout.write(f"Imported: {len(written)} cases written, as drafts.")


def _describe(result) -> str:
    head = f"line {result.line}: {result.action}"
    if result.case:
        head += f" — {result.case}"
    if result.person:
        head += f" — {result.person}"
    lines = [head]
    for change in result.changes:
        lines.append(f"    {change.what}: {change.old!r} -> {change.new!r}")
    for column, message in result.errors if result.action == ERROR else ():
        lines.append(f"    error in column {column}: {message}")
    for candidate in result.duplicates:
        where = f"line {candidate.line} of this file" if candidate.line else f"#{candidate.pk}"
        lines.append(
            f"    possible duplicate of {candidate.name} ({where}, score {candidate.score}): {candidate.why}"
        )
    for note in result.notes:
        lines.append(f"    note: {note}")
    return "\n".join(lines)
