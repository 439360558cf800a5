"""The columns of the import format, as docs/import.md documents them.

The columns of the CSV download (cases.exports.CSV_COLUMNS) come first, so
that a download can be imported again; then those that organisations' own
lists carry. Columns of facts the register does not hold yet are read and
reported per row ("column sentence not imported: ..."), never refused.
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
# Read, and reported as not imported, until the register holds these facts.
NOT_HELD = {
    "detention_place": _("the register does not hold places of detention yet"),
    "detention_start": _("the register does not hold detentions yet"),
    "detention_end": _("the register does not hold detentions yet"),
    "sentence": _("the register does not hold sentences yet"),
    "verdict_date": _("the register does not hold verdicts yet"),
    "release_date": _("the register does not hold expected releases yet"),
}
KNOWN = frozenset((*CASE_COLUMNS, *PERSON_COLUMNS, *NOT_HELD))
# Separates several values in one cell, as the download writes them.
SEPARATOR = ";"
