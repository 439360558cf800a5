"""One row of a list, read into what the register holds.

Every cell is checked here, and nothing is looked up in the database: a row
that cannot be read carries an error per cell (the column, and the reason in
words an editor can act on), and a column of a fact the register does not
hold yet carries a note. What the row does to the database is decided by
plan.py.
"""

import functools
import re
from dataclasses import dataclass, field

import iuliia
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from ..models import CaseCharge, CaseOrganisation, CaseParticipant, Status
from ..search import country_names, fold
from .columns import NOT_HELD, SEPARATOR
from .dates import UnreadableDate, read_date
from .mapping import Mapping

# "Name (role)" in the download's lists of people and organisations.
_NAMED_WITH_ROLE = re.compile(r"^(?P<name>.*\S)\s*\((?P<role>[^()]+)\)$")
# "Article 167.2.2.1", "art. 57-1, Parts 2 and 15", "ст. 327 ч. 1", "167.2.2.1".
_ARTICLE = re.compile(
    r"^(?:(?:article|art|статья|ст|бап)\.?\s*)?(?P<article>\d[\w.\-]*(?:.*))$", re.IGNORECASE
)
_SCRIPT_OF_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
DEFAULT_ROLE = CaseParticipant.Role.ACCUSED
DEFAULT_CHARGE_STATE = CaseCharge.State.FILED


@dataclass
class PartialDate:
    date: object
    precision: str


@dataclass
class PersonEntry:
    name: str
    role: str = DEFAULT_ROLE
    name_original: str = ""
    other_names: list[str] = field(default_factory=list)
    birth_date: PartialDate | None = None
    occupation: str = ""
    external_id: str = ""
    # The person's own status, from the status columns of the row.
    status: str = ""
    status_date: PartialDate | None = None
    headline: str = ""
    # Named in one of the download's lists (people, officials, others), not by the row's columns.
    listed: bool = False

    @property
    def spellings(self) -> list[str]:
        return [n for n in (self.name, self.name_original, *self.other_names) if n]


@dataclass
class ChargeEntry:
    name: str = ""
    name_transliterated: str = ""
    article: str = ""
    state: str = DEFAULT_CHARGE_STATE

    def __str__(self):
        return self.name or self.article


