#!/usr/bin/env python3
"""Load one address with wrk and print what came of it.

    bench/load.py URL [--connections 8] [--duration 20] [--threads 1] [--json]

Prints requests per second, the 50th, 95th and 99th percentiles of latency,
and errors: failed connections, reads, writes and timeouts, and responses
other than 2xx/3xx. Loopback only: URL must be on 127.0.0.1. wrk must be
installed (bench/run.sh installs it). Standard library only.
"""

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

REPORT = Path(__file__).resolve().with_name("report.lua")


def load(
    url: str,
    *,
    connections: int = 8,
    duration: int = 20,
    threads: int = 1,
    headers=(),
    script: Path = REPORT,
) -> dict:
    """Run wrk against URL (with HEADERS, "Name: value" each); its figures, with
    requests_per_second and errors added. SCRIPT: a wrk script that ends by
    running report.lua (bench/soak.lua cycles through the soak's addresses; run
    from the project's directory)."""
    if urlsplit(url).hostname != "127.0.0.1":
        raise ValueError(f"load.py loads 127.0.0.1 only, not {url}")
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (apt-get install wrk; bench/run.sh does it)")
    command = [
        "wrk", f"--threads={threads}", f"--connections={connections}",
        f"--duration={duration}s", "--timeout=10s", f"--script={script}",
        *(f"--header={header}" for header in headers), url,
    ]  # fmt: skip
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=True, cwd=REPORT.parent.parent
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH-JSON "))
    figures = json.loads(line.removeprefix("BENCH-JSON "))
    figures["url"] = url
    figures["requests_per_second"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(
        figures[kind] for kind in ("connect", "read", "write", "status", "timeout")
    )
    return figures


def summary(figures: dict) -> str:
    ms = {p: figures[f"{p}_us"] / 1000 for p in ("p50", "p95", "p99")}
    return (
        f"{figures['requests_per_second']:8.1f} req/s   p50 {ms['p50']:6.1f} ms   "
        f"p95 {ms['p95']:6.1f} ms   p99 {ms['p99']:6.1f} ms   errors {figures['errors']}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=20, help="seconds (20)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = load(
        args.url, connections=args.connections, duration=args.duration, threads=args.threads
    )
    print(json.dumps(figures, indent=2) if args.json else f"{summary(figures)}   {args.url}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
