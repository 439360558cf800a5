#!/usr/bin/env bash
# `make bench`: the site at the size of a national monitor, measured.
#
# 1. installs wrk if it is missing (apt-get; needs root or sudo);
# 2. starts the benchmark's PostgreSQL server, whose data stays in .bench/
#    between runs, migrates it and generates BENCH_CASES synthetic cases
#    (default 100000, seed BENCH_SEED=1) unless they are there (bench/prepare.sh);
# 3. prints the machine, and EXPLAIN ANALYZE of every query of each page
#    (bench/explain.py), whole for the filtered and the searched list;
# 4. starts gunicorn with production settings on 127.0.0.1 (bench/serve.sh)
#    and loads each page with wrk (bench/suite.py): first as deployed, with
#    whole pages cached until the next edit, then with PUBLIC_PAGE_CACHE=0,
#    what a page costs when it is rendered (its first request after an edit);
#    between the two, the load under edits (bench/under_edits.py): 2,000
#    distinct addresses with and without a status change every 5 s;
# 5. loads the editors' admin, logged in as an editor (bench/admin.py);
# 6. stops gunicorn and PostgreSQL.
#
# BENCH_DURATION (20) and BENCH_WARMUP (5) are seconds per page;
# BENCH_EDITS_DURATION (60) seconds per run of the load under edits;
# BENCH_CONNECTIONS (8); BENCH_WORKERS (4). All traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-20}
warmup=${BENCH_WARMUP:-5}
connections=${BENCH_CONNECTIONS:-8}
python=.venv/bin/python

bench/install-wrk.sh

source bench/database.sh
trap bench_stop EXIT
echo "== database"
bench_database

echo
echo "== machine"
echo "cores: $(nproc); memory: $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
echo "CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(bench/postgres.sh version); $($python --version); Django $($python -m django --version);" \
    "gunicorn $(.venv/bin/gunicorn --version | awk '{print $NF}' | tr -d '()'); $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)"
echo "gunicorn: $BENCH_WORKERS sync workers; wrk: 1 thread, $connections connections," \
    "${warmup}s warm-up then ${duration}s per page"

echo
echo "== query plans (EXPLAIN ANALYZE; whole for the filtered and the searched list)"
$python bench/explain.py

status=0
for pass in cached uncached; do
    echo
    if [ "$pass" = cached ]; then
        echo "== load: as deployed, pages cached until the next edit"
        PUBLIC_PAGE_CACHE=1 bench/serve.sh start
    else
        echo "== load: PUBLIC_PAGE_CACHE=0, every page rendered (as on its first request after an edit)"
        PUBLIC_PAGE_CACHE=0 bench/serve.sh start
    fi
    # The exit status tells whether the deployed configuration meets the
    # targets; the uncached pass is there to show what rendering costs.
    $python bench/suite.py --label "$pass" --duration "$duration" --warmup "$warmup" \
        --connections "$connections" || { [ "$pass" = uncached ] || status=1; }
    if [ "$pass" = cached ]; then
        echo
        echo "== load under edits: a status change every 5 s on one case"
        $python bench/under_edits.py --duration "${BENCH_EDITS_DURATION:-60}" \
            --connections "$connections" || status=1
        echo "== admin, logged in as an editor"
        $python bench/admin.py || status=1
    fi
    bench/serve.sh stop
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
