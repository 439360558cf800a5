"""The download of every published case (and of every person in one), made
once per version of the public data.

Streaming every case in the request cannot hold at size: under load 85,000
cases took 14.6 s, and when gunicorn's worker timeout ended the request the
visitor had a 200 and a truncated file that looked whole (issue 18). So the
whole download (/cases/export.csv or .json with no filter or search) is a
file, made out of the request and served with its Content-Length: a client
always knows whether it has all of it.

A file is made for one version of the public data (PublicDataVersion), from
one snapshot of the database (a REPEATABLE READ transaction on PostgreSQL),
so it holds exactly the cases of that version. It is written to a temporary
file, then stored through Django's default storage (the local MEDIA_ROOT,
or an object store through STORAGES) under a name that holds the version,
and only then marked made by a small second file (NAME.made): storages have
no atomic rename, and a file being written must never be served. Files of
other versions of the same kind are deleted once a newer one is made.

What a visitor gets:

- the file of the current version, if it is made;
- on a small site (at most exports.FILTERED_EXPORT_LIMIT published cases, as
  on a laptop) the file is made in the request, at about the cost of a
  streamed download of that size, and served;
- otherwise a background thread of this process starts making it (one at a
  time for each kind of file, across processes too as far as the cache is
  shared: a lock in the cache), and the visitor gets the file of the
  previous version, labelled as such (the X-Export-Made header, the file's
  name and Last-Modified give when it was made; the JSON's "made_at"). With
  edits every few seconds the newest file is always a little behind, but
  never cut short, and there is always one to give;
- with no file of any version yet, a 503 with Retry-After and words.

A kind of file is its format, its sort order, its language (prose, country names)
and the site's address (the file holds absolute addresses): one directory
of the storage each, exports/<site>/<language>/<sort>/.
"""

import datetime
import logging
import os
import tempfile
import threading
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone, translation

from . import background
from .models import PublicDataVersion

logger = logging.getLogger(__name__)

EXPORT_DIRECTORY = "exports"
# How long a lock on making a file holds if its process dies while making it.
BUILD_LOCK_SECONDS = 30 * 60
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@dataclass(frozen=True)
class ExportKind:
    """What one kind of whole-download file holds, and where its versions are kept."""

    site: str  # scheme://host, without a slash at the end
    language: str
    sort: str
    extension: str  # "csv" or "json"
    subject: str = "cases"  # or "people": one row per person in a case

    @property
    def prefix(self) -> str:
        return f"{self.subject}-"

    @property
    def directory(self) -> str:
        site = self.site.replace("://", "-").replace(":", "-").replace("/", "-")
        return f"{EXPORT_DIRECTORY}/{site}/{self.language}/{self.sort}"

    def name(self, version: str) -> str:
        return f"{self.directory}/{self.prefix}{version}.{self.extension}"

    @property
    def content_type(self) -> str:
        return FORMATS[self.extension]


@dataclass(frozen=True)
class MadeFile:
    name: str
    made_at: datetime.datetime
    version: str


def made_file(kind: ExportKind, version: str) -> MadeFile | None:
    """The file of KIND for VERSION, if it is made (and not only being written)."""
    name = kind.name(version)
    try:
        # The marker holds the moment the file's own "made_at" gives; its
        # modification time is later, by as long as the file took to write.
        with default_storage.open(f"{name}.made") as marker:
            made_at = datetime.datetime.fromisoformat(marker.read().decode())
    except (FileNotFoundError, OSError, ValueError):
        return None
    return MadeFile(name=name, made_at=made_at, version=version)


def latest_made_file(kind: ExportKind) -> MadeFile | None:
    """The most recently made file of KIND, of whatever version."""
    try:
        _directories, files = default_storage.listdir(kind.directory)
    except (FileNotFoundError, OSError):
        return None
    prefix, suffix = kind.prefix, f".{kind.extension}.made"
    made = []
    for marker in files:
        if marker.startswith(prefix) and marker.endswith(suffix):
            version = marker.removeprefix(prefix).removesuffix(suffix)
            if (found := made_file(kind, version)) is not None:
                made.append(found)
    return max(made, key=lambda file: file.made_at, default=None)


