"""Writes with side effects. The timeline is recorded here, and nowhere else."""

import contextlib
import contextvars
import dataclasses
import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import page_cache
from .models import (
    Case,
    CaseParticipant,
    Charge,
    DatePrecision,
    Detention,
    DetentionSource,
    Organisation,
    Person,
    Picture,
    PlaceOfDetention,
    PublicationState,
    PublicDataVersion,
    Recognition,
    Source,
    StatusChange,
    StatusChangeParticipant,
    StatusChangeSource,
    Verdict,
    VerdictCharge,
    VerdictSource,
)
from .models.statuses import case_status


@transaction.atomic
def record_status_change(
    case: Case,
    *,
    participants: Iterable[CaseParticipant],
    status: str,
    date: datetime.date,
    headline: str,
    date_precision: str = DatePrecision.DAY,
    description: str = "",
    sources: Iterable[Source] = (),
) -> StatusChange:
    """Record that PARTICIPANTS of CASE became STATUS on DATE, and bring the
    current status of those people and of the case up to date.

    Everything happens in one transaction: either the entry, its people, its
    sources and the new current statuses are all saved, or nothing is.
    """
    entry = NewStatusChange(
        participants=participants,
        status=status,
        date=date,
        headline=headline,
        date_precision=date_precision,
        description=description,
        sources=sources,
    )
    return _record({case: [entry]}, check_constraints=True)[0]


@dataclasses.dataclass
class NewStatusChange:
    """One entry for record_status_changes(): what record_status_change() takes."""

    participants: Iterable[CaseParticipant]
    status: str
    date: datetime.date
    headline: str
    date_precision: str = DatePrecision.DAY
    description: str = ""
    sources: Iterable[Source] = ()


@transaction.atomic
def record_status_changes(
    timelines: Mapping[Case, Iterable[NewStatusChange]],
) -> list[StatusChange]:
    """Record the new entries of each case's timeline at once ({case: [entry,
    ...]}), as record_status_change() would one after the other in their
    order: the same places in the timeline, the same current statuses. The
    number of queries does not grow with the number of entries or cases (per
    500 cases): each timeline is placed once, the current statuses computed
    once per case, the history written in bulk. For imports. The models'
    named constraints are left to the database here (each is also a rule of
    the fields that full_clean() checks)."""
    return _record({case: list(entries) for case, entries in timelines.items()})


def _record(
    timelines: dict[Case, list[NewStatusChange]], *, check_constraints: bool = False
) -> list[StatusChange]:
    # Lock the cases so that two editors recording at once are applied one
    # after the other and the current statuses follow the later of them.
    cases = _locked([case.pk for case, entries in timelines.items() if entries])
    changes, people, cited = [], [], []
    for given, entries in timelines.items():
        case = cases.get(given.pk)
        for entry in entries:
            participants, sources = _checked(case, entry)
            change = StatusChange(
                case=case,
                status=entry.status,
                date=entry.date,
                date_precision=entry.date_precision,
                headline=entry.headline,
                description=entry.description,
            )
            # In bulk, no query per entry: the case was just read and locked,
            # and the public id is random (the database keeps it unique).
            change.full_clean(
                exclude=None if check_constraints else ["case"],
                validate_unique=check_constraints,
                validate_constraints=check_constraints,
            )
            changes.append(change)
            people.append(participants)
            cited.append(sources)
    # Each new entry goes where _place_in_timeline() would have put it,
    # recorded after those before it: the timelines are placed in memory,
    # then numbered.
    timeline: dict[int, list[StatusChange]] = {pk: [] for pk in cases}
    for batch in _batches(sorted(cases)):
        entries = StatusChange.objects.filter(case__in=batch).chronological()
        for entry in entries.only("pk", "case_id", "date", "date_precision", "position"):
            timeline[entry.case_id].append(entry)
    for change in changes:
        entries = timeline[change.case_id]
        at = next((i for i, other in enumerate(entries) if other.date > change.last_day), None)
        entries.insert(len(entries) if at is None else at, change)
    moved = []
    for entries in timeline.values():
        for position, entry in enumerate(entries, start=1):
            if entry.pk is not None and entry.position != position:
                moved.append(entry)
            entry.position = position
    StatusChange.objects.bulk_update(moved, ["position"], batch_size=500)
    # The *_with_history helpers also keep these rows in the history of edits.
    bulk_create_with_history(changes, StatusChange, batch_size=500)
    bulk_create_with_history(
        [
            StatusChangeParticipant(status_change=change, participant=p)
            for change, participants in zip(changes, people, strict=True)
            for p in participants
        ],
        StatusChangeParticipant,
        batch_size=500,
    )
    bulk_create_with_history(
        [
            StatusChangeSource(status_change=change, source=s)
            for change, sources in zip(changes, cited, strict=True)
            for s in sources
        ],
        StatusChangeSource,
        batch_size=500,
    )
    _update_current_statuses(list(cases.values()))
    public_data_changed(*cases.values())
    return changes


