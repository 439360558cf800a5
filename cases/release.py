"""The release this process runs, as far as rendered HTML follows from it.

Whatever is kept of rendered HTML in a cache that outlives the process (a
shared Redis: whole pages, cases.page_cache; cases' cards, cases.cards; a
long case's timeline, {% cache %}) is kept under this too, so that a deploy
that changes a template, a translation or a static file does not serve for a
day the HTML of the release before: each release has its own keys, and what
the old one kept goes out of the cache with time. The project's Python code
counts too (a view or a template tag can change the HTML as much as a
template), but not the installed packages: an upgrade of one that changes
public pages should come with a change of the project's own files.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

# The project's packages whose code makes the public pages (views, template
# tags, forms, models' displays).
CODE = [Path(__file__).resolve().parent, Path(settings.BASE_DIR) / "repression"]


@functools.cache
def current() -> str:
    """A hash of the site's templates, its translations (.mo), the names of
    its static files (the manifest of hashed names that pages link to) and
    its code, as this process runs them: what the HTML follows besides the
    data. Read once per process (5 ms)."""
    digest = hashlib.sha256()
    for path in _files():
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _files() -> list[Path]:
    files = []
    for engine in settings.TEMPLATES:
        for directory in engine.get("DIRS", []):
            files.extend(sorted(path for path in Path(directory).rglob("*") if path.is_file()))
    for directory in settings.LOCALE_PATHS:
        files.extend(sorted(Path(directory).glob("*/LC_MESSAGES/django.mo")))
    for directory in CODE:
        files.extend(
            sorted(
                path
                for path in Path(directory).rglob("*.py")
                if "migrations" not in path.relative_to(directory).parts
            )
        )
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    return files
