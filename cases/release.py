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
    for name, path in _files():
        # The file's name within what it belongs to, not where the site is
        # installed: app servers installed at different paths share a release.
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _files() -> list[tuple[str, Path]]:
    """[(name, path)] of what the release is made of, in a fixed order."""
    files = []

    def under(directory, paths):
        directory = Path(directory)
        files.extend(
            (f"{directory.name}/{path.relative_to(directory)}", path) for path in sorted(paths)
        )

    for engine in settings.TEMPLATES:
        for directory in engine.get("DIRS", []):
            under(directory, (path for path in Path(directory).rglob("*") if path.is_file()))
    for directory in settings.LOCALE_PATHS:
        under(directory, Path(directory).glob("*/LC_MESSAGES/django.mo"))
    base = Path(settings.BASE_DIR)
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(("staticfiles.json", manifest))
    for package in CODE:
        under(base / package, (base / package).rglob("*.py"))
    if (base / PACKAGES).is_file():
        files.append((PACKAGES, base / PACKAGES))
    return files
