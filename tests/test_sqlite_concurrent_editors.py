"""Editors who save at once on the embedded SQLite database wait their turn.

`make run` serves an SQLite file, and a small group may keep it in
production. With SQLite's defaults two status changes recorded at the same
moment failed with "database is locked" in 11 of 12 rounds: a transaction
that reads first and writes later is refused the write lock at once rather
than made to wait. The settings (repression/settings.py) begin transactions
with BEGIN IMMEDIATE, wait for the lock, and use WAL.

The test suite's own database is in memory, where none of this happens, so
this runs a fresh interpreter on an SQLite file, with the site's settings:
`manage.py migrate`, then editors in threads, each with its own connection
as under a threaded server, recording status changes through
cases.services at the same instant.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EDITORS = """
import datetime, json, sys, threading

import django

django.setup()

from django.db import connection

from cases.models import Case, CaseParticipant, Person, Source, StatusChange
from cases.services import record_status_change

editors, rounds = int(sys.argv[1]), int(sys.argv[2])
case = Case.objects.create(title="Esenbek Ukteshbayev and others", slug="oil-workers", country="KZ")
participants = [
    CaseParticipant.objects.create(
        case=case,
        person=Person.objects.create(name=f"Oil worker {i}", slug=f"oil-worker-{i}"),
        role="accused",
    )
    for i in range(editors)
]
source = Source.objects.create(title="Oil workers charged", url="https://news.example.org/oil")
connection.close()
errors = []
barrier = threading.Barrier(editors)


def edit(editor, round):
    try:
        barrier.wait(timeout=30)
        record_status_change(
            case,
            participants=[participants[editor]],
            status="charged" if round % 2 else "suspect",
            date=datetime.date(2011, 9, 1 + round),
            headline=f"Round {round}, editor {editor}",
            sources=[source],
        )
    except Exception as error:
        errors.append(f"editor {editor}, round {round}: {error!r}")
    finally:
        connection.close()


for round in range(rounds):
    threads = [threading.Thread(target=edit, args=(e, round)) for e in range(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

print(json.dumps({
    "errors": errors,
    "recorded": StatusChange.objects.filter(case=case).count(),
    "statuses": sorted(
        CaseParticipant.objects.filter(case=case).values_list("current_status", flat=True)
    ),
    "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
}))
"""


def run(arguments, env, timeout=180):
    result = subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_editors_recording_status_changes_at_once_on_an_sqlite_file_all_succeed(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}},
        "SECRET_KEY": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "repression.settings",
        "LOG_LEVEL": "WARNING",
    }
    run(["manage.py", "migrate", "--noinput", "-v0"], env)
    editors, rounds = 6, 4

    outcome = json.loads(run(["-c", EDITORS, str(editors), str(rounds)], env).splitlines()[-1])

    assert outcome["errors"] == []
    assert outcome["recorded"] == editors * rounds
    # The last round (round 3) made everyone charged: no edit was lost or applied out of turn.
    assert outcome["statuses"] == ["charged"] * editors
    assert outcome["journal_mode"] == "wal"
