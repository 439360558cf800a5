"""What each benchmarked page asks PostgreSQL, and how PostgreSQL answers: the
indexes it uses, the tables it reads whole, and the time of each query.

    python bench/explain.py [--full NAME ...]

Each page is requested once through Django's test client (with the same
settings as the server) to capture its queries; each query is then run again
under EXPLAIN ANALYZE. The pages named with --full get their plans printed
whole. Run with the project's settings and DATABASE_URL, like manage.py.
"""

import argparse
import re

from pages import PAGES_FOR_EXPLAIN, pages, setup

INDEX = re.compile(
    r"(?:Index Scan|Index Only Scan|Bitmap Index Scan) (?:Backward )?(?:using|on) (\w+)"
)
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


def explain(sql: str) -> tuple[list[str], float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}")
        plan = [row[0] for row in cursor.fetchall()]
    time = next(float(line.split(":")[1].split()[0]) for line in plan if "Execution Time" in line)
    return plan, time


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", nargs="*", default=PAGES_FOR_EXPLAIN)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    for name, path in pages():
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        print(f"\n== {name}: {path} (HTTP {status}, {len(queries.captured_queries)} queries)")
        total = 0.0
        for number, sql in enumerate(selects, 1):
            plan, time = explain(sql)
            total += time
            indexes = sorted(set(INDEX.findall("\n".join(plan))))
            scans = sorted(set(SEQ_SCAN.findall("\n".join(plan))))
            print(
                f"  {number:2}. {time:7.2f} ms  indexes: {', '.join(indexes) or '-'}"
                f"{'  whole tables: ' + ', '.join(scans) if scans else ''}"
            )
            print(f"      {sql[:150]}{'…' if len(sql) > 150 else ''}")
            if name in args.full:
                print("\n".join(f"        {line}" for line in plan))
        print(f"  total {total:.2f} ms in the database")


if __name__ == "__main__":
    main()
