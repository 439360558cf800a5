# Sourced by the benchmark's scripts: production settings on loopback.
#
# DEBUG off, a SECRET_KEY of its own, answers only to 127.0.0.1 over plain
# HTTP (HTTPS=0: no redirect, no secure-only cookies), the yardstick view on,
# static files collected into .bench/static. DATABASE_URL: the benchmark's
# PostgreSQL server (bench/postgres.sh) unless set already.
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DEBUG=0
export HTTPS=0
export ALLOWED_HOSTS=127.0.0.1
export BENCHMARK_VIEWS=1
export STATIC_ROOT="$bench_root/.bench/static"
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
mkdir -p "$bench_root/.bench"
if [ -z "${SECRET_KEY:-}" ]; then
    [ -s "$bench_root/.bench/secret_key" ] ||
        python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > "$bench_root/.bench/secret_key"
    export SECRET_KEY_FILE="$bench_root/.bench/secret_key"
fi
if [ -z "${DATABASE_URL:-}" ]; then
    DATABASE_URL=$("$bench_root/bench/postgres.sh" url || true)
    export DATABASE_URL
fi
export BENCH_PORT=${BENCH_PORT:-8099}
export BENCH_WORKERS=${BENCH_WORKERS:-4}
