"""Backups of the whole database, and restoring one.

SQLite: a consistent copy through SQLite's online backup, safe while the
site runs. PostgreSQL: pg_dump's custom format, restored with pg_restore in
one transaction, so a failed restore leaves the database as it was.

A restore ends by drawing a new version of the public data: the backup holds
the version it was made at, and pages cached under it since may show what
was later withdrawn (see PublicDataVersion).
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from .models import PublicDataVersion

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class CopyError(Exception):
    pass


def suffix() -> str:
    return ".sqlite3" if connection.vendor == "sqlite" else ".dump"


def backup(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}")
    else:
        raise CopyError(f"Backups of {connection.vendor} databases are not supported.")


def restore(path: Path) -> None:
    if not path.is_file():
        raise CopyError(f"{path} is not a file.")
    header = path.read_bytes()[:16]
    if connection.vendor == "sqlite":
        if not header.startswith(SQLITE_HEADER):
            raise CopyError(f"{path} is not an SQLite backup.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        if not header.startswith(PG_DUMP_HEADER):
            raise CopyError(f"{path} is not a PostgreSQL backup made by pg_dump --format=custom.")
        connection.close()
        _run_pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        )
    else:
        raise CopyError(f"Restoring {connection.vendor} databases is not supported.")
    PublicDataVersion.bump()


def _pg_program(name: str) -> str:
    """The newest installed client: it must be at least the server's version."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version)
    program = candidates[-1] if candidates else shutil.which(name)
    if not program:
        raise CopyError(f"{name} is not installed; install the PostgreSQL client programs.")
    return program


def _version(path: str) -> float:
    try:
        return float(Path(path).parent.parent.name)
    except ValueError:
        return 0.0


def _run_pg(program: str, *arguments: str) -> None:
    settings = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": settings["HOST"] or "",
        "PGPORT": str(settings["PORT"] or ""),
        "PGUSER": settings["USER"] or "",
        "PGPASSWORD": settings["PASSWORD"] or "",
        "PGDATABASE": settings["NAME"],
    }
    result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [_pg_program(program), *arguments], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise CopyError(f"{program} failed: {result.stderr.strip()}")
