"""What the download of people costs, and the round trip of its facts.

    python bench/people_export.py

Against the database of DATABASE_URL (synthetic cases: manage.py generate_cases):
streams /people/export.csv (every published person, up to its limit; twice,
the first making the people list's cached counts) and
/people/export.csv?held=now, printing rows, seconds, queries and the
process's peak memory; then plans an import of the held-now file into the
same register (every row should be unchanged) and prints its seconds.
"""

import resource
import time

from pages import setup


def main():
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cases.imports.files import read_table
    from cases.imports.mapping import Mapping
    from cases.imports.plan import make_plan

    client = Client(HTTP_HOST="127.0.0.1")
    files = {}
    for query in ("", "", "?held=now"):  # the first after the counts of the filters are made
        path = f"/people/export.csv{query}"
        wall = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            data = b"".join(response.streaming_content) if response.streaming else response.content
        rows = data.count(b"\n") - 1
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{path:<32} {response.status_code} {rows:>6} rows "
            f"{time.perf_counter() - wall:6.2f} s {len(queries):4d} queries  peak {peak:5.0f} MB",
            flush=True,
        )
        files[query] = data
    wall = time.perf_counter()
    plan = make_plan(read_table(files["?held=now"], "people.csv"), Mapping())
    actions = plan.totals
    print(
        f"plan of the held-now file: {dict(actions)} in {time.perf_counter() - wall:.2f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