@dataclass
class Row:
    line: int
    case_key: tuple = ()
    case_id: str = ""
    slug: str = ""
    title: str = ""
    summary: str = ""
    country: str = ""
    region: str = ""
    start_date: PartialDate | None = None
    # The case's status as the download gives it: every persecuted person's.
    case_status: str = ""
    case_status_date: PartialDate | None = None
    people: list[PersonEntry] = field(default_factory=list)
    charges: list[ChargeEntry] = field(default_factory=list)
    organisations: list[tuple[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The person's detention, verdict and sex (facts.RowFacts), if the row gives any.
    facts: object = None
    # The names of the case's categories, as the register names them (facts.py).
    categories: list[str] = field(default_factory=list)

    @property
    def person(self) -> PersonEntry | None:
        """The person of the row (its name columns), if it names one."""
        return self.people[0] if self.people and not self.people[0].listed else None


def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


def _labels(choices) -> dict[str, str]:
    """{folded key or label in any language of the site: key}."""
    found = {}
    for value, label in choices.choices:
        found[fold(value)] = value
        found[fold(value.replace("_", " "))] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                found[fold(str(label))] = value
    return found


@functools.cache
def _vocabulary(kind: str) -> dict[str, str]:
    return _labels(
        {
            "status": Status,
            "role": CaseParticipant.Role,
            "charge_state": CaseCharge.State,
            "organisation_role": CaseOrganisation.Role,
        }[kind]
    )


@functools.cache
def _country_codes() -> dict[str, str]:
    found = {}
    for code, name in countries:
        found[fold(code)] = code
        found[fold(countries.alpha3(code) or code)] = code
        found[fold(str(name))] = code
        for other in country_names(code):
            found[fold(other)] = code
    return found


def read_row(line: int, cells: dict[str, str], mapping: Mapping) -> Row:
    """The row at LINE, CELLS being {format's column: text} after the mapping."""
    row = Row(line=line)
    value = _Reader(row, cells, mapping)

    for column, reason in NOT_HELD.items():
        if value.text(column):
            row.notes.append(
                _("column %(column)s not imported: %(reason)s")
                % {"column": column, "reason": reason}
            )
    row.case_id = value.identifier("case_id")
    url = value.text("url")
    if url:
        row.slug = url.rstrip("/").rsplit("/", 1)[-1]
    row.title = value.text("title")
    row.summary = value.text("summary", strip=False).strip()
    row.region = value.text("region")
    if country := value.text("country"):
        row.country = _country_codes().get(fold(country), "")
        if not row.country:
            row.errors.append(
                (
                    "country",
                    _("“%(text)s” is not a country: write its code, such as KZ.")
                    % {"text": country},
                )
            )
    row.start_date = value.date("start_date")
    row.case_status = value.choice("current_status", "status")
    row.case_status_date = value.date("last_status_change")
    if row.case_status and not row.case_status_date and not row.errors:
        row.errors.append(("last_status_change", _("A status needs the date it began.")))

    person = _row_person(value, mapping)
    if person is not None:
        row.people.append(person)
    from .facts import read_facts

    row.facts = read_facts(value, row)
    row.categories = split(value.text("categories"))
    for column, default_role in (
        ("people", CaseParticipant.Role.ACCUSED),
        ("officials", CaseParticipant.Role.OFFICIAL),
        ("others", CaseParticipant.Role.OTHER),
    ):
        for item in split(value.text(column)):
            name, role = _named_with_role(item, "role")
            row.people.append(PersonEntry(name=name, role=role or default_role, listed=True))
    state_default = value.choice("charge_state", "charge_state") or DEFAULT_CHARGE_STATE
    for item in split(value.text("charges")):
        row.charges.append(_charge(item, state_default))
    for item in split(value.text("organisations")):
        name, role = _named_with_role(item, "organisation_role")
        row.organisations.append((name, role or CaseOrganisation.Role.TARGETED))
    row.sources = split(value.text("sources"))

    statuses = row.case_status or any(p.status for p in row.people)
    if statuses and not row.sources:
        row.errors.append(
            (
                "sources",
                _(
                    "A status needs a source: give the address of the article or "
                    "document that says so."
                ),
            )
        )
    if row.case_id:
        row.case_key = ("case_id", row.case_id)
    elif row.slug:
        row.case_key = ("slug", row.slug)
    elif row.title:
        row.case_key = ("title", fold(row.title), row.country)
    elif person is not None and person.external_id:
        row.case_key = ("external_id", person.external_id)
    else:
        row.case_key = ("line", line)
    if not row.people and not row.title and not row.slug:
        row.errors.append(("name", _("The row names no person and no case.")))
    return row


def _named_with_role(item: str, kind: str) -> tuple[str, str]:
    """("Ainur Kurmanov", "defendant") for "Ainur Kurmanov (defendant)"; the
    role is "" when the brackets hold no known role (they belong to the name)."""
    if match := _NAMED_WITH_ROLE.match(item):
        role = _vocabulary(kind).get(fold(match["role"]))
        if role:
            return match["name"], role
    return item, ""


def _charge(item: str, state_default: str) -> ChargeEntry:
    state = ""
    if match := _NAMED_WITH_ROLE.match(item):
        state = _vocabulary("charge_state").get(fold(match["role"]), "")
        if state:
            item = match["name"]
    if match := _ARTICLE.match(item):
        return ChargeEntry(article=match["article"].strip(), state=state or state_default)
    name, _comma, transliterated = item.rpartition(", ")
    if not name:
        name, transliterated = transliterated, ""
    return ChargeEntry(
        name=name.strip(), name_transliterated=transliterated.strip(), state=state or state_default
    )


def _row_person(value, mapping: Mapping) -> PersonEntry | None:
    name = value.text("name")
    original = value.text("name_original")
    if not name and not original:
        for column in ("birth_date", "occupation", "status", "external_id"):
            if value.text(column):
                value.row.errors.append(("name", _("The row has no name for its person.")))
                break
        return None
    if mapping.surname_first:
        name = _given_name_first(name)
    if not name:
        name = latin_form(original, surname_first=mapping.surname_first)
        if not _SCRIPT_OF_LATIN.search(name):
            value.row.notes.append(
                _("“%(name)s” has no Latin form: the name is kept as written.") % {"name": original}
            )
    person = PersonEntry(
        name=name,
        name_original=original,
        other_names=split(value.text("other_names").replace("\n", SEPARATOR)),
        birth_date=value.date("birth_date"),
        occupation=value.text("occupation"),
        role=value.choice("role", "role") or DEFAULT_ROLE,
        external_id=value.identifier("external_id"),
        status=value.choice("status", "status"),
        status_date=value.date("status_date"),
        headline=value.text("headline"),
    )
    unread = {column for column, _message in value.row.errors}
    if person.status and not person.status_date and "status_date" not in unread:
        value.row.errors.append(("status_date", _("A status needs the date it began.")))
    if person.status_date and not person.status:
        value.row.errors.append(("status", _("The row has a status date but no status.")))
    return person


def _given_name_first(name: str) -> str:
    """'Ainur Nurlanovich Kurmanov' for 'Kurmanov Ainur Nurlanovich'."""
    words = name.split()
    return " ".join([*words[1:], words[0]]) if len(words) > 1 else name


def latin_form(name: str, *, surname_first: bool = False) -> str:
    """NAME in Latin letters: a Cyrillic name as Wikipedia transliterates it;
    any other script (Chinese characters) as written, since no one
    transliteration of it is the person's own."""
    if surname_first:
        name = _given_name_first(name)
    if _CYRILLIC.search(name):
        return iuliia.WIKIPEDIA.translate(name)
    return name


class _Reader:
    def __init__(self, row: Row, cells: dict[str, str], mapping: Mapping):
        self.row, self.cells, self.mapping = row, cells, mapping

    def text(self, column: str, *, strip: bool = True) -> str:
        text = self.cells.get(column) or self.mapping.defaults.get(column, "")
        text = self.mapping.value(column, text)
        if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
            text = text[1:]  # the download's escape of a would-be formula
        return text.strip() if strip else text

    def identifier(self, column: str) -> str:
        text = self.text(column)
        return f"{self.mapping.id_prefix}{text}" if text else ""

    def date(self, column: str) -> PartialDate | None:
        try:
            found = read_date(self.text(column))
        except UnreadableDate as error:
            self.row.errors.append((column, str(error)))
            return None
        return PartialDate(*found) if found else None

    def choice(self, column: str, kind: str) -> str:
        text = self.text(column)
        if not text:
            return ""
        value = _vocabulary(kind).get(fold(text))
        if value is None:
            known = ", ".join(sorted(set(_vocabulary(kind).values())))
            self.row.errors.append(
                (
                    column,
                    _("“%(text)s” is not one of: %(known)s.") % {"text": text, "known": known},
                )
            )
            return ""
        return value