def _locked(pks: list[int]) -> dict[int, Case]:
    """The cases of PKS, locked until the end of the transaction, in the order
    of their ids (two transactions locking some of the same cases wait for
    each other instead of deadlocking)."""
    cases = {}
    for batch in _batches(sorted(set(pks))):
        cases.update(
            {
                case.pk: case
                for case in Case.objects.select_for_update().filter(pk__in=batch).order_by("pk")
            }
        )
    return cases


def _checked(case: Case, entry: NewStatusChange) -> tuple[list, list]:
    """The people and sources of ENTRY, refused if it has none or names
    someone who is not in CASE."""
    participants = list(dict.fromkeys(entry.participants))
    if not participants:
        raise ValidationError(
            {"participants": _("Choose at least one person that the status change concerns.")}
        )
    sources = list(dict.fromkeys(entry.sources))
    if not sources:
        raise ValidationError(
            {"sources": _("Cite at least one source: pick one, or add the address of a new one.")}
        )
    strangers = [p for p in participants if p.case_id != case.pk]
    if strangers:
        raise ValidationError(
            {
                "participants": _("%(names)s is not in this case.")
                % {"names": ", ".join(str(p.person) for p in strangers)}
            }
        )
    return participants, sources


def _batches(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


@transaction.atomic
def timeline_changed(case: Case, change: StatusChange | None = None) -> None:
    """After CHANGE of CASE's timeline was recorded, corrected or restored (or
    an entry deleted): put it in its place, bring the current statuses up to
    date, and say that what the public sees has changed."""
    # One timeline is numbered at a time (a correction and a recording at once).
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if change is not None:
        _place_in_timeline(change)
    update_current_statuses(case)
    public_data_changed(case)


def _place_in_timeline(change: StatusChange) -> None:
    """Give CHANGE its place in its case's timeline, unless it has one already.

    A timeline is in order when no entry comes after one whose dates are all
    later than its own. A new entry goes after every entry that its dates
    could come after, so that of entries whose dates overlap at their
    precision, the one recorded later comes later (unless an editor moves it,
    move_status_change()). An entry whose date was corrected keeps its place
    if the order still holds there."""
    entries = list(
        StatusChange.objects.filter(case=change.case_id)
        .chronological()
        .only("pk", "date", "date_precision", "position")
    )
    others = [entry for entry in entries if entry.pk != change.pk]
    if change.position and len(others) < len(entries):
        at = next(i for i, entry in enumerate(entries) if entry.pk == change.pk)
        if _fits(change, others[:at], others[at:]):
            return
    at = next((i for i, other in enumerate(others) if other.date > change.last_day), len(others))
    _number(others[:at] + [change] + others[at:])


def _fits(change: StatusChange, before: list[StatusChange], after: list[StatusChange]) -> bool:
    return all(other.date <= change.last_day for other in before) and all(
        change.date <= other.last_day for other in after
    )


def _number(entries: list[StatusChange]) -> None:
    """Number ENTRIES, a whole timeline, from 1 in the order given."""
    moved = []
    for position, entry in enumerate(entries, start=1):
        if entry.position != position:
            entry.position = position
            moved.append(entry)
    StatusChange.objects.bulk_update(moved, ["position"])


@transaction.atomic
def move_status_change(change: StatusChange, *, earlier: bool) -> StatusChange:
    """Move CHANGE one place earlier (or later) in its case's timeline, before
    (or after) the entry next to it. Only entries whose dates overlap at their
    precision change places: the calendar orders the others."""
    Case.objects.select_for_update().filter(pk=change.case_id).first()
    entries = list(StatusChange.objects.filter(case=change.case_id).chronological())
    at = next(i for i, entry in enumerate(entries) if entry.pk == change.pk)
    change = entries[at]
    other_at = at - 1 if earlier else at + 1
    if not 0 <= other_at < len(entries):
        message = (
            _("“%(change)s” is already the first entry of the timeline.")
            if earlier
            else _("“%(change)s” is already the last entry of the timeline.")
        )
        raise ValidationError(message % {"change": change})
    other = entries[other_at]
    if not change.overlaps(other):
        message = (
            _(
                "“%(change)s” cannot come before “%(other)s”: their dates do not overlap, "
                "and the calendar orders them. Correct a date if it is wrong."
            )
            if earlier
            else _(
                "“%(change)s” cannot come after “%(other)s”: their dates do not overlap, "
                "and the calendar orders them. Correct a date if it is wrong."
            )
        )
        raise ValidationError(message % {"change": change, "other": other})
    entries[at], entries[other_at] = other, change
    _number(entries)
    update_current_statuses(change.case)
    public_data_changed(change.case)
    return change


@transaction.atomic
def update_current_statuses(case: Case) -> None:
    """Set the current status of CASE and of each person in it from its timeline.

    A person's current status is the status of the latest entry that concerns
    them, in the timeline's order (StatusChange.position). A case's people may
    stand in different places: the case's status is that of its persecuted
    person who is worst off (statuses.CASE_STATUS_ORDER), or of anyone in it
    when no persecuted person has a status. This is the only code that writes
    current statuses; the services call it after any change to a timeline,
    and say that the public data changed.
    """
    _update_current_statuses([case])


def _update_current_statuses(cases: list[Case]) -> None:
    """update_current_statuses() of many cases, in a few queries per 500 cases."""
    for batch in _batches(cases):
        pks = [case.pk for case in batch]
        latest_for_participant: dict[int, str] = {}
        links = (
            StatusChangeParticipant.objects.filter(status_change__case__in=pks)
            .order_by("status_change__position", "status_change__pk")
            .values_list("participant_id", "status_change__status")
        )
        for participant_id, status in links:
            latest_for_participant[participant_id] = status
        participants: dict[int, list[CaseParticipant]] = {pk: [] for pk in pks}
        stale = []
        for participant in CaseParticipant.objects.filter(case__in=pks):
            participants[participant.case_id].append(participant)
            status = latest_for_participant.get(participant.pk, "")
            if participant.current_status != status:
                participant.current_status = status
                stale.append(participant)
        if stale:
            bulk_update_with_history(stale, CaseParticipant, ["current_status"])
        latest = {}
        for case_id, date, precision in (
            StatusChange.objects.filter(case__in=pks)
            .latest_first()
            .values_list("case_id", "date", "date_precision")
        ):
            latest.setdefault(case_id, (date, precision))
        now = timezone.now()
        for case in batch:
            people = participants[case.pk]
            persecuted = [p.current_status for p in people if p.is_persecuted]
            case.current_status = case_status(persecuted) or case_status(
                p.current_status for p in people
            )
            case.last_status_change_on, case.last_status_change_precision = latest.get(
                case.pk, (None, "")
            )
            case.updated_at = now
        bulk_update_with_history(
            batch,
            Case,
            [
                "current_status",
                "last_status_change_on",
                "last_status_change_precision",
                "updated_at",
            ],
        )


# What the edits inside one_public_data_change() said they changed, gathered.
GATHERED_LIMIT = 100
_gathered: contextvars.ContextVar[list | None] = contextvars.ContextVar("gathered", default=None)


@contextlib.contextmanager
def one_public_data_change():
    """Raise the version of the public data once for all the edits made
    inside, at the end, instead of once per edit: an import of 10,000 rows
    is one edit to the caches. Use it inside the edits' transaction. Past
    GATHERED_LIMIT edited objects, everything cached is made unreachable:
    reading the topics of thousands of objects costs more than rendering
    the pages again after a rare bulk edit."""
    gathered: list = []
    token = _gathered.set(gathered)
    try:
        yield
    finally:
        _gathered.reset(token)
    if len(gathered) > GATHERED_LIMIT:
        public_data_changed()
    elif gathered:
        public_data_changed(*gathered)


def public_data_changed(*edited, again: bool = False) -> None:
    """Say that what the public sees of EDITED (models' objects) may have
    changed, so that the cached pages and counts that show it are computed
    afresh on their next request (cases.page_cache says which those are).
    Without EDITED, or with an object whose pages it cannot tell, everything
    cached is. Call it in the transaction of the edit: the new version is seen
    when the edit is. AGAIN: a later step of the same edit (its links saved),
    which keeps the version the first call raised."""
    gathered = _gathered.get()
    if gathered is not None:
        gathered.extend(edited or [None])
        return
    topics = [page_cache.edited_topics(obj) if obj is not None else None for obj in edited]
    if not topics or None in topics:
        PublicDataVersion.bump()
    else:
        PublicDataVersion.bump(topics=set().union(*topics), again=again)


def publication_problems(case: Case) -> list[str]:
    """What keeps CASE from being published, in words an editor can act on."""
    problems = []
    if not case.summary.strip():
        problems.append(_("The case has no summary."))
    if not case.participants.exists():
        problems.append(_("The case names no person."))
    for picture in Picture.objects.filter(person__participations__case=case).select_related(
        "person"
    ):
        if not picture.alt_text.strip():
            problems.append(
                _("The photo of %(person)s has no alt text.") % {"person": picture.person}
            )
    unsourced = case.status_changes.filter(source_links__isnull=True).chronological()
    for change in unsourced:
        problems.append(_("The status change “%(change)s” cites no source.") % {"change": change})
    problems.extend(unsourced_facts(case))
    return problems


def unsourced_facts(case: Case) -> list[str]:
    """The detentions, verdicts and recognitions shown with CASE that cite no
    source, each named so that an editor can find it."""
    problems = []
    detentions = (
        case.detentions.filter(source_links__isnull=True)
        .select_related("participant__person")
        .order_by("start", "pk")
    )
    for detention in detentions:
        problems.append(
            _("The detention of %(person)s (%(detention)s) cites no source.")
            % {"person": detention.participant.person, "detention": detention}
        )
    verdicts = (
        case.verdicts.filter(source_links__isnull=True)
        .select_related("participant__person")
        .order_by("date", "pk")
    )
    for verdict in verdicts:
        problems.append(
            _("The verdict on %(person)s (%(verdict)s) cites no source.")
            % {"person": verdict.participant.person, "verdict": verdict}
        )
    recognitions = Recognition.objects.filter(
        person__participations__case=case, source__isnull=True
    ).select_related("person", "organisation")
    for recognition in recognitions.order_by("pk"):
        problems.append(
            _("The recognition of %(person)s as %(recognition)s cites no source.")
            % {"person": recognition.person, "recognition": recognition}
        )
    return problems


@transaction.atomic
def publish_case(case: Case, *, by) -> Case:
    """Make CASE public, after checking that it is ready; record who and when."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_published:
        raise ValidationError(_("The case is already published."))
    problems = publication_problems(case)
    if problems:
        raise ValidationError(problems)
    case.publication_state = PublicationState.PUBLISHED
    case.published_at = timezone.now()
    case.published_by = by
    case._history_user = by
    case.save(update_fields=["publication_state", "published_at", "published_by", "updated_at"])
    public_data_changed(case)
    return case


@transaction.atomic
def withdraw_case(case: Case, *, by) -> Case:
    """Take a published CASE off the public site. It is kept, with its history,
    and can be published again."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_published:
        raise ValidationError(_("Only a published case can be withdrawn."))
    case.publication_state = PublicationState.WITHDRAWN
    case._history_user = by
    case.save(update_fields=["publication_state", "updated_at"])
    public_data_changed(case)
    return case


# The facts of issue 15: detentions, verdicts and recognitions. The rules are
# the models' clean(), which the admin's forms meet too; these functions are
# for every other path (the demo, imports, synthetic data): one transaction,
# the case row locked as for the timeline, the sources linked, the public
# data's version raised.


@transaction.atomic
def record_detention(
    participant: CaseParticipant,
    *,
    kind: str,
    start: datetime.date,
    start_precision: str = DatePrecision.DAY,
    may_have_begun_earlier: bool = False,
    end: datetime.date | None = None,
    end_precision: str = DatePrecision.DAY,
    place: PlaceOfDetention | None = None,
    note: str = "",
    sources: Iterable[Source] = (),
) -> Detention:
    """Record an episode of PARTICIPANT's detention in their case."""
    case = Case.objects.select_for_update().get(pk=participant.case_id)
    detention = Detention(
        case=case,
        participant=participant,
        kind=kind,
        start=start,
        start_precision=start_precision,
        may_have_begun_earlier=may_have_begun_earlier,
        end=end,
        end_precision=end_precision,
        place=place,
        note=note,
    )
    detention.full_clean()
    detention.save()
    _cite(detention, DetentionSource, "detention", sources)
    public_data_changed(case)
    return detention


@transaction.atomic
def end_detention(
    detention: Detention,
    *,
    end: datetime.date,
    end_precision: str = DatePrecision.DAY,
    sources: Iterable[Source] = (),
) -> Detention:
    """Record that DETENTION ended (a release, or a move to another kind of
    detention, which is a new episode)."""
    Case.objects.select_for_update().filter(pk=detention.case_id).first()
    detention = Detention.objects.select_related("case", "participant__person", "place").get(
        pk=detention.pk
    )
    if detention.end is not None:
        raise ValidationError({"end": _("This detention has ended already.")})
    detention.end, detention.end_precision = end, end_precision
    detention.full_clean()
    detention.save(update_fields=["end", "end_precision", "updated_at"])
    _cite(detention, DetentionSource, "detention", sources)
    public_data_changed(detention.case)
    return detention


@transaction.atomic
def record_verdict(
    participant: CaseParticipant,
    *,
    outcome: str,
    date: datetime.date,
    date_precision: str = DatePrecision.DAY,
    court: Organisation | None = None,
    appeal_of: Verdict | None = None,
    charges: Iterable[Charge] = (),
    sources: Iterable[Source] = (),
    **sentence,
) -> Verdict:
    """Record a verdict on PARTICIPANT, with the articles it convicted on
    (CHARGES, each one of the case's) and its SENTENCE (sentence_kind,
    term_years, term_months, term_days, regime, sentence_note,
    sentence_start[_precision], expected_release[_precision])."""
    case = Case.objects.select_for_update().get(pk=participant.case_id)
    verdict = Verdict(
        case=case,
        participant=participant,
        outcome=outcome,
        date=date,
        date_precision=date_precision,
        court=court,
        appeal_of=appeal_of,
        **sentence,
    )
    verdict.full_clean()
    verdict.save()
    links = [VerdictCharge(verdict=verdict, charge=charge) for charge in dict.fromkeys(charges)]
    for link in links:
        link.full_clean()
    bulk_create_with_history(links, VerdictCharge)
    _cite(verdict, VerdictSource, "verdict", sources)
    public_data_changed(case)
    return verdict


@transaction.atomic
def record_recognition(
    person: Person,
    *,
    kind: str,
    organisation: Organisation,
    date: datetime.date | None = None,
    date_precision: str = DatePrecision.DAY,
    source: Source | None = None,
) -> Recognition:
    """Record that ORGANISATION recognised PERSON as KIND (a prisoner of conscience ...)."""
    recognition = Recognition(
        person=person,
        kind=kind,
        organisation=organisation,
        date=date,
        date_precision=date_precision,
        source=source,
    )
    recognition.full_clean()
    recognition.save()
    public_data_changed(person)
    return recognition


def _cite(fact, link_model, name: str, sources: Iterable[Source]) -> None:
    cited = set(link_model.objects.filter(**{name: fact}).values_list("source_id", flat=True))
    bulk_create_with_history(
        [
            link_model(**{name: fact, "source": source})
            for source in dict.fromkeys(sources)
            if source.pk not in cited
        ],
        link_model,
    )
