"""The search table of issue 14: what each query of tests/test_search_spellings.py
finds in the demo data, as a Markdown table to paste into notes.

    python bench/search_table.py                       on SQLite (db.sqlite3)
    DATABASE_URL=postgres://... python bench/search_table.py

Run with the project's settings, like manage.py. The demo data is loaded in
a transaction that is rolled back at the end: the database is left as it was.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repression.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from cases import search
    from cases.models import Case
    from tests.test_search_spellings import NEAR_SPELLINGS, TABLE

    rows = [(*row, False) for row in TABLE] + [(*row, True) for row in NEAR_SPELLINGS]
    with transaction.atomic():
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"Database: {connection.vendor}\n")
        print("| query | written as | finds | expected | |")
        print("|---|---|---|---|---|")
        for query, expected, how, near in rows:
            cases = search.matching(Case.objects.published(), query, max_words=10)
            slugs = sorted(cases.values_list("slug", flat=True))
            if near and connection.vendor != "postgresql":
                verdict = "PostgreSQL only"
            else:
                verdict = "yes" if slugs == sorted(expected) else "**NO**"
            shown = query.encode("unicode_escape").decode() if not query.isprintable() else query
            print(
                f"| {shown} | {how} | {', '.join(slugs) or '-'} "
                f"| {', '.join(sorted(expected)) or '-'} | {verdict} |"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
