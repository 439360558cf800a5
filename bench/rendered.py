"""The public pages of `make bench` rendered afresh (PUBLIC_PAGE_CACHE=0), in
this process: the CPU time and queries each page itself costs.

    python bench/rendered.py [--repeat 7]

Renders each page of bench/pages.py REPEAT times with Django's test client
(no server) and prints the median wall time, CPU time and time in SQL, and
the number of queries. On a machine shared with other work, CPU time is what
the page costs; wall time is not. Run with the project's settings and
DATABASE_URL, like manage.py (bench/run.sh does).
"""

import argparse
import os
import statistics
import sys
import time

from pages import pages, setup


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="renders per page (7)")
    args = parser.parse_args()
    os.environ["PUBLIC_PAGE_CACHE"] = "0"
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'page (rendered)':<30} {'wall ms':>8} {'CPU ms':>8} {'SQL ms':>8} {'queries':>8}")
    for name, path in pages():
        client.get(path)  # warm-up: the facets' counts, the templates
        walls, cpus, sqls = [], [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            if response.status_code != 200:  # page 2000 of a smaller benchmark
                break
            sqls.append(sum(float(query["time"]) for query in queries) * 1000)
        if response.status_code != 200:
            print(f"{name:<30} {response.status_code}   {path}")
            continue
        wall, cpu, sql = (statistics.median(values) for values in (walls, cpus, sqls))
        print(f"{name:<30} {wall:8.1f} {cpu:8.1f} {sql:8.1f} {len(queries):8d}   {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
