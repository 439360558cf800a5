"""Load each benchmarked page in turn and print the figures, with the targets of
issue 7 checked.

    python bench/suite.py [--label NAME] [--duration 20] [--warmup 5] [--connections 8]

The server must be running (bench/serve.sh start). Each page is loaded for
WARMUP seconds (not counted: each worker fills its caches), then for
DURATION seconds. Throughput is also given as a share of the minimal view's,
measured in the same run. Then the workers' peak memory (VmHWM). The figures
are also written to .bench/results-NAME.json. Run with the project's
settings and DATABASE_URL, like manage.py (bench/run.sh does).
"""

import argparse
import json
import os
import subprocess
import sys

from load import load
from pages import ROOT, pages, setup

MB = 1024
LIST_PAGES = ["list", "list by country and charge", "list with text search"]


def targets(results: dict[str, dict], memory_kb: list[int]) -> list[tuple[str, bool, str]]:
    """[(target, met, what was measured)] for the targets of issue 7."""
    minimal = results["minimal view"]["requests_per_second"]
    ratio = {name: r["requests_per_second"] / minimal for name, r in results.items()}
    p95 = {name: r["p95_us"] / 1000 for name, r in results.items()}
    filtered, search = "list by country and charge", "list with text search"
    case = next(name for name in results if name.startswith("case "))
    deep = next(name for name in results if name.startswith("list page "))
    errors = sum(r["errors"] for r in results.values())
    checks = [
        ("no errors", errors == 0, f"{errors} errors"),
        (f"{filtered}: p95 <= 150 ms", p95[filtered] <= 150, f"{p95[filtered]:.1f} ms"),
        (f"{case}: p95 <= 150 ms", p95[case] <= 150, f"{p95[case]:.1f} ms"),
        (f"{search}: p95 < 250 ms", p95[search] < 250, f"{p95[search]:.1f} ms"),
        (f"{case}: >= 0.3 of the minimal view", ratio[case] >= 0.3, f"{ratio[case]:.2f}"),
    ]
    for name in [*LIST_PAGES, deep]:
        checks.append(
            (f"{name}: >= 0.2 of the minimal view", ratio[name] >= 0.2, f"{ratio[name]:.2f}")
        )
    peak = max(memory_kb) / MB
    checks.append(("worker memory < 150 MB", peak < 150, f"{peak:.0f} MB at most"))
    return checks


def worker_memory() -> list[int]:
    command = [str(ROOT / "bench" / "serve.sh"), "memory"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return [int(line) for line in output.split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="run")
    parser.add_argument("--duration", type=int, default=20, help="seconds per page (20)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds per page, not counted (5)")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    setup()
    base = f"http://127.0.0.1:{os.environ.get('BENCH_PORT', '8099')}"

    results = {}
    print(
        f"{'page':<28} {'req/s':>8} {'share':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    for name, path in pages():
        if args.warmup:
            load(base + path, connections=args.connections, duration=args.warmup)
        figures = load(base + path, connections=args.connections, duration=args.duration)
        results[name] = figures
        share = figures["requests_per_second"] / results["minimal view"]["requests_per_second"]
        print(
            f"{name:<28} {figures['requests_per_second']:8.1f} {share:6.2f} "
            f"{figures['p50_us'] / 1000:8.1f} {figures['p95_us'] / 1000:8.1f} "
            f"{figures['p99_us'] / 1000:8.1f} {figures['errors']:7d}   {path}",
            flush=True,
        )
    memory = worker_memory()
    print(
        f"worker peak memory (VmHWM): {max(memory) / MB:.0f} MB at most "
        f"({', '.join(f'{kb / MB:.0f}' for kb in memory)} MB for the {len(memory)} workers)"
    )
    print(f"\ntargets ({args.label}, {args.connections} connections):")
    checks = targets(results, memory)
    for target, met, measured in checks:
        print(f"  {'met   ' if met else 'MISSED'}  {target:<50} {measured}")
    path = ROOT / ".bench" / f"results-{args.label}.json"
    path.write_text(json.dumps({"pages": results, "worker_memory_kb": memory}, indent=2))
    return 0 if all(met for _target, met, _measured in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
