"""The release this process runs, as far as rendered HTML follows from it.

Whatever is kept of rendered HTML in a cache that outlives the process (a
shared Redis: whole pages, cases.page_cache; cases' cards, cases.cards; a
long case's timeline, {% cache %}) is kept under this too, so that a deploy
that changes a template, a translation, a static file or the Python that
writes HTML (cases/templatetags, repression/form_renderer.py, a view's
context; the packages of requirements.lock) does not serve for a day the
HTML of the release before: each release has its own keys, and what the old
one kept goes out of the cache with time.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

# The project's own code, under settings.BASE_DIR: its Python writes HTML too
# (cases/templatetags/public_site.py, repression/form_renderer.py), and its
# views say what the templates show; and the packages it runs, by version.
CODE = ("cases", "repression")
PACKAGES = "requirements.lock"


@functools.cache
def current() -> str:
    """A hash of the site's templates, its translations (.mo), the names
    of its static files (the manifest of hashed names that pages link to),
    its code and its packages' versions, as this process runs them: what the
    HTML follows besides the data. Read once per process (a few ms)."""
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
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    base = Path(settings.BASE_DIR)
    for package in CODE:
        files.extend(sorted((base / package).rglob("*.py")))
    if (base / PACKAGES).is_file():
        files.append(base / PACKAGES)
    return files
