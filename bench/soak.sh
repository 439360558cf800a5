#!/usr/bin/env bash
# `make soak`: the site under sustained load. gunicorn with production
# settings and PostgreSQL (the benchmark's server and data, bench/prepare.sh),
# SOAK_SECONDS (300) of wrk at SOAK_CONNECTIONS (16) on 127.0.0.1, cycling
# through a couple of thousand distinct pages (bench/soak_paths.py), so that
# pages are rendered all along, not only served from the cache.
#
# Prints the load's figures and each worker's memory (resident set) every
# SOAK_SAMPLE_SECONDS (30), then whether memory kept growing. Fails on any
# error. Not part of `make test`. All traffic stays on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${SOAK_SECONDS:-300}
connections=${SOAK_CONNECTIONS:-16}
interval=${SOAK_SAMPLE_SECONDS:-30}
python=.venv/bin/python

bench/install-wrk.sh

source bench/database.sh
wrk_pid=
stop() {
    [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null || true
    bench_stop
}
trap stop EXIT

echo "== database"
bench_database
# Only the addresses: django-axes greets on standard output too.
$python manage.py shell -v0 < bench/soak_paths.py | grep "^/" > .bench/soak-paths
echo "$(wc -l < .bench/soak-paths) distinct addresses"

echo "== gunicorn"
bench/serve.sh start
master=$(cat .bench/gunicorn.pid)

echo "== load: ${seconds}s at $connections connections (wrk, 2 threads)"
wrk --threads=2 --connections="$connections" --duration="${seconds}s" --timeout=10s \
    --script=bench/soak.lua "http://127.0.0.1:$BENCH_PORT" > .bench/soak-wrk.txt &
wrk_pid=$!

rss() {  # each worker's resident memory in MB, one line
    for worker in $(ps --ppid "$master" -o pid= | sort -n); do
        awk '/^VmRSS/ {printf "%6.1f ", $2 / 1024}' "/proc/$worker/status"
    done
}
echo "memory of each worker (MB, resident):"
samples=()
elapsed=0
while kill -0 "$wrk_pid" 2>/dev/null; do
    sample=$(rss)
    samples+=("$sample")
    printf "  %4ss  %s\n" "$elapsed" "$sample"
    sleep "$interval"
    elapsed=$((elapsed + interval))
done
wait "$wrk_pid" || true
wrk_pid=
final=$(rss)
printf "  %4ss  %s (end)\n" "$elapsed" "$final"

echo "== figures"
$python - "${samples[1]:-${samples[0]}}" "$final" <<'PY'
import json
import sys
from pathlib import Path

text = Path(".bench/soak-wrk.txt").read_text()
line = next(l for l in text.splitlines() if l.startswith("BENCH-JSON "))
f = json.loads(line.removeprefix("BENCH-JSON "))
seconds = f["duration_us"] / 1e6
errors = {k: f[k] for k in ("connect", "read", "write", "status", "timeout")}
print(f"requests: {f['requests']} in {seconds:.0f} s: {f['requests'] / seconds:.1f} req/s")
print(
    f"latency: p50 {f['p50_us'] / 1000:.1f} ms, p95 {f['p95_us'] / 1000:.1f} ms, "
    f"p99 {f['p99_us'] / 1000:.1f} ms, max {f['max_us'] / 1000:.1f} ms"
)
print(f"errors: {sum(errors.values())} {errors}")
warm = [float(x) for x in sys.argv[1].split()]
end = [float(x) for x in sys.argv[2].split()]
growth = [b - a for a, b in zip(warm, end, strict=False)]
print(
    "worker memory after warm-up -> end (MB): "
    + ", ".join(f"{a:.0f} -> {b:.0f}" for a, b in zip(warm, end, strict=False))
)
print(f"largest growth after warm-up: {max(growth, default=0):.1f} MB")
sys.exit(1 if sum(errors.values()) else 0)
PY
