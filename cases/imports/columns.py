"""The columns of the import format, as docs/import.md documents them.

The columns of the CSV download (cases.exports.CSV_COLUMNS) come first, so
that a download can be imported again; then those that organisations' own
lists carry, and the facts of detentions and verdicts (facts.py). Columns
the import cannot fill in are read and reported per row ("column categories
not imported: ..."), never refused.
"""

from django.utils.translation import gettext_lazy as _

# A case: one or several rows (a group case has a row per person).
CASE_COLUMNS = (
    "url",
    "case_id",
    "title",
    "summary",
    "country",
    "country_name",
    "region",
    "start_date",
    "current_status",
    "last_status_change",
    "people",
    "officials",
    "others",
    "charges",
    "charge_state",
    "organisations",
    "sources",
)
# The person of the row.
PERSON_COLUMNS = (
    "external_id",
    "name",
    "name_original",
    "other_names",
    "birth_date",
    "occupation",
    "role",
    "status",
    "status_date",
    "headline",
)
# The facts of issue 15 (cases/imports/facts.py), as the download of people
# (cases/people_exports.py) writes them.
DETENTION_COLUMNS = (
    "detention_kind",
    "detention_start",
    "detention_end",
    "detention_place",
    "detention_place_url",
)
VERDICT_COLUMNS = (
    "verdict_date",
    "verdict_outcome",
    "verdict_articles",
    "sentence",
    "sentence_kind",
    "regime",
    "sentence_start",
    "release_date",
)
FACT_COLUMNS = (
    "sex",
    *DETENTION_COLUMNS,
    *VERDICT_COLUMNS,
    # Of the case: categories the register has, by name (publishers add new ones in the admin).
    "categories",
)
# Read and ignored, as country_name is: they follow from the other columns or the register.
IGNORED = ("person_url", "held_now")
# Read, and reported per row as not imported: the register holds these facts,
# but not in a form an import can fill in safely.
NOT_HELD = {
    "recognitions": _(
        "a recognition needs the recognising organisation's statement as its source; "
        "record it in the admin"
    ),
}
KNOWN = frozenset((*CASE_COLUMNS, *PERSON_COLUMNS, *FACT_COLUMNS, *IGNORED, *NOT_HELD))
# Separates several values in one cell, as the download writes them.
SEPARATOR = ";"
