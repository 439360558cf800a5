#!/usr/bin/env bash
# The benchmark's app server: gunicorn with production settings (bench/env.sh)
# on http://127.0.0.1:$BENCH_PORT (default 8099), against DATABASE_URL.
#
#   bench/serve.sh start     collectstatic, start gunicorn, wait until it answers
#   bench/serve.sh stop      stop it
#   bench/serve.sh memory    each worker's peak memory (VmHWM), in kB, one per line
#
# BENCH_WORKERS sets the number of worker processes (default 4, sync workers).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/env.sh
pidfile=.bench/gunicorn.pid

master() {
    [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && cat "$pidfile"
}

case "${1:-}" in
start)
    if [ -z "${DATABASE_URL:-}" ]; then
        echo "serve.sh: no DATABASE_URL, and bench/postgres.sh is not running" >&2
        exit 1
    fi
    if master >/dev/null; then
        echo "serve.sh: already running (pid $(master))" >&2
        exit 1
    fi
    .venv/bin/python manage.py collectstatic --noinput -v0
    .venv/bin/gunicorn repression.wsgi:application --bind "127.0.0.1:$BENCH_PORT" \
        --workers "$BENCH_WORKERS" --pid "$pidfile" --daemon \
        --error-logfile .bench/gunicorn.log --log-level warning
    for _ in $(seq 100); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$BENCH_PORT/benchmark/minimal/" 2>/dev/null; then
            echo "serve.sh: gunicorn ($BENCH_WORKERS workers, pid $(master)) on http://127.0.0.1:$BENCH_PORT"
            exit 0
        fi
        sleep 0.2
    done
    echo "serve.sh: gunicorn did not answer; see .bench/gunicorn.log" >&2
    exit 1
    ;;
stop)
    if pid=$(master); then
        kill -TERM "$pid"
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || exit 0
            sleep 0.1
        done
        echo "serve.sh: gunicorn (pid $pid) did not stop" >&2
        exit 1
    fi
    ;;
memory)
    pid=$(master) || { echo "serve.sh: not running" >&2; exit 1; }
    for worker in $(ps --ppid "$pid" -o pid=); do
        awk '/^VmHWM/ {print $2}' "/proc/$worker/status"
    done
    ;;
*)
    echo "usage: $0 start|stop|memory" >&2
    exit 2
    ;;
esac
