"""Load under edits: the soak's 2,000 distinct addresses (bench/soak_paths.py)
at 8 connections, first without edits, then with a status change recorded
on one case every 5 seconds; the targets of issue 18 checked.

    python bench/under_edits.py [--duration 60] [--warmup 30] [--connections 8] [--every 5]

An edit stamps what it changes (cases.page_cache): the pages that show the
edited case, the lists and the home page are rendered again, and the counts
are counted again by one request; every other page stays in the cache. The
targets: throughput under edits at least 0.8 of that without, p95 at most
1.5 times, and no errors in either run. The edits are the services' own
(record_status_change), on the published case with the fewest entries; the
entries are deleted at the end, through the same path as the admin's.

The server must be running with the page cache on (bench/serve.sh start);
run with the project's settings and DATABASE_URL, like manage.py (bench/run.sh
does). The figures are also written to .bench/results-under-edits.json.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import threading

from load import load, summary
from pages import ROOT, setup

SOAK = ROOT / "bench" / "soak.lua"
HEADLINE = "Benchmark: a status change under load"


def write_paths() -> int:
    """The soak's addresses into .bench/soak-paths (what soak.lua reads); how many."""
    with (ROOT / "bench" / "soak_paths.py").open() as script:
        output = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-v0"],
            stdin=script,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    paths = [line for line in output.splitlines() if line.startswith("/")]
    (ROOT / ".bench" / "soak-paths").write_text("\n".join(paths) + "\n")
    return len(set(paths))


class Editor(threading.Thread):
    """Records a status change on CASE every EVERY seconds until stopped."""

    def __init__(self, case, every: float):
        super().__init__(daemon=True)
        self.case, self.every, self.edits, self.error = case, every, 0, None
        self.stopped = threading.Event()

    def run(self):
        from django.db import connection

        from cases import services

        participant = self.case.participants.order_by("pk").first()
        source = self.case.sources.first() or self.case.status_changes.first().sources.first()
        statuses = ["pre_trial_detention", "charged"]
        try:
            while not self.stopped.wait(self.every):
                services.record_status_change(
                    self.case,
                    participants=[participant],
                    status=statuses[self.edits % 2],
                    date=datetime.date.today(),
                    headline=HEADLINE,
                    sources=[source],
                )
                self.edits += 1
        except Exception as error:  # noqa: BLE001 (reported by main())
            self.error = error
        finally:
            connection.close()


def edited_case():
    from django.db.models import Count

    from cases.models import Case

    return (
        Case.objects.published()
        .filter(status_changes__isnull=False, participants__isnull=False)
        .annotate(entries=Count("status_changes", distinct=True))
        .order_by("entries", "pk")
        .first()
    )


def clean_up(case) -> int:
    """Delete the benchmark's entries, as the admin does: the case's current
    statuses brought up to date, the change said."""
    from django.db import transaction

    from cases import services

    with transaction.atomic():
        services.public_data_changed(case)
        _total, deleted = case.status_changes.filter(headline=HEADLINE).delete()
        services.update_current_statuses(case)
    return deleted.get("cases.StatusChange", 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (60)")
    parser.add_argument("--warmup", type=int, default=30, help="seconds, not counted (30)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--every", type=float, default=5, help="seconds between edits (5)")
    args = parser.parse_args()
    setup()
    url = f"http://127.0.0.1:{os.environ.get('BENCH_PORT', '8099')}"
    distinct = write_paths()
    case = edited_case()
    print(
        f"{distinct} distinct addresses, {args.connections} connections, {args.duration} s "
        f"per run after {args.warmup} s of warm-up; edited: /cases/{case.slug}/ "
        f"every {args.every:g} s",
        flush=True,
    )

    def run():
        return load(url, connections=args.connections, duration=args.duration, script=SOAK)

    load(url, connections=args.connections, duration=args.warmup, script=SOAK)
    quiet = run()
    print(f"without edits  {summary(quiet)}", flush=True)
    editor = Editor(case, args.every)
    editor.start()
    try:
        edited = run()
    finally:
        editor.stopped.set()
        editor.join()
    print(f"under edits    {summary(edited)}   ({editor.edits} status changes)", flush=True)
    if editor.error is not None:
        print(f"the edits stopped: {editor.error!r}")
    print(f"deleted the benchmark's {clean_up(case)} entries")

    throughput = edited["requests_per_second"] / quiet["requests_per_second"]
    p95 = edited["p95_us"] / quiet["p95_us"]
    errors = quiet["errors"] + edited["errors"]
    checks = [
        ("throughput under edits >= 0.8 of without", throughput >= 0.8, f"{throughput:.2f}"),
        ("p95 under edits <= 1.5x of without", p95 <= 1.5, f"{p95:.2f}x"),
        ("no errors", errors == 0 and editor.error is None, f"{errors} errors"),
        (
            f"a status change every {args.every:g} s",
            editor.edits >= args.duration // args.every - 1,
            f"{editor.edits} in {args.duration} s",
        ),
        (f"{distinct} distinct addresses >= 2000", distinct >= 2000, f"{distinct}"),
    ]
    print("\ntargets (load under edits):")
    for target, met, measured in checks:
        print(f"  {'met   ' if met else 'MISSED'}  {target:<50} {measured}")
    results = {"without edits": quiet, "under edits": edited, "edits": editor.edits}
    (ROOT / ".bench" / "results-under-edits.json").write_text(json.dumps(results, indent=2))
    return 0 if all(met for _target, met, _measured in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
