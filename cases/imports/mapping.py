"""A mapping file: another list's own columns and words, as this format's.

A small TOML file per source list, so that a list is imported without a
change of code (docs/import.md has an example):

    [columns]              # the list's column = the format's column
    "ФИО" = "name_original"
    "Статья" = "charges"
    "Примечание" = ""      # an empty name: the column is left out

    [values.status]        # the list's word = the format's value
    "в СИЗО" = "pre_trial_detention"

    [defaults]             # a value for an empty cell or a missing column
    country = "KZ"

    [options]
    id_prefix = "ESI-2014:"  # put before the list's ids, so two lists' "42" differ
    surname_first = true     # names are written surname first
"""

import tomllib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import KNOWN


class BadMapping(ValueError):
    """A mapping file that cannot be used, with the reason in words."""


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    id_prefix: str = ""
    surname_first: bool = False

    def column(self, name: str) -> str | None:
        """The format's column for the file's column NAME; '' to leave it out;
        None when neither the mapping nor the format knows it."""
        if name in self.columns:
            return self.columns[name]
        canonical = name.strip().lower().replace(" ", "_")
        return canonical if canonical in KNOWN else None

    def value(self, column: str, text: str) -> str:
        """TEXT of COLUMN as the mapping's [values] translate it."""
        return self.values.get(column, {}).get(text.strip(), text)


def load_mapping(text: str | None) -> Mapping:
    if not text:
        return Mapping()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadMapping(
            _("The mapping file is not valid TOML: %(error)s") % {"error": error}
        ) from None
    columns = {str(k): str(v) for k, v in data.get("columns", {}).items()}
    for source, target in columns.items():
        if target and target not in KNOWN:
            raise BadMapping(
                _(
                    "The mapping sends “%(source)s” to “%(target)s”, which is not a column of the format."
                )
                % {"source": source, "target": target}
            )
    values = {
        str(column): {str(k): str(v) for k, v in words.items()}
        for column, words in data.get("values", {}).items()
    }
    options = data.get("options", {})
    return Mapping(
        columns=columns,
        values=values,
        defaults={str(k): str(v) for k, v in data.get("defaults", {}).items()},
        id_prefix=str(options.get("id_prefix", "")),
        surname_first=bool(options.get("surname_first", False)),
    )
