"""What importing a table would do, row by row, read without writing.

The preview of the admin page and `import_cases --dry-run` show a Plan;
writes.py carries out the same Plan, so what is confirmed is what was shown.

A row's case is found by the list's id of the case (case_id), by the list's
id of the row (external_id) recorded by an earlier import, or by its address
in this register (url, as the download writes it); otherwise it is new. A
row's person is found by the list's id of the row, or by name among the
people of the row's case; otherwise it is new, and compared with everyone in
the register for a possible duplicate (duplicates.py), which the preview
offers to link but never links by itself. Within one file, the same id, or
the same name where there is no id, is the same person.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import (
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    CaseSource,
    Charge,
    ExternalId,
    Organisation,
    Person,
    Source,
    StatusChange,
    StatusChangeSource,
)
from ..models.partial_dates import iso_partial_date
from ..search import fold
from . import facts as row_facts
from .duplicates import Candidate, PeopleIndex
from .files import Table
from .mapping import Mapping
from .rows import ChargeEntry, PartialDate, PersonEntry, Row, read_row

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


@dataclass
class Change:
    what: str
    old: str
    new: str


@dataclass
class PersonTarget:
    """One person of the file, however many rows and cases name them."""

    key: tuple
    entry: PersonEntry
    existing: Person | None = None
    duplicates: list[Candidate] = field(default_factory=list)


@dataclass
class StatusStep:
    status: str
    date: PartialDate
    headline: str
    people: list[PersonTarget]
    sources: list[str]


@dataclass
class CasePlan:
    key: tuple
    rows: list[Row]
    existing: Case | None = None
    fields: dict = field(default_factory=dict)
    people: list[tuple[PersonTarget, str]] = field(default_factory=list)
    charges: list[ChargeEntry] = field(default_factory=list)
    organisations: list[tuple[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    statuses: list[StatusStep] = field(default_factory=list)
    external_ids: list[tuple[str, PersonTarget | None]] = field(default_factory=list)
    # The facts of each row's person (facts.py): (their PersonTarget, the row).
    facts: list[tuple[PersonTarget, Row]] = field(default_factory=list)
    # The names of the case's categories (facts.py).
    categories: list[str] = field(default_factory=list)
    unchanged: bool = False


@dataclass
class RowResult:
    line: int
    action: str
    case: str
    person: str
    changes: list[Change] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    results: list[RowResult]
    cases: list[CasePlan]
    file_errors: list[str] = field(default_factory=list)
    # Ids an earlier import of this list recorded that this file no longer has.
    missing: list[str] = field(default_factory=list)

    @property
    def totals(self) -> Counter:
        counted = Counter(result.action for result in self.results)
        counted["duplicate"] = sum(1 for result in self.results if result.duplicates)
        return counted

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.action == ERROR for r in self.results)

    @property
    def writes_anything(self) -> bool:
        return any(r.action in (CREATE, UPDATE) for r in self.results)


def columns_of(table: Table, mapping: Mapping) -> tuple[list[str | None], list[str]]:
    """The format's column for each of the table's columns, and the errors of those unknown."""
    targets, errors = [], []
    for name in table.header:
        target = mapping.column(name)
        if target is None and name:
            errors.append(
                _(
                    "The column “%(name)s” is not a column of the import format: rename it, "
                    "map it in a mapping file, or remove it (docs/import.md)."
                )
                % {"name": name}
            )
        targets.append(target or None)
    return targets, errors


def read_rows(table: Table, mapping: Mapping) -> tuple[list[Row], list[str]]:
    targets, errors = columns_of(table, mapping)
    rows = []
    for line, cells in table.rows:
        named = {}
        for target, cell in zip(targets, cells, strict=False):
            if target:
                named[target] = cell
        rows.append(read_row(line, named, mapping))
    return rows, errors


def make_plan(table: Table, mapping: Mapping, *, links: dict[str, int] | None = None) -> Plan:
    """The plan for TABLE. LINKS: {person key (PersonTarget.key as text):
    pk of the person in the register} chosen in the preview."""
    rows, file_errors = read_rows(table, mapping)
    return _Planner(rows, links or {}, mapping).plan(file_errors)


def key_text(key: tuple) -> str:
    return ":".join(str(part) for part in key)


class _Planner:
    def __init__(self, rows: list[Row], links: dict[str, int], mapping: Mapping):
        self.rows, self.links, self.mapping = rows, links, mapping
        self.targets: dict[tuple, PersonTarget] = {}
        self.index = PeopleIndex()

    def plan(self, file_errors) -> Plan:
        good = [row for row in self.rows if not row.errors]
        groups: dict[tuple, list[Row]] = {}
        for row in good:
            groups.setdefault(row.case_key, []).append(row)
        self._load(good)
        cases = [self._case_plan(key, rows) for key, rows in groups.items()]
        results = {row.line: self._error_result(row) for row in self.rows if row.errors}
        for case_plan in cases:
            case_results = self._results(case_plan)
            case_plan.unchanged = all(r.action == UNCHANGED for r in case_results)
            for result in case_results:
                results[result.line] = result
        return Plan(
            results=[results[line] for line in sorted(results)],
            cases=cases,
            file_errors=file_errors,
            missing=self._missing(good),
        )

    # What the database holds of the file's ids, cases, people, charges and sources:
    # read once for all rows, a few queries whatever the number of rows.

    def _load(self, rows: list[Row]) -> None:
        ids = {r.case_id for r in rows if r.case_id} | {
            p.external_id for r in rows for p in r.people if p.external_id
        }
        self.external = {}
        for batch in _batches(sorted(ids)):
            for external in ExternalId.objects.filter(value__in=batch).select_related("case"):
                self.external[(external.value, external.person_id is not None)] = external
        slugs = sorted({r.slug for r in rows if r.slug})
        self.cases_by_slug = {}
        for batch in _batches(slugs):
            self.cases_by_slug.update(
                {case.slug: case for case in Case.objects.filter(slug__in=batch)}
            )
        case_ids = {c.pk for c in self.cases_by_slug.values()} | {
            e.case_id for e in self.external.values()
        }
        self.participants: dict[int, list[CaseParticipant]] = {}
        self.charge_links: dict[int, dict[int, CaseCharge]] = {}
        self.organisation_links: dict[int, set[int]] = {}
        self.source_links: dict[int, set[int]] = {}
        self.steps: dict[int, set[tuple]] = {}
        for batch in _batches(sorted(case_ids)):
            for p in CaseParticipant.objects.filter(case__in=batch).select_related("person"):
                self.participants.setdefault(p.case_id, []).append(p)
            for link in CaseCharge.objects.filter(case__in=batch):
                self.charge_links.setdefault(link.case_id, {})[link.charge_id] = link
            for link in CaseOrganisation.objects.filter(case__in=batch):
                self.organisation_links.setdefault(link.case_id, set()).add(link.organisation_id)
            for case_id, source_id in CaseSource.objects.filter(case__in=batch).values_list(
                "case_id", "source_id"
            ):
                self.source_links.setdefault(case_id, set()).add(source_id)
            # A source the case's timeline cites is the case's already: the download lists it.
            for case_id, source_id in StatusChangeSource.objects.filter(
                status_change__case__in=batch
            ).values_list("status_change__case_id", "source_id"):
                self.source_links.setdefault(case_id, set()).add(source_id)
            for case_id, status, date, precision in StatusChange.objects.filter(
                case__in=batch
            ).values_list("case_id", "status", "date", "date_precision"):
                self.steps.setdefault(case_id, set()).add((status, date, precision))
        self.facts = row_facts.FactsState(case_ids)
        self.people_by_pk = {
            p.pk: p
            for p in Person.objects.filter(
                pk__in=[e.person_id for e in self.external.values() if e.person_id]
                + list(self.links.values())
            )
        }
        countries = {r.country for r in rows if r.country} | {
            c.country for c in self.cases_by_slug.values()
        }
        self.charges: dict[tuple, Charge] = {}
        for charge in Charge.objects.filter(country__in=countries):
            if charge.article:
                self.charges[(charge.country, "article", fold(charge.article))] = charge
            for name in (charge.name, charge.name_original, charge.name_transliterated):
                if name:
                    self.charges.setdefault((charge.country, "name", fold(name)), charge)
        self.organisations = {}
        for organisation in Organisation.objects.all().only("pk", "name", "acronym"):
            for name in (organisation.name, organisation.acronym):
                if name:
                    self.organisations.setdefault(fold(name), organisation)
        addresses = sorted({s for r in rows for s in r.sources})
        self.sources = {}
        for batch in _batches(addresses):
            for source in Source.objects.filter(url__in=batch):
                self.sources[source.url] = source
            for source in Source.objects.filter(url="", title__in=batch):
                self.sources.setdefault(source.title, source)

    def _case_plan(self, key, rows: list[Row]) -> CasePlan:
        plan = CasePlan(key=key, rows=rows)
        first = rows[0]
        if first.case_id:
            found = self.external.get((first.case_id, False))
            plan.existing = found.case if found else None
        if plan.existing is None:
            for row in rows:
                for person in row.people:
                    found = self.external.get((person.external_id, True))
                    if found:
                        plan.existing = found.case
                        break
                if plan.existing:
                    break
        if plan.existing is None and first.slug:
            plan.existing = self.cases_by_slug.get(first.slug)
        values = _case_values(rows)
        if plan.existing is None:
            if not values.get("title"):
                person = next((r.person for r in rows if r.person), None)
                values["title"] = _("Case of %(name)s") % {"name": person.name} if person else ""
            plan.fields = values
        else:
            plan.fields = {
                name: value
                for name, value in values.items()
                if name != "slug" and _shown(value) != _shown(getattr(plan.existing, name))
            }
        case_pk = plan.existing.pk if plan.existing else None
        in_case = self.participants.get(case_pk, [])
        seen = set()
        for row in rows:
            for entry in row.people:
                target = self._target(entry, in_case)
                if id(target) not in seen:
                    seen.add(id(target))
                    plan.people.append((target, entry.role))
                if entry.external_id:
                    plan.external_ids.append((entry.external_id, target))
                if entry.status:
                    plan.statuses.append(
                        StatusStep(
                            entry.status,
                            entry.status_date,
                            entry.headline,
                            [target],
                            row.sources,
                        )
                    )
            if row.case_status:
                persecuted = [
                    self._target(e, in_case)
                    for e in row.people
                    if CaseParticipant(role=e.role).is_persecuted
                ] or [self._target(e, in_case) for e in row.people]
                plan.statuses.append(
                    StatusStep(row.case_status, row.case_status_date, "", persecuted, row.sources)
                )
            for charge in row.charges:
                if charge not in plan.charges:
                    plan.charges.append(charge)
            for organisation in row.organisations:
                if organisation not in plan.organisations:
                    plan.organisations.append(organisation)
            for source in row.sources:
                if source not in plan.sources:
                    plan.sources.append(source)
        for row in rows:
            for name in row.categories:
                if name not in plan.categories:
                    plan.categories.append(name)
            row.notes += self.facts.unknown_categories(row.categories)
            if row.facts is not None:
                plan.facts.append((self.targets[_key_of(row.person)], row))
                # The articles a verdict convicted on are charges of the case.
                for article in row.facts.articles:
                    if not any(_same_charge(article, charge) for charge in plan.charges):
                        plan.charges.append(article)
        if first.case_id:
            plan.external_ids.append((first.case_id, None))
        known_steps = self.steps.get(case_pk, set())
        # Rows of one group saying the same of several people are one entry concerning them all.
        merged: dict[tuple, StatusStep] = {}
        for step in plan.statuses:
            when = (step.status, step.date.date, step.date.precision)
            if when in known_steps:
                continue
            key = (*when, step.headline, tuple(step.sources))
            if key in merged:
                have = {id(t) for t in merged[key].people}
                merged[key].people += [t for t in step.people if id(t) not in have]
            else:
                merged[key] = step
        plan.statuses = list(merged.values())
        return plan

    def _target(self, entry: PersonEntry, in_case: list[CaseParticipant]) -> PersonTarget:
        key = ("id", entry.external_id) if entry.external_id else ("name", fold(entry.name))
        if key in self.targets:
            return self.targets[key]
        target = PersonTarget(key=key, entry=entry)
        found = self.external.get((entry.external_id, True)) if entry.external_id else None
        if found:
            target.existing = self.people_by_pk.get(found.person_id)
        if target.existing is None:
            names = {fold(name) for name in entry.spellings}
            target.existing = next(
                (p.person for p in in_case if names & {fold(n) for n in p.person.spellings}),
                None,
            )
        if target.existing is None and key_text(key) in self.links:
            target.existing = self.people_by_pk.get(self.links[key_text(key)])
        if target.existing is None:
            target.duplicates = self.index.candidates(entry.spellings)
            for candidate in target.duplicates:
                candidate.for_key = key_text(key)
        self.targets[key] = target
        return target

    def _results(self, plan: CasePlan) -> list[RowResult]:
        results = []
        case_label = plan.fields.get("title") or (plan.existing and plan.existing.title) or ""
        case_changes = [
            Change(name, _shown(getattr(plan.existing, name)) if plan.existing else "", _shown(v))
            for name, v in plan.fields.items()
            if name not in ("start_date", "start_date_precision", "slug")
        ]
        if "start_date" in plan.fields:
            old = plan.existing and iso_partial_date(
                plan.existing.start_date, plan.existing.start_date_precision
            )
            new = iso_partial_date(plan.fields["start_date"], plan.fields["start_date_precision"])
            if old != new:
                case_changes.append(Change("start_date", old or "", new))
        case_pk = plan.existing.pk if plan.existing else None
        linked_people = {p.person_id: p for p in self.participants.get(case_pk, [])}
        for number, row in enumerate(plan.rows):
            changes = list(case_changes) if number == 0 else []
            duplicates = []
            for entry in row.people:
                target = self.targets[_key_of(entry)]
                duplicates += target.duplicates
                if target.existing is None:
                    changes.append(Change(_("person"), "", f"{entry.name} ({entry.role})"))
                    continue
                changes += _person_changes(target.existing, entry)
                link = linked_people.get(target.existing.pk)
                if link is None:
                    changes.append(
                        Change(_("person"), "", f"{target.existing.name} ({entry.role})")
                    )
                elif link.role != entry.role and not entry.listed:
                    changes.append(Change(_("role"), link.role, entry.role))
            notes = list(row.notes)
            if row.facts is not None:
                target = self.targets[_key_of(row.person)]
                link = linked_people.get(target.existing.pk) if target.existing else None
                decision = row_facts.decide(
                    row.facts, self.facts, link.pk if link else None, target.existing
                )
                changes += [Change(*change) for change in decision.changes]
                notes += decision.notes
            if number == 0:
                changes += self._link_changes(plan, case_pk)
            for step in plan.statuses:
                if any(t.entry is entry for t in step.people for entry in row.people) or (
                    number == 0 and not step.people
                ):
                    changes.append(
                        Change(
                            _("status"),
                            "",
                            f"{step.status} ({iso_partial_date(step.date.date, step.date.precision)})",
                        )
                    )
            action = CREATE if plan.existing is None else UPDATE if changes else UNCHANGED
            person = row.person
            results.append(
                RowResult(
                    line=row.line,
                    action=action,
                    case=case_label,
                    person=person.name if person else "",
                    changes=changes,
                    duplicates=duplicates,
                    notes=notes,
                )
            )
        return results

    def _link_changes(self, plan: CasePlan, case_pk) -> list[Change]:
        changes = []
        country = plan.fields.get("country") or (plan.existing and plan.existing.country)
        linked = self.charge_links.get(case_pk, {})
        for charge in plan.charges:
            found = self.charge_for(country, charge)
            link = linked.get(found.pk) if found else None
            if link is None:
                changes.append(Change(_("charge"), "", f"{charge} ({charge.state})"))
        organisations = self.organisation_links.get(case_pk, set())
        for name, role in plan.organisations:
            found = self.organisations.get(fold(name))
            if found is None or found.pk not in organisations:
                changes.append(Change(_("organisation"), "", f"{name} ({role})"))
        changes += self.facts.category_changes(plan.categories, case_pk)
        sources = self.source_links.get(case_pk, set())
        for address in plan.sources:
            found = self.sources.get(address)
            if found is None or found.pk not in sources:
                changes.append(Change(_("source"), "", address))
        return changes

    def charge_for(self, country, charge: ChargeEntry) -> Charge | None:
        if charge.article:
            return self.charges.get((country, "article", fold(charge.article)))
        for name in (charge.name, charge.name_transliterated):
            if name and (found := self.charges.get((country, "name", fold(name)))):
                return found
        return None

    def _error_result(self, row: Row) -> RowResult:
        person = row.person
        return RowResult(
            line=row.line,
            action=ERROR,
            case=row.title,
            person=person.name if person else "",
            errors=row.errors,
            notes=row.notes,
        )

    def _missing(self, rows: list[Row]) -> list[str]:
        """Ids recorded by an earlier import of the same list (the same prefix) that
        this file no longer has: reported, never deleted."""
        prefix = self.mapping.id_prefix
        if not prefix:
            return []
        present = {p.external_id for r in rows for p in r.people} | {r.case_id for r in rows}
        recorded = ExternalId.objects.filter(value__startswith=prefix).values_list(
            "value", flat=True
        )
        return sorted(set(recorded) - present)


def _key_of(entry: PersonEntry) -> tuple:
    """The key of ENTRY's PersonTarget (_Planner._target)."""
    return ("id", entry.external_id) if entry.external_id else ("name", fold(entry.name))


