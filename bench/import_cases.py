"""What importing 10,000 rows costs: the plan (a dry run) and the import.

    SECRET_KEY=x .venv/bin/python bench/import_cases.py [ROWS] [--dry-run]
    .ci/with-postgres env SECRET_KEY=x .venv/bin/python bench/import_cases.py

Makes a list of ROWS rows (10,000 by default) in a fresh database (a
temporary SQLite file, or the DATABASE_URL given): made-up names in Latin
and Cyrillic letters, one case per three rows, dates in several forms,
charges by article and by name, a status and a source per row. Then prints
the seconds of reading the file and making the plan, and of carrying it
out, as the command does, and the process's peak resident memory after each;
then the seconds of planning another list of the same people under other
ids, each of them a possible duplicate of someone the register holds.
"""

import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIVEN = ["Ainur", "Esenbek", "Kulzhan", "Aigul", "Yerlan", "Dana", "Marat", "Saule", "Timur"]
FAMILY = ["Kurmanov", "Ukteshbaev", "Sailybaeva", "Esimova", "Abenov", "Nurlanova", "Serikov"]
DATES = ["2014-04-{day:02d}", "{day} April 2014", "April {day}, 2014", "2014-04", "2014"]


def make_csv(rows: int) -> bytes:
    rng = random.Random(16)  # noqa: S311 (made-up names, not secrets)
    lines = ["external_id,case_id,title,country,name,status,status_date,charges,sources"]
    for number in range(rows):
        group = number // 3
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}-{number}"
        date = rng.choice(DATES).format(day=rng.randint(1, 28))
        charge = rng.choice(["Article 174", "Article 400 part 2", "arbitrariness, samoupravstvo"])
        lines.append(
            f'B:{number},G:{group},Case number {group},KZ,{name},charged,"{date}",'
            f'"{charge}",https://news.example.org/bench/{group}'
        )
    return ("\n".join(lines) + "\n").encode()


def main():
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    rows = int(numbers[0]) if numbers else 10_000
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repression.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from cases.imports.files import read_table
    from cases.imports.mapping import Mapping
    from cases.imports.plan import make_plan
    from cases.imports.writes import carry_out

    call_command("migrate", verbosity=0)
    data = make_csv(rows)
    print(f"{rows} rows, {len(data) / 2**20:.1f} MB, on {django.db.connection.vendor}")

    started = time.perf_counter()
    plan = make_plan(read_table(data, "bench.csv"), Mapping())
    planned = time.perf_counter() - started
    assert not plan.has_errors, plan.results[:3]
    print(f"dry run (read + plan): {planned:.1f} s, peak {_peak_mb():.0f} MB")
    if "--dry-run" in sys.argv:
        return

    started = time.perf_counter()
    cases = carry_out(plan, user=None)
    written = time.perf_counter() - started
    print(f"import ({len(cases)} cases): {written:.1f} s, peak {_peak_mb():.0f} MB")
    print(f"in all: {planned + written:.1f} s")

    # The same people under other ids: every row is new, and a possible
    # duplicate of someone the register now holds.
    other = data.replace(b"B:", b"Other:").replace(b"G:", b"OtherG:")
    started = time.perf_counter()
    plan = make_plan(read_table(other, "other.csv"), Mapping())
    planned = time.perf_counter() - started
    duplicates = plan.totals["duplicate"]
    print(
        f"dry run of another list of the same people ({duplicates} rows with possible "
        f"duplicates in the register): {planned:.1f} s, peak {_peak_mb():.0f} MB"
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
