"""What a text search of the list costs in PostgreSQL at size, before and after
issue 14's search in any spelling, on the same rows.

    python bench/search_cost.py [--repeat 30]

Run with the project's settings and the benchmark's DATABASE_URL (after
bench/prepare.sh). For each query it times what the list page asks the
database (the count, and the first 20 cases by recency), REPEAT times, and
prints p50 and p95 in ms: now (cases.search.matching, with its check for
near spellings), and before, as the search was up to commit 873b018 (one
prefix per word, on documents of the words of title, summary and people's
names). The "before" documents are written into a temporary column with its
own GIN index, dropped at the end; the data is otherwise left as it was.
"""

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    ("surname in ~10 % of cases (make bench's)", "Nurlanova"),
    ("another spelling of it", "Nurlanowa"),
    ("in Cyrillic", "Нурланова"),
    ("a given name and a surname", "Ainur Nurlanova"),
    ("a charge in Russian", "самоуправство"),
    ("nothing as typed: near spellings", "Nurlanvoa"),
    ("nothing at all", "Qwxzvbnm"),
]


def old_document(title, summary, names):
    """The document as cases/search.py built it before issue 14."""
    import re

    words = re.findall(r"[^\W_]+", " ".join([title, summary, *names]).lower())
    return f" {' '.join(words)} " if words else ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repression.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    from cases import search
    from cases.models import Case, CaseParticipant

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cases_case ADD COLUMN IF NOT EXISTS old_document text")
    try:
        print("writing the old documents ...", file=sys.stderr)
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            people = defaultdict(list)  # people's names only: no charges, no country
            for pk, *spellings in (
                CaseParticipant.objects.filter(case__in=chunk)
                .order_by("pk")
                .values_list(
                    "case_id", "person__name", "person__name_original", "person__other_names"
                )
            ):
                people[pk].extend(spellings)
            rows = Case.objects.filter(pk__in=chunk).values_list("pk", "title", "summary")
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE cases_case SET old_document = %s WHERE id = %s",
                    [(old_document(t, s, people[pk]), pk) for pk, t, s in rows],
                )
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS case_old_document_fts ON cases_case "
                "USING gin (to_tsvector('simple'::regconfig, old_document))"
            )
            cursor.execute("ANALYZE cases_case")

        def before(query):
            terms = list(dict.fromkeys(search.words(query)))[:10]
            tsquery = " & ".join(f"'{t}':*" for t in terms)
            condition = RawSQL(
                "to_tsvector('simple'::regconfig, old_document) @@ to_tsquery('simple', %s)",
                [tsquery],
                output_field=BooleanField(),
            )
            return Case.objects.published().filter(condition)

        def now(query):
            return search.matching(Case.objects.published(), query, max_words=10)

        print(f"{Case.objects.published().count()} published cases; {args.repeat} runs each\n")
        print("| query | | before: found | p50 ms | p95 ms | now: found | p50 ms | p95 ms |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for label, query in QUERIES:
            cells = []
            for make in (before, now):
                times, count = [], 0
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    cases = make(query)
                    count = cases.count()
                    list(cases.recently_updated()[:20].values_list("pk", flat=True))
                    times.append((time.perf_counter() - start) * 1000)
                times.sort()
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                cells += [str(count), f"{statistics.median(times):.1f}", f"{p95:.1f}"]
            print(f"| {query} | {label} | " + " | ".join(cells) + " |")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS case_old_document_fts")
            cursor.execute("ALTER TABLE cases_case DROP COLUMN IF EXISTS old_document")


if __name__ == "__main__":
    main()
