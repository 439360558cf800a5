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
from django.db import IntegrityError, transaction
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
from .facts import FactsWriter
from .plan import CasePlan, PersonTarget, Plan


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


def carry_out(plan: Plan, *, user, progress=None) -> list[Case]:
    """Write PLAN; the cases created or updated. PROGRESS(n) is told of each
    case written."""
    if plan.has_errors:
        raise ImportRefused(_("The file has errors; nothing was imported."))
    written = []
    with as_author(user), transaction.atomic(), services.one_public_data_change():
        writer = _Writer(user)
        for case_plan in plan.cases:
            if case_plan.unchanged:
                continue
            try:
                with transaction.atomic():
                    written.append(writer.write(case_plan))
            except (ValidationError, IntegrityError) as error:
                reason = (
                    " ".join(error.messages)
                    if isinstance(error, ValidationError)
                    else _("the database refused it (%(error)s)") % {"error": error}
                )
                lines = ", ".join(str(row.line) for row in case_plan.rows)
                raise ImportRefused(
                    _("Line %(lines)s: %(reason)s; nothing was imported.")
                    % {"lines": lines, "reason": reason}
                ) from None
            if progress:
                progress(1)
        # Search finds the cases by the names of their people and charges, linked in bulk.
        Case.objects.filter(pk__in=[case.pk for case in written]).refresh_search_documents()
    return written


class _Writer:
    def __init__(self, user):
        self.user = user
        self.people: dict[tuple, Person] = {}
        self.sources: dict[str, Source] = {}
        self.organisations: dict[str, Organisation] = {}
        self.charges: dict[tuple, Charge] = {}
        self.facts = FactsWriter()

    def write(self, plan: CasePlan) -> Case:
        case = plan.existing
        if case is None:
            case = Case(**plan.fields)
        else:
            case = Case.objects.get(pk=case.pk)
            for name, value in plan.fields.items():
                setattr(case, name, value)
        if case.pk is None or plan.fields:
            case.full_clean(validate_constraints=False)
            case.save()
        participants = {}
        existing = (
            {p.person_id: p for p in CaseParticipant.objects.filter(case=case)}
            if plan.existing
            else {}
        )
        # New links are created in bulk: saved one by one, each would rebuild
        # the case's search document, which carry_out() rebuilds once.
        new_links = []
        for target, role in plan.people:
            person = self._person(target)
            link = existing.get(person.pk)
            if link is None:
                link = CaseParticipant(case=case, person=person, role=role)
                link.full_clean(
                    exclude=["current_status", "case", "person"],
                    validate_unique=False,
                    validate_constraints=False,
                )
                new_links.append(link)
                existing[person.pk] = link
            elif link.role != role and not target.entry.listed:
                link.role = role
                link.save(update_fields=["role"])
            participants[id(target)] = link
        bulk_create_with_history(new_links, CaseParticipant)
        if new_links and new_links[0].pk is None:  # databases that do not return ids
            for link in CaseParticipant.objects.filter(case=case):
                for target_id, made in list(participants.items()):
                    if made.pk is None and made.person_id == link.person_id:
                        participants[target_id] = link
        for value, target in plan.external_ids:
            person = self._person(target) if target else None
            ExternalId.objects.get_or_create(
                value=value,
                person__isnull=person is None,
                defaults={"case": case, "person": person},
            )
        linked = (
            {c.charge_id: c for c in CaseCharge.objects.filter(case=case)} if plan.existing else {}
        )
        new_charges = []
        for entry in plan.charges:
            charge = self._charge(case.country, entry)
            link = linked.get(charge.pk)
            if link is None:
                linked[charge.pk] = CaseCharge(case=case, charge=charge, state=entry.state)
                new_charges.append(linked[charge.pk])
            elif link.state != entry.state:
                link.state = entry.state
                link.save(update_fields=["state"])
        bulk_create_with_history(new_charges, CaseCharge)
        for name, role in plan.organisations:
            organisation = self._organisation(name)
            CaseOrganisation.objects.get_or_create(
                case=case, organisation=organisation, defaults={"role": role}
            )
        sources = [self._source(address) for address in plan.sources]
        for source in sources:
            CaseSource.objects.get_or_create(case=case, source=source)
        for step in plan.statuses:
            services.record_status_change(
                case,
                participants=[participants[id(t)] for t in step.people],
                status=step.status,
                date=step.date.date,
                date_precision=step.date.precision,
                headline=step.headline or _headline(step.status),
                sources=[self._source(a) for a in step.sources],
            )
        self.facts.write_categories(case, plan.categories)
        # Detentions, verdicts and sex (facts.py), through the services.
        for target, row in plan.facts:
            self.facts.write(
                self,
                case,
                row.facts,
                self._person(target),
                participants[id(target)],
                [self._source(address) for address in row.sources],
            )
        services.public_data_changed(case)
        return case

    def _person(self, target: PersonTarget) -> Person:
        if target.key in self.people:
            return self.people[target.key]
        entry = target.entry
        person = Person.objects.get(pk=target.existing.pk) if target.existing else Person()
        changed = person.pk is None
        if person.pk is None:
            person.name = entry.name
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
        if changed:
            person.full_clean(validate_constraints=False)
            person.save()
        self.people[target.key] = person
        return person

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


def _headline(status: str) -> str:
    from ..models.fields import label_of
    from ..models.statuses import Status

    label = str(label_of(Status, status))
    return label[:1].upper() + label[1:]
