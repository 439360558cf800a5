"""The API's case filter: the public list's CaseFilter, with an OpenAPI description.

It selects cases exactly as the list does (it is a subclass that changes no
filter), so that /api/v1/cases/?country=KZ and /cases/?country=KZ cannot
drift apart. What it adds is what the schema generator cannot guess from
filters whose choices are set per request: the type of each parameter.
"""

import copy

from drf_spectacular.utils import extend_schema_field

from ..filters import MAX_SEARCH_LENGTH, CaseFilter, SortOrder
from ..models import Status

SLUG = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"}

# Descriptions in English, as is the rest of the schema.
PARAMETER_SCHEMAS = {
    "q": {
        "type": "string",
        "maxLength": MAX_SEARCH_LENGTH,
        "description": "Words in the title or summary, or in a name of a person in the case "
        "(in any spelling recorded). Every word must match.",
    },
    "country": {
        "type": "string",
        "pattern": "^[A-Za-z]{2}$",
        "example": "KZ",
        "description": "ISO 3166-1 alpha-2 code of the case's country.",
    },
    "charge": {
        **SLUG,
        "example": "samoupravstvo",
        "description": "Slug of a charge brought or threatened in the case.",
    },
    "status": {
        "type": "string",
        "enum": Status.values,
        "description": "The case's current status.",
    },
    "organisation": {
        **SLUG,
        "example": "leave-peoples-homes-alone",
        "description": "Slug of an organisation in the case.",
    },
    "year": {
        "type": "string",
        "pattern": "^[0-9]{4}$",
        "example": "2011",
        "description": "A year in which the case started or had a status change.",
    },
    "sort": {
        "type": "string",
        "enum": SortOrder.values,
        "description": "updated (the default): latest status change first; started: latest "
        "start first; title: by title.",
    },
}


class CaseAPIFilter(CaseFilter):
    """CaseFilter, with its filters described by PARAMETER_SCHEMAS (done below)."""


def _described(name, case_filter):
    if name not in PARAMETER_SCHEMAS:
        return case_filter  # a new filter: the schema generator guesses (a test notices)
    # A copy, so that the list's own filter is left as it is.
    return extend_schema_field(PARAMETER_SCHEMAS[name])(copy.deepcopy(case_filter))


CaseAPIFilter.base_filters = {
    name: _described(name, case_filter) for name, case_filter in CaseFilter.base_filters.items()
}
