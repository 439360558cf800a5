#!/usr/bin/env bash
# The benchmark's PostgreSQL server: like CI's (.ci/with-postgres), but its
# data stays in .bench/postgres between runs, so that the synthetic cases
# are generated once.
#
#   bench/postgres.sh start    start it (initdb the first time); prints DATABASE_URL
#   bench/postgres.sh stop     stop it (the data stays)
#   bench/postgres.sh url      print DATABASE_URL if it is running
#
# Loopback only (127.0.0.1, trust authentication). BENCH_PGPORT chooses the
# port (default 54329). As root, the server runs as the postgres user, as
# initdb requires. Unlike CI's, it keeps fsync on: the data is worth keeping.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$PWD/.bench/postgres
port=${BENCH_PGPORT:-54329}
url="postgres://postgres@127.0.0.1:$port/repression"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
    bindir=$(dirname "$(command -v initdb || true)")
fi
if [ ! -x "$bindir/initdb" ]; then
    echo "postgres.sh: PostgreSQL server binaries (initdb, pg_ctl) not found" >&2
    exit 1
fi
as_owner=()
if [ "$(id -u)" = 0 ]; then
    as_owner=(runuser -u postgres --)
fi

running() {
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

case "${1:-}" in
start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres "$dir"
        "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >/dev/null
    fi
    if ! running; then
        # A small server's settings: 2 cores, a few GB for the database.
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
            "-h 127.0.0.1 -p $port -k $dir -c shared_buffers=512MB -c effective_cache_size=2GB -c work_mem=16MB -c maintenance_work_mem=256MB -c max_wal_size=4GB -c random_page_cost=1.1" \
            start >/dev/null
    fi
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = 'repression'" postgres | grep -q 1 ||
        "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres repression
    echo "$url"
    ;;
stop)
    if running; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
url)
    running && echo "$url"
    ;;
version)
    "$bindir/postgres" --version
    ;;
*)
    echo "usage: $0 start|stop|url|version" >&2
    exit 2
    ;;
esac
