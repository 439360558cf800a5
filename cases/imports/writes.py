"""A Plan carried out: every row in one transaction, through the models'
clean() and cases.services, with the importer as the author of each version
in the history of edits.

Each object goes through its model's clean(); the named constraints are
left to the database, which refuses a row that breaks one (checked one by
one in Python they cost a third of an import's time). Nothing is written
when any row of the plan has an error: a list is
imported whole or not at all. Imported cases are drafts; the timeline is
recorded by services.record_status_change (current statuses, positions),
and the version of the public data is raised once, at the end
(services.one_public_data_change).
"""

import contextlib
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from .. import services
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
)
from ..search import fold
from ..slugs import fill_in_slugs
from .facts import FactsWriter
from .plan import CasePlan, Plan


class ImportRefused(ValueError):
    """The plan has errors, or the database refused a row: nothing was written."""


@contextlib.contextmanager
def as_author(user):
    """Every version the history keeps inside is by USER, as if a request of
    theirs made it (simple_history reads the request's user)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


# Cases written at once: every step below costs a few queries per chunk,
# whatever the number of rows in it.
CASES_PER_CHUNK = 500


# The key of PostgreSQL's advisory lock that one import at a time holds.
IMPORT_LOCK = 16_016


@contextlib.contextmanager
def one_import_at_a_time():
    """A transaction that no other import runs beside: plan inside it and
    carry the plan out, and a second import of the same list, started at the
    same moment, waits for the first and then finds its rows in the register
    (updates or nothing, never the same people twice). PostgreSQL: an
    advisory lock held until the transaction ends; SQLite takes its write
    lock when a transaction begins (settings: transaction_mode IMMEDIATE)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        yield


def carry_out(plan: Plan, *, user, progress=None) -> list[Case]:
    """Write PLAN; the cases created or updated. PROGRESS(n) is told of each
    N cases written."""
    if plan.has_errors:
        raise ImportRefused(_("The file has errors; nothing was imported."))
    written = []
    todo = [case_plan for case_plan in plan.cases if not case_plan.unchanged]
    with as_author(user), transaction.atomic(), services.one_public_data_change():
        writer = _Writer()
        for chunk in _batches(todo, CASES_PER_CHUNK):
            try:
                with transaction.atomic():
                    written += writer.write(chunk)
            except _Refused as refused:
                raise ImportRefused(
                    _("Line %(lines)s: %(reason)s; nothing was imported.")
                    % {"lines": _lines(refused.case_plan), "reason": refused.reason}
                ) from None
            except IntegrityError as error:
                reason = _("the database refused it (%(error)s)") % {"error": error}
                raise ImportRefused(
                    _("Line %(lines)s: %(reason)s; nothing was imported.")
                    % {"lines": _lines(*chunk), "reason": reason}
                ) from None
            if progress:
                progress(len(chunk))
        # Search finds the cases by the names of their people and charges, linked in bulk.
        for batch in _batches([case.pk for case in written], CASES_PER_CHUNK):
            Case.objects.filter(pk__in=batch).refresh_search_documents()
    return written


class _Refused(Exception):
    def __init__(self, case_plan: CasePlan, error: ValidationError):
        self.case_plan, self.reason = case_plan, " ".join(error.messages)


@contextlib.contextmanager
def _rows_of(case_plan: CasePlan):
    """A ValidationError raised inside is one of CASE_PLAN's rows."""
    try:
        yield
    except ValidationError as error:
        raise _Refused(case_plan, error) from None


def _lines(*case_plans: CasePlan) -> str:
    lines = sorted(row.line for case_plan in case_plans for row in case_plan.rows)
    if len(case_plans) > 1:
        return f"{lines[0]}–{lines[-1]}"
    return ", ".join(str(line) for line in lines)