def make(kind: ExportKind, write) -> MadeFile:
    """Make the file of KIND for the current version of the public data, unless
    it is made already; WRITE(kind, made_at) yields its text in pieces.

    Reads one snapshot of the database: the version and the cases agree."""
    with snapshot(), translation.override(kind.language):
        version = PublicDataVersion.current()
        if (found := made_file(kind, version)) is not None:
            return found
        name = kind.name(version)
        made_at = timezone.now()
        with tempfile.TemporaryFile() as scratch:
            for piece in write(kind, made_at):
                scratch.write(piece.encode())
            scratch.seek(0)
            saved = default_storage.save(name, File(scratch, name=os.path.basename(name)))
    if saved != name:
        # Another process stored this version first (the storage gave ours
        # another name rather than overwrite it): keep theirs.
        default_storage.delete(saved)
    else:
        default_storage.save(f"{name}.made", ContentFile(made_at.isoformat().encode()))
        logger.info("made %s", name)
    _delete_other_versions(kind, keep=version)
    return made_file(kind, version) or MadeFile(name=name, made_at=made_at, version=version)


class snapshot:
    """One consistent view of the database for the whole file, on PostgreSQL
    (for a streamed download too: cases/people_exports.py).

    On SQLite (a laptop) transactions here take the write lock (settings:
    IMMEDIATE), so the file is read without one: a save during the few
    seconds it takes may show in part."""

    def __enter__(self):
        self.atomic = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return self

    def __exit__(self, *exc_info):
        if self.atomic is not None:
            return self.atomic.__exit__(*exc_info)
        return None


def in_one_snapshot(pieces):
    """PIECES (a streamed download's), read from one view of the database on
    PostgreSQL: an edit committed while the download streams (a case renamed,
    withdrawn or deleted, a person or a charge renamed) shows in all of its
    rows as it was when the download began, not in some as it is now. The
    rows of a chunk are found by their case's id, which an edit does not
    change."""
    with snapshot():
        yield from pieces


def _delete_other_versions(kind: ExportKind, *, keep: str) -> None:
    """Delete the files of KIND of versions before KEEP: a download of one that
    is under way goes on (a deleted file stays readable while it is open). A
    file of a later version (another process made it while this one was
    making KEEP's) is kept. Versions are "number.token", numbers rising."""
    try:
        _directories, files = default_storage.listdir(kind.directory)
    except (FileNotFoundError, OSError):
        return
    kept = _version_number(keep)
    ours = (f".{kind.extension}", f".{kind.extension}.made")
    # Markers first: a file is never marked made without its data.
    for file in sorted(files, key=lambda name: name.endswith(".made"), reverse=True):
        if not (file.startswith(kind.prefix) and file.endswith(ours)):
            continue
        version = file.removeprefix(kind.prefix).removesuffix(".made")
        version = version.removesuffix(f".{kind.extension}")
        number = _version_number(version)
        if number is not None and kept is not None and number < kept:
            default_storage.delete(f"{kind.directory}/{file}")


def _version_number(version: str) -> int | None:
    number = version.split(".", 1)[0]
    return int(number) if number.isdigit() else None


_building: dict[ExportKind, threading.Thread] = {}


def start_making(kind: ExportKind, write) -> threading.Thread | None:
    """Make the file of KIND in a background thread, unless one is being made:
    by this process (its thread is returned) or by another one (None)."""
    return background.run_once(
        _building,
        kind,
        _lock_key(kind),
        BUILD_LOCK_SECONDS,
        lambda: make(kind, write),
        name="export",
    )


def _lock_key(kind: ExportKind) -> str:
    return f"cases:export-making:{kind.directory}:{kind.prefix}{kind.extension}"