def _same_charge(one: ChargeEntry, other: ChargeEntry) -> bool:
    if one.article or other.article:
        return fold(one.article) == fold(other.article) and bool(one.article)
    names = {fold(one.name), fold(one.name_transliterated)} - {""}
    return bool(names & {fold(other.name), fold(other.name_transliterated)})


def _case_values(rows: list[Row]) -> dict:
    values = {}
    for row in rows:
        for name in ("slug", "title", "summary", "country", "region"):
            if getattr(row, name) and name not in values:
                values[name] = getattr(row, name)
        if row.start_date and "start_date" not in values:
            values["start_date"] = row.start_date.date
            values["start_date_precision"] = row.start_date.precision
    return values


def _person_changes(person: Person, entry: PersonEntry) -> list[Change]:
    changes = []
    for name in ("name_original", "occupation"):
        new = getattr(entry, name)
        if new and new != getattr(person, name):
            changes.append(Change(name, getattr(person, name), new))
    if entry.birth_date and (person.birth_date, person.birth_date_precision) != (
        entry.birth_date.date,
        entry.birth_date.precision,
    ):
        changes.append(
            Change(
                "birth_date",
                iso_partial_date(person.birth_date, person.birth_date_precision),
                iso_partial_date(entry.birth_date.date, entry.birth_date.precision),
            )
        )
    known = {fold(name) for name in person.spellings}
    new_names = [name for name in entry.spellings if fold(name) not in known]
    if new_names:
        changes.append(Change("other_names", "", "; ".join(new_names)))
    return changes


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _batches(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]