class _Writer:
    """Writes a plan a chunk of cases at a time, one kind of row after the
    other, each in bulk: the cases, the people, their links to the cases, the
    list's ids, charges, organisations, sources, then the timelines through
    services.record_status_changes(). People, charges, organisations and
    sources made for one chunk are kept for the next."""

    def __init__(self):
        self.people: dict[tuple, Person] = {}
        self.sources: dict[str, Source] = {}
        self.organisations: dict[str, Organisation] = {}
        self.charges: dict[tuple, Charge] = {}
        self.facts = FactsWriter()

    def write(self, chunk: list[CasePlan]) -> list[Case]:
        self._find_or_make_sources(chunk)
        cases = self._cases(chunk)
        self._people(chunk)
        participants = self._participants(chunk, cases)
        self._external_ids(chunk, cases)
        self._charge_links(chunk, cases)
        self._organisation_links(chunk, cases)
        self._source_links(chunk, cases)
        self._timelines(chunk, cases, participants)
        self._facts(chunk, cases, participants)
        return [cases[id(case_plan)] for case_plan in chunk]

    def _facts(self, chunk, cases, participants) -> None:
        """Categories, detentions, verdicts and sex (facts.py), through the
        services, after the timeline: a row's facts are few, each its own."""
        for case_plan in chunk:
            case = cases[id(case_plan)]
            with _rows_of(case_plan):
                self.facts.write_categories(case, case_plan.categories)
                for target, row in case_plan.facts:
                    self.facts.write(
                        self,
                        case,
                        row.facts,
                        self.people[target.key],
                        participants[(id(case_plan), id(target))],
                        [self._source(address) for address in row.sources],
                    )

    def _cases(self, chunk: list[CasePlan]) -> dict[int, Case]:
        """{id(case plan): its case, saved}."""
        cases = {}
        known = Case.objects.in_bulk([p.existing.pk for p in chunk if p.existing])
        new = []
        for case_plan in chunk:
            if case_plan.existing is None:
                case = Case(**case_plan.fields)
                new.append((case_plan, case))
            else:
                case = known[case_plan.existing.pk]
                for name, value in case_plan.fields.items():
                    setattr(case, name, value)
                if case_plan.fields:
                    with _rows_of(case_plan):
                        case.full_clean(validate_constraints=False)
                    case.save()
            cases[id(case_plan)] = case
        fill_in_slugs([(case, case.title) for _plan, case in new])
        for case_plan, case in new:
            with _rows_of(case_plan):
                case.full_clean(validate_constraints=False)
        # Their search documents are made at the end, with their people's names.
        bulk_create_with_history([case for _plan, case in new], Case, batch_size=500)
        return cases

    def _people(self, chunk: list[CasePlan]) -> None:
        targets = {}
        for case_plan in chunk:
            for target, _role in case_plan.people:
                if target.key not in self.people:
                    targets.setdefault(target.key, (case_plan, target))
        known = Person.objects.in_bulk(
            [target.existing.pk for _plan, target in targets.values() if target.existing]
        )
        new = []
        for key, (case_plan, target) in targets.items():
            person = (
                known[target.existing.pk] if target.existing else Person(name=target.entry.name)
            )
            if _take_entry(person, target.entry) and person.pk is not None:
                with _rows_of(case_plan):
                    person.full_clean(validate_constraints=False)
                person.save()
            elif person.pk is None:
                new.append((case_plan, person))
            self.people[key] = person
        fill_in_slugs([(person, person.name) for _plan, person in new])
        for case_plan, person in new:
            with _rows_of(case_plan):
                person.full_clean(validate_constraints=False)
        bulk_create_with_history([person for _plan, person in new], Person, batch_size=500)

    def _participants(self, chunk, cases) -> dict[tuple, CaseParticipant]:
        """{(id(case plan), id(person target)): the person's link to the case}."""
        existing = {}
        for link in CaseParticipant.objects.filter(case__in=_existing(chunk)):
            existing[(link.case_id, link.person_id)] = link
        participants, new = {}, []
        for case_plan in chunk:
            case = cases[id(case_plan)]
            for target, role in case_plan.people:
                person = self.people[target.key]
                link = existing.get((case.pk, person.pk))
                if link is None:
                    link = CaseParticipant(case=case, person=person, role=role)
                    with _rows_of(case_plan):
                        link.full_clean(
                            exclude=["current_status", "case", "person"],
                            validate_unique=False,
                            validate_constraints=False,
                        )
                    new.append(link)
                    existing[(case.pk, person.pk)] = link
                elif link.role != role and not target.entry.listed:
                    link.role = role
                    link.save(update_fields=["role"])
                participants[(id(case_plan), id(target))] = link
        # Saved one by one, each would rebuild its case's search document,
        # which carry_out() rebuilds once.
        bulk_create_with_history(new, CaseParticipant, batch_size=500)
        return participants

    def _external_ids(self, chunk, cases) -> None:
        """The list's ids, recorded against their case and person unless they already are."""
        wanted = {}
        for case_plan in chunk:
            for value, target in case_plan.external_ids:
                person = self.people[target.key] if target else None
                wanted.setdefault((value, person is None), (cases[id(case_plan)], person))
        known = set()
        for batch in _batches(sorted({value for value, _case in wanted})):
            for value, person_id in ExternalId.objects.filter(value__in=batch).values_list(
                "value", "person_id"
            ):
                known.add((value, person_id is None))
        ExternalId.objects.bulk_create(
            [
                ExternalId(value=value, case=case, person=person)
                for (value, of_case), (case, person) in wanted.items()
                if (value, of_case) not in known
            ],
            batch_size=500,
        )

    def _charge_links(self, chunk, cases) -> None:
        linked = {
            (link.case_id, link.charge_id): link
            for link in CaseCharge.objects.filter(case__in=_existing(chunk))
        }
        new = []
        for case_plan in chunk:
            case = cases[id(case_plan)]
            for entry in case_plan.charges:
                with _rows_of(case_plan):
                    charge = self._charge(case.country, entry)
                link = linked.get((case.pk, charge.pk))
                if link is None:
                    link = CaseCharge(case=case, charge=charge, state=entry.state)
                    linked[(case.pk, charge.pk)] = link
                    new.append(link)
                elif link.state != entry.state:
                    link.state = entry.state
                    link.save(update_fields=["state"])
        bulk_create_with_history(new, CaseCharge, batch_size=500)

    def _organisation_links(self, chunk, cases) -> None:
        linked = set(
            CaseOrganisation.objects.filter(case__in=_existing(chunk)).values_list(
                "case_id", "organisation_id"
            )
        )
        new = []
        for case_plan in chunk:
            case = cases[id(case_plan)]
            for name, role in case_plan.organisations:
                with _rows_of(case_plan):
                    organisation = self._organisation(name)
                if (case.pk, organisation.pk) not in linked:
                    linked.add((case.pk, organisation.pk))
                    new.append(CaseOrganisation(case=case, organisation=organisation, role=role))
        bulk_create_with_history(new, CaseOrganisation, batch_size=500)

    def _source_links(self, chunk, cases) -> None:
        linked = set(
            CaseSource.objects.filter(case__in=_existing(chunk)).values_list("case_id", "source_id")
        )
        new = []
        for case_plan in chunk:
            case = cases[id(case_plan)]
            for address in case_plan.sources:
                with _rows_of(case_plan):
                    source = self._source(address)
                if (case.pk, source.pk) not in linked:
                    linked.add((case.pk, source.pk))
                    new.append(CaseSource(case=case, source=source))
        bulk_create_with_history(new, CaseSource, batch_size=500)

    def _timelines(self, chunk, cases, participants) -> None:
        timelines = {}
        for case_plan in chunk:
            entries = []
            for step in case_plan.statuses:
                with _rows_of(case_plan):
                    sources = [self._source(address) for address in step.sources]
                entries.append(
                    services.NewStatusChange(
                        participants=[participants[(id(case_plan), id(t))] for t in step.people],
                        status=step.status,
                        date=step.date.date,
                        date_precision=step.date.precision,
                        headline=step.headline or _headline(step.status),
                        sources=sources,
                    )
                )
            timelines[cases[id(case_plan)]] = entries
        try:
            services.record_status_changes(timelines)
        except ValidationError as error:
            # Said of the first case whose entries break a rule: found again one by one.
            for case_plan in chunk:
                with _rows_of(case_plan):
                    case = cases[id(case_plan)]
                    services.record_status_changes({case: timelines[case]})
            raise _Refused(chunk[0], error) from None
        # record_status_changes() said so of the cases with new entries.
        services.public_data_changed(*(case for case, entries in timelines.items() if not entries))

    def _charge(self, country: str, entry) -> Charge:
        key = (country, fold(entry.article), fold(entry.name), fold(entry.name_transliterated))
        if key in self.charges:
            return self.charges[key]
        charges = Charge.objects.filter(country=country)
        if entry.article:
            charge = charges.filter(article__iexact=entry.article).first()
        else:
            charge = next(
                (
                    c
                    for c in charges
                    if {fold(entry.name), fold(entry.name_transliterated)} - {""}
                    & {fold(c.name), fold(c.name_original), fold(c.name_transliterated)}
                ),
                None,
            )
        if charge is None:
            charge = Charge(
                country=country,
                article=entry.article,
                name=entry.name or _("Article %(article)s") % {"article": entry.article},
                name_transliterated=entry.name_transliterated,
            )
            charge.full_clean(validate_constraints=False)
            charge.save()
        self.charges[key] = charge
        return charge

    def _organisation(self, name: str) -> Organisation:
        key = fold(name)
        if key not in self.organisations:
            found = next(
                (
                    o
                    for o in Organisation.objects.filter(name__iexact=name)
                    | Organisation.objects.filter(acronym__iexact=name)
                ),
                None,
            )
            if found is None:
                found = Organisation(name=name)
                found.full_clean(validate_constraints=False)
                found.save()
            self.organisations[key] = found
        return self.organisations[key]

    def _find_or_make_sources(self, chunk: list[CasePlan]) -> None:
        """The sources CHUNK cites, found by address (or title) or made, in bulk."""
        addresses = {
            address
            for case_plan in chunk
            for address in [*case_plan.sources, *(a for s in case_plan.statuses for a in s.sources)]
            if address not in self.sources
        }
        urls = sorted(a for a in addresses if a.startswith(("http://", "https://")))
        titles = sorted(addresses - set(urls))
        for batch in _batches(urls):
            for source in Source.objects.filter(url__in=batch).order_by("pk"):
                self.sources.setdefault(source.url, source)
        for batch in _batches(titles):
            for source in Source.objects.filter(url="", title__in=batch).order_by("pk"):
                self.sources.setdefault(source.title, source)
        new = []
        for address in sorted(addresses - set(self.sources)):
            source = Source(url=address if address in urls else "", title=address[:500])
            self.sources[address] = source
            new.append((address, source))
        for address, source in new:
            with _rows_of(next(p for p in chunk if _cites(p, address))):
                source.full_clean(validate_constraints=False)
        bulk_create_with_history([source for _address, source in new], Source, batch_size=500)

    def _source(self, address: str) -> Source:
        if address not in self.sources:
            is_url = address.startswith(("http://", "https://"))
            found = (
                Source.objects.filter(url=address).first()
                if is_url
                else Source.objects.filter(url="", title=address).first()
            )
            if found is None:
                found = Source(url=address if is_url else "", title=address[:500])
                found.full_clean(validate_constraints=False)
                found.save()
            self.sources[address] = found
        return self.sources[address]


