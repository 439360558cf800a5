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
no atomic rename, and a file being written must never be served. Once a file
is made, the files of its kind that no download can serve any more are
deleted (clean_up()): those of other versions, and those never marked made
whose process died while writing them.

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
# How long a file that is not marked made is left without a write before it is
# taken for one whose process died while writing it, and deleted: far longer
# than storing a file takes, or than a lock on making one holds.
ABANDONED_SECONDS = 2 * BUILD_LOCK_SECONDS
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
        # The marker holds the moment the file's own "made_at" gives (its
        # modification time is later, by as long as the file took to write)
        # and, on a second line, the name the file was stored under, where the
        # storage gave it another one (the version's own name was taken by a
        # file that was never made: see make()).
        with default_storage.open(f"{name}.made") as marker:
            made_at, *stored = marker.read().decode().splitlines()
        made_at = datetime.datetime.fromisoformat(made_at)
    except (FileNotFoundError, OSError, ValueError):
        return None
    if stored and os.path.dirname(stored[0]) == kind.directory:
        name = stored[0]
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
    # The storage gives the file another name where one is there already: a
    # file of this version that another process is writing, or one that was
    # never made (its process died while storing it), which must not be served
    # for ours. The marker says which file is made.
    marker = default_storage.save(
        f"{name}.made", ContentFile(f"{made_at.isoformat()}\n{saved}".encode())
    )
    if marker != f"{name}.made":
        # Another process marked its file of this version first: keep theirs.
        default_storage.delete(marker)
        default_storage.delete(saved)
    else:
        logger.info("made %s", saved)
    clean_up(kind, keep=version)
    return made_file(kind, version) or MadeFile(name=saved, made_at=made_at, version=version)


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


def clean_up(kind: ExportKind, *, keep: str) -> None:
    """Delete the files of KIND that no download can serve any more: every made
    file but those of KEEP (just made, about to be served), of the current
    version (as the database has it now: a slower process may have made KEEP
    for a version before it) and of later versions of KEEP's generation (so
    files of another generation go, with higher numbers after a restored
    backup); and the files that were never made (their process died while
    writing them), once left ABANDONED_SECONDS without a write: one younger
    may still be being written. Markers go first: a file is never marked made
    without its data. A download of a deleted file under way goes on: a file
    stays readable while it is open (the local storage) and an object store's
    file is read whole when a download begins."""
    try:
        _directories, files = default_storage.listdir(kind.directory)
    except (FileNotFoundError, OSError):
        return
    ours = [file for file in files if file.startswith(kind.prefix) and f".{kind.extension}" in file]
    marker_suffix = f".{kind.extension}.made"
    kept_versions = {keep, PublicDataVersion.current()}
    kept, made = set(), set()
    for file in ours:
        if not file.endswith(marker_suffix):
            continue
        version = file.removeprefix(kind.prefix).removesuffix(marker_suffix)
        found = made_file(kind, version)
        data = os.path.basename(found.name) if found else None
        if version in kept_versions or _later(version, than=keep):
            kept.update({file, data})
        elif data:
            made.add(data)
    deadline = timezone.now() - datetime.timedelta(seconds=ABANDONED_SECONDS)
    for file in sorted(ours, key=lambda name: name.endswith(".made"), reverse=True):
        if file in kept:
            continue
        path = f"{kind.directory}/{file}"
        if file.endswith(marker_suffix) or file in made or _unchanged_since(path, deadline):
            default_storage.delete(path)


def _later(version: str, *, than: str) -> bool:
    """Whether VERSION is of the generation of THAN and later: another process
    made it while this one was making THAN. Versions are "number.token"."""
    number, _dot, token = version.partition(".")
    kept_number, _dot, kept_token = than.partition(".")
    return (
        token == kept_token
        and number.isdigit()
        and kept_number.isdigit()
        and int(number) > int(kept_number)
    )


def _unchanged_since(path: str, moment: datetime.datetime) -> bool:
    """Whether the file at PATH was last written before MOMENT (False where the
    storage cannot tell, or it is gone)."""
    try:
        return default_storage.get_modified_time(path) < moment
    except (NotImplementedError, FileNotFoundError, OSError):
        return False


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
