# Sourced by bench/run.sh and bench/soak.sh: the benchmark's database for one run.
#
# bench_database starts the benchmark's PostgreSQL server if it is not running
# (bench/prepare.sh: migrated, with its synthetic cases), exports DATABASE_URL
# and the production settings of bench/env.sh. bench_stop, for the script's
# EXIT trap, stops gunicorn, and the server too if this run started it: a
# server someone left running stays running.
bench_started_postgres=

bench_database() {
    [ -n "$(bench/postgres.sh url || true)" ] || bench_started_postgres=1
    DATABASE_URL=$(bench/prepare.sh | tail -n 1)
    export DATABASE_URL
    source bench/env.sh
}

bench_stop() {
    bench/serve.sh stop || true
    if [ -n "$bench_started_postgres" ]; then bench/postgres.sh stop || true; fi
}