def _take_entry(person: Person, entry) -> bool:
    """Put what the row ENTRY says of a person into PERSON; whether that changed it.
    The register's name stays; a new spelling is added to the other spellings."""
    changed = person.pk is None
    for name in ("name_original", "occupation"):
        value = getattr(entry, name)
        if value and value != getattr(person, name):
            setattr(person, name, value)
            changed = True
    if entry.birth_date and (person.birth_date, person.birth_date_precision) != (
        entry.birth_date.date,
        entry.birth_date.precision,
    ):
        person.birth_date = entry.birth_date.date
        person.birth_date_precision = entry.birth_date.precision
        changed = True
    known = {fold(name) for name in person.spellings}
    new_names = [name for name in entry.spellings if fold(name) not in known]
    if new_names:
        person.other_names = "\n".join(filter(None, [person.other_names, *new_names]))
        changed = True
    return changed


def _cites(case_plan: CasePlan, address: str) -> bool:
    return address in case_plan.sources or any(address in s.sources for s in case_plan.statuses)


def _existing(chunk: list[CasePlan]) -> list[int]:
    return [case_plan.existing.pk for case_plan in chunk if case_plan.existing]


def _batches(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _headline(status: str) -> str:
    from ..models.fields import label_of
    from ..models.statuses import Status

    label = str(label_of(Status, status))
    return label[:1].upper() + label[1:]
