"""Every string of the interface is translated into Russian and Kazakh.

makemessages (which needs GNU gettext's xgettext and msgmerge) is run on a copy
of locale/: a string added to the code or templates since the catalogues were
last updated comes out untranslated, and one whose English changed comes out
fuzzy; either fails here, naming it."""

import contextlib
import gettext
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ["ru", "kk"]
# Left out of the copy: the virtualenv, git, caches and what the site writes.
NOT_SOURCE = [
    ".*",
    "__pycache__",
    "*.mo",
    "db.sqlite3*",
    "media",
    "screenshots",
    "staticfiles",
    "backups",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

missing = [tool for tool in ("xgettext", "msgmerge", "msguniq") if not shutil.which(tool)]


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def problems_of(catalogue) -> list[str]:
    """Untranslated and fuzzy messages, and translations whose placeholders differ
    from the English (a missing or unknown %(name)s is an error at render time)."""
    serves_many = gettext.c2py(catalogue.plural_expr)
    forms_for_many = {serves_many(n) for n in range(200) if n != 1}
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        name = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            problems.append(f"fuzzy: {name!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {name!r}")
        elif isinstance(message.id, str):
            if placeholders(message.string) != placeholders(message.id):
                problems.append(f"placeholders differ: {name!r}")
        else:
            for form, string in enumerate(strings):
                wanted = placeholders(message.id[1] if form in forms_for_many else message.id[0])
                if not wanted <= placeholders(string) <= placeholders("".join(message.id)):
                    problems.append(f"placeholders differ in form {form}: {name!r}")
    return problems


@pytest.mark.skipif(
    bool(missing),
    reason=f"GNU gettext's {', '.join(missing)} not installed, which makemessages needs: "
    "apt-get install gettext (.ci/run does)",
)
def test_makemessages_finds_every_string_of_the_interface_translated_in_russian_and_kazakh(
    tmp_path, settings
):
    # On a copy of the project: makemessages writes into any locale/ folder it
    # finds under the current directory, and the tree must stay as it is.
    project = tmp_path / "project"
    shutil.copytree(BASE_DIR, project, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    settings.LOCALE_PATHS = [project / "locale"]

    with contextlib.chdir(project):
        call_command(
            "makemessages", locale=LANGUAGES, add_location="file", no_obsolete=True, verbosity=0
        )

    problems = {}
    for language in LANGUAGES:
        with (project / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as po:
            problems[language] = problems_of(read_po(po))
    assert problems == {"ru": [], "kk": []}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalogues_are_whole_and_their_placeholders_match(language):
    with (BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        assert problems_of(read_po(po)) == []
