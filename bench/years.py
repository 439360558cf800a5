"""The count of published cases by year, before and after migration 0031:
the UNION over every status change and start date that cases.facets ran
before, against the GROUP BY over CaseYear that it runs now; and the time
of the migration itself.

    python bench/years.py [--runs 5] [--writes 100000] [--migrate]

First checks that CaseYear holds exactly the (case, year) pairs counted
from scratch (on the benchmark's data: written by the synthetic
generator's COPY, through the triggers) and that both counts agree. With
--migrate, then migrates back to 0030 and forward again to 0031, timing
the forward step (the triggers, and the table filled in one INSERT ...
SELECT from the existing rows), and checks the pairs again. Also times all
the counts an edit has counted again (count_published_cases) with either;
with --writes N, what the triggers cost N status changes written and
deleted (rolled back). Run with the
project's settings and DATABASE_URL, like manage.py, on a database of your
own: --migrate rewrites the table.
"""

import argparse
import statistics
import time

from pages import setup

PAIRS_FROM_SCRATCH = """
    SELECT id, EXTRACT(YEAR FROM start_date)::integer FROM cases_case
    WHERE start_date IS NOT NULL
    UNION
    SELECT case_id, EXTRACT(YEAR FROM date)::integer FROM cases_statuschange
"""


def differences() -> tuple[int, int, int]:
    """(pairs kept, pairs missing from CaseYear, pairs it has too many)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cases_caseyear")
        kept = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT * FROM ({PAIRS_FROM_SCRATCH}) AS pairs EXCEPT "  # noqa: S608
            "SELECT case_id, year FROM cases_caseyear) AS missing"
        )
        missing = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT case_id, year FROM cases_caseyear EXCEPT "  # noqa: S608
            f"SELECT * FROM ({PAIRS_FROM_SCRATCH}) AS pairs) AS extra"
        )
        extra = cursor.fetchone()[0]
    return kept, missing, extra


def report_pairs():
    kept, missing, extra = differences()
    print(f"CaseYear: {kept} pairs, {missing} missing, {extra} too many")


def union_count_by_year(cases):
    """cases.facets.count_by_year() as it was before migration 0031."""
    from django.db import connections
    from django.db.models import F
    from django.db.models.functions import ExtractYear

    from cases.models import StatusChange

    starts = (
        cases.order_by()
        .exclude(start_date=None)
        .annotate(case_ref=F("pk"), year=ExtractYear("start_date"))
        .values_list("case_ref", "year")
    )
    changes = (
        StatusChange.objects.order_by()
        .filter(case__in=cases.values("pk"))
        .annotate(case_ref=F("case_id"), year=ExtractYear("date"))
        .values_list("case_ref", "year")
    )
    sql, params = starts.union(changes).query.sql_with_params()
    with connections[cases.db].cursor() as cursor:
        cursor.execute(f"SELECT year, COUNT(*) FROM ({sql}) AS years GROUP BY year", params)  # noqa: S608
        counts = [(int(year), number) for year, number in cursor.fetchall()]
    return sorted(counts, reverse=True)


def write_cost(rows: int) -> None:
    """The time of inserting, then deleting, ROWS status changes (copies of
    existing ones a year later, in one INSERT ... SELECT, then one DELETE),
    with the triggers of migration 0031 and without; rolled back."""
    from django.db import connection, transaction

    from cases.models import StatusChange

    columns = [f.column for f in StatusChange._meta.concrete_fields if f.column != "id"]
    values = [
        "left(md5(random()::text), 16)"
        if column == "public_id"
        else "(date + interval '1 year')::date"
        if column == "date"
        else column
        for column in columns
    ]
    insert = (
        f"INSERT INTO cases_statuschange ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM cases_statuschange ORDER BY id LIMIT {rows} "
        "RETURNING id"
    )
    triggers = ("case_year_statuschange_insert_delete", "case_year_statuschange_update")
    for on in (True, False):
        with transaction.atomic(), connection.cursor() as cursor:
            if not on:
                for trigger in triggers:
                    cursor.execute(f"ALTER TABLE cases_statuschange DISABLE TRIGGER {trigger}")
            start = time.perf_counter()
            cursor.execute(insert)
            ids = [row[0] for row in cursor.fetchall()]
            inserted = time.perf_counter() - start
            start = time.perf_counter()
            cursor.execute("DELETE FROM cases_statuschange WHERE id = ANY(%s)", [ids])
            deleted = time.perf_counter() - start
            transaction.set_rollback(True)
        print(
            f"{rows} status changes {'with' if on else 'without'} the triggers: "
            f"inserted in {inserted:.2f} s, deleted in {deleted:.2f} s"
        )


def timed(count, runs: int):
    from cases.models import Case

    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = count(Case.objects.published())
        times.append(time.perf_counter() - start)
    return result, times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument("--writes", type=int, default=0, help="time writing this many rows")
    args = parser.parse_args()
    setup()
    from django.core.management import call_command

    from cases import facets
    from cases.models import Case, StatusChange

    print(
        f"{Case.objects.count()} cases ({Case.objects.published().count()} published), "
        f"{StatusChange.objects.count()} status changes"
    )
    report_pairs()
    old, old_times = timed(union_count_by_year, args.runs)
    new, new_times = timed(facets.count_by_year, args.runs)
    assert old == new, (old, new)
    for name, times in (("UNION (before)", old_times), ("CaseYear (after)", new_times)):
        print(
            f"{name:17} median {statistics.median(times) * 1000:8.1f} ms, "
            f"best {min(times) * 1000:8.1f} ms over {args.runs} runs"
        )
    print(f"same counts: {len(new)} years, {sum(n for _y, n in new)} (case, year) pairs")
    # Every count an edit has counted again (cases.facets.count_published_cases),
    # with the count by year of before and of now.
    new_count = facets.count_by_year
    for name, count in (("UNION (before)", union_count_by_year), ("CaseYear (after)", new_count)):
        facets.count_by_year = count
        try:
            _result, times = timed(
                lambda _cases: facets.count_published_cases("0.bench"), args.runs
            )
        finally:
            facets.count_by_year = new_count
        print(
            f"all counts, {name:17} median {statistics.median(times) * 1000:8.1f} ms, "
            f"best {min(times) * 1000:8.1f} ms"
        )
    if args.writes:
        write_cost(args.writes)
    if args.migrate:
        call_command("migrate", "cases", "0030", verbosity=0)
        start = time.perf_counter()
        call_command("migrate", "cases", "0031", verbosity=0)
        print(f"migration 0031 forward: {time.perf_counter() - start:.1f} s")
        report_pairs()


if __name__ == "__main__":
    main()
