#!/usr/bin/env bash
# The benchmark's data: start its PostgreSQL server (bench/postgres.sh),
# migrate, and generate BENCH_CASES synthetic cases (default 100000, seed
# BENCH_SEED=1) unless exactly that many are there already; then VACUUM
# ANALYZE, as autovacuum would have by then on a live server. Also collects
# the static files into .bench/static, which pages need with DEBUG off.
#
#   bench/prepare.sh          prints DATABASE_URL on its last line
#
# The server keeps running; bench/postgres.sh stop stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${BENCH_CASES:-100000}
seed=${BENCH_SEED:-1}
python=.venv/bin/python

DATABASE_URL=$(bench/postgres.sh start)
export DATABASE_URL
source bench/env.sh
# Generating the cases and VACUUM ANALYZE may take longer than the statement
# timeout that pages get (DATABASE_STATEMENT_TIMEOUT); the served site keeps it.
export DATABASE_STATEMENT_TIMEOUT=0

$python manage.py migrate --noinput -v0 >&2
$python manage.py collectstatic --noinput -v0 >&2
present=$($python manage.py shell -v0 -c "from cases import synthetic; print(synthetic.count())")
if [ "$present" != "$cases" ]; then
    echo "generating $cases synthetic cases (seed $seed); $present there now" >&2
    start=$(date +%s)
    $python manage.py generate_cases --cases "$cases" --seed "$seed" --replace >&2
    $python manage.py shell -v0 -c "
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute('VACUUM ANALYZE')"
    echo "generated in $(($(date +%s) - start)) s (with VACUUM ANALYZE)" >&2
else
    echo "$cases synthetic cases there already (bench/postgres.sh stop; rm -rf .bench/postgres to start again)" >&2
fi
echo "$DATABASE_URL"
