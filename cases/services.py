"""Writes with side effects. The timeline is recorded here, and nowhere else."""

import contextlib
import contextvars
import dataclasses
import datetime
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
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
from .models.partial_dates import last_day
from .models.statuses import ENDS_DETENTION, Status, case_status
from .page_cache import TimelineOf


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
            check_release(change, participants)  # a query for a release only
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
    for change in changes:
        end_detentions_on_release(change)  # a query for a release only
    _update_current_statuses(list(cases.values()))
    public_data_changed(*(TimelineOf(pk) for pk in cases))
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
        end_detentions_on_release(change)
    update_current_statuses(case)
    public_data_changed(TimelineOf(case.pk))


# Releases and detentions agree. The rule, in one place that every path to
# the timeline meets (record_status_change(), the admin's corrections and
# restores through timeline_changed(), the import): a status change that
# says its people are free (statuses.ENDS_DETENTION: released, acquitted,
# charges dropped, died in custody, deceased) at date D ends each of their
# open detentions in the case that began by D, at D and its precision. A
# release dated before an open detention began cannot end it: recording one
# is refused (check_release()) unless a later entry of the timeline tells of
# that person, so a release of 2012 can still be recorded for someone held
# again since 2015. The converse is Detention.clean(): an open detention
# cannot begin by the date of a release that is its person's latest entry.
# Correcting or deleting a release later does not reopen what it ended:
# that is the editor's to say, on the detention.


def check_release(change: StatusChange, participants: Iterable[CaseParticipant]) -> None:
    """Refuse CHANGE, a status change about to be recorded for PARTICIPANTS,
    when it says they are free before one of their open detentions began and
    nothing later in the timeline tells of them: the site would go on saying
    "held now" of someone the timeline says is free. For each path that
    records entries (the import's bulk path too); record_status_change() calls it."""
    if change.status not in ENDS_DETENTION:
        return
    participants = list(participants)
    later = set(
        StatusChangeParticipant.objects.filter(
            participant__in=participants, status_change__date__gt=change.last_day
        ).values_list("participant_id", flat=True)
    )
    held_after = (
        Detention.objects.filter(
            participant__in=[p for p in participants if p.pk not in later],
            end__isnull=True,
            start__gt=change.last_day,
        )
        .select_related("participant__person")
        .order_by("start", "pk")
    )
    problems = [
        _(
            "%(person)s is held since %(start)s, after %(date)s: a release cannot end a "
            "detention before it began. Correct the date, or end that detention on its own."
        )
        % {
            "person": detention.participant.person,
            "start": detention.start_display,
            "date": change.date_display,
        }
        for detention in held_after
    ]
    if problems:
        raise ValidationError({"status": problems})


def end_detentions_on_release(change: StatusChange) -> list[Detention]:
    """End the open detentions in its case of the people CHANGE concerns that
    began by its date, when CHANGE says they are free (the rule above). The
    detentions ended, with their history kept. Call it once CHANGE and its
    people are saved; timeline_changed() does."""
    if change.status not in ENDS_DETENTION:
        return []
    ended = list(
        Detention.objects.filter(
            case=change.case_id,
            participant__status_change_links__status_change=change,
            end__isnull=True,
            start__lte=change.last_day,
        ).order_by("pk")
    )
    now = timezone.now()
    for detention in ended:
        detention.end, detention.end_precision = change.date, change.date_precision
        detention.updated_at = now
    if ended:
        bulk_update_with_history(ended, Detention, ["end", "end_precision", "updated_at"])
    return ended


def _in_original_language(text_of):
    """TEXT_OF() in the language of the originals (a service's headline is
    English, whatever language the editor's page is in: cases/translation.py)."""
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        return str(text_of())


@transaction.atomic
def record_release(
    detention: Detention, *, sources: Iterable[Source] = (), headline: str = ""
) -> StatusChange:
    """Record in the timeline that the person of DETENTION, which has ended,
    was released on its end: what an editor who ends a detention by a
    release is offered to do in the same step (the admin's detention form)."""
    if detention.end is None:
        raise ValidationError({"end": _("Give the end of the detention: the day of the release.")})
    person = detention.participant.person
    return record_status_change(
        detention.case,
        participants=[detention.participant],
        status=Status.RELEASED,
        date=detention.end,
        date_precision=detention.end_precision,
        headline=headline
        or _in_original_language(lambda: _("%(person)s released") % {"person": person.name}),
        sources=sources,
    )


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
    public_data_changed(TimelineOf(change.case_id))
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
    """Say that what the public sees of EDITED (models' objects, or
    page_cache.TimelineOf(case id) for an edit of a timeline alone) may have
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
    public_data_changed(TimelineOf(case.pk))
    return detention


@transaction.atomic
def end_detention(
    detention: Detention,
    *,
    end: datetime.date,
    end_precision: str = DatePrecision.DAY,
    sources: Iterable[Source] = (),
    released: bool = False,
) -> Detention:
    """Record that DETENTION ended (a release, or a move to another kind of
    detention, which is a new episode). RELEASED: it ended by a release,
    which goes in the timeline too (record_release(), same sources), in the
    same transaction."""
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
    if released:
        record_release(detention, sources=detention.sources.all())
    public_data_changed(TimelineOf(detention.case_id))
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
    status_change: StatusChange | None = None,
    **sentence,
) -> Verdict:
    """Record a verdict on PARTICIPANT, with the articles it convicted on
    (CHARGES, each one of the case's) and its SENTENCE (sentence_kind,
    term_years, term_months, term_days, regime, sentence_note,
    sentence_start[_precision], expected_release[_precision]), and its entry
    in the timeline: STATUS_CHANGE, one recorded already, or else one
    recorded now (verdict_in_timeline())."""
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
    verdict_in_timeline(verdict, status_change=status_change)
    public_data_changed(TimelineOf(case.pk))
    return verdict


# A verdict is a status change too (issue 15): readers of the timeline and the
# feeds learn of it there. Each verdict has one entry, linked to it
# (StatusChange.verdict): the one the editor names, or one recorded by hand
# already for that person with the verdict's status at an overlapping date,
# or else one recorded with the verdict, in its transaction.

_SENTENCE_STATUS = {
    Verdict.SentenceKind.SUSPENDED: Status.SUSPENDED_SENTENCE,
    Verdict.SentenceKind.RESTRICTION_OF_FREEDOM: Status.RESTRICTED_FREEDOM,
    Verdict.SentenceKind.CORRECTIVE_LABOUR: Status.RESTRICTED_FREEDOM,
    Verdict.SentenceKind.COMPULSORY_TREATMENT: Status.COMPULSORY_TREATMENT,
    Verdict.SentenceKind.FINE: Status.FINED,
}


def status_of_verdict(verdict: Verdict) -> str:
    """The status a person is at after VERDICT (statuses.STATUS_MEANINGS):
    acquitted; for a sentence of imprisonment (life, death too) imprisoned
    while they are held, else sentenced; the status of the other sentences
    (suspended, fined ...); convicted when no sentence is known. An upheld
    verdict keeps the status of the one it upheld; a quashed one leaves the
    person charged (a retrial, or an acquittal the editor records)."""
    if verdict.outcome == Verdict.Outcome.ACQUITTED:
        return Status.ACQUITTED
    if verdict.outcome == Verdict.Outcome.QUASHED:
        return Status.CHARGED
    if verdict.outcome == Verdict.Outcome.UPHELD and verdict.appeal_of_id:
        return status_of_verdict(verdict.appeal_of)
    if not verdict.sentence_kind:
        return Status.CONVICTED
    if verdict.sentence_kind in _SENTENCE_STATUS:
        return _SENTENCE_STATUS[verdict.sentence_kind]
    held = verdict.participant.detentions.filter(end__isnull=True).exists()
    return Status.IMPRISONED if held else Status.SENTENCED


def verdict_headline(verdict: Verdict) -> str:
    """'Verdict on Natalia Sokolova: convicted, imprisonment, 6 years', in English."""

    def text():
        said = ", ".join(
            str(part) for part in (verdict.get_outcome_display(), verdict.sentence_display) if part
        )
        return _("Verdict on %(person)s: %(verdict)s") % {
            "person": verdict.participant.person.name,
            "verdict": said,
        }

    return _in_original_language(text)[:300]


@transaction.atomic
def verdict_in_timeline(
    verdict: Verdict, *, status_change: StatusChange | None = None
) -> StatusChange:
    """The entry of VERDICT in its case's timeline: STATUS_CHANGE (an entry of
    the case that concerns the verdict's person) linked to it, or the one
    linked already, or one recorded by hand for that person with the
    verdict's status at a date that overlaps the verdict's, or else a new
    one, citing the verdict's sources."""
    case = Case.objects.select_for_update().get(pk=verdict.case_id)
    linked = StatusChange.objects.filter(verdict=verdict).first()
    if linked is not None and (status_change is None or status_change.pk == linked.pk):
        return linked
    status = status_of_verdict(verdict)
    if status_change is None:
        candidates = StatusChange.objects.filter(
            case=case,
            verdict__isnull=True,
            status=status,
            participant_links__participant=verdict.participant_id,
            date__lte=last_day(verdict.date, verdict.date_precision),
        ).order_by("-position", "-pk")
        verdict_last_day = last_day(verdict.date, verdict.date_precision)
        status_change = next(
            (c for c in candidates if c.date <= verdict_last_day and verdict.date <= c.last_day),
            None,
        )
    if status_change is not None:
        if (
            status_change.case_id != case.pk
            or not status_change.participant_links.filter(
                participant=verdict.participant_id
            ).exists()
        ):
            raise ValidationError(
                {
                    "status_change": _(
                        "The timeline entry of a verdict must be one of its case's and "
                        "concern %(person)s."
                    )
                    % {"person": verdict.participant.person}
                }
            )
        if status_change.verdict_id not in (None, verdict.pk):
            raise ValidationError(
                {"status_change": _("This timeline entry tells of another verdict already.")}
            )
        if linked is not None:
            linked.verdict = None
            linked.save(update_fields=["verdict", "updated_at"])
        status_change.verdict = verdict
        status_change.save(update_fields=["verdict", "updated_at"])
        public_data_changed(TimelineOf(case.pk))
        return status_change
    change = StatusChange(
        case=case,
        verdict=verdict,
        status=status,
        date=verdict.date,
        date_precision=verdict.date_precision,
        headline=verdict_headline(verdict),
    )
    change.full_clean()
    change.save()
    bulk_create_with_history(
        [StatusChangeParticipant(status_change=change, participant=verdict.participant)],
        StatusChangeParticipant,
    )
    bulk_create_with_history(
        [StatusChangeSource(status_change=change, source=s) for s in verdict.sources.all()],
        StatusChangeSource,
    )
    timeline_changed(case, change)
    return change


@transaction.atomic
def verdict_corrected(verdict: Verdict, *, participant_before: int, headline_before: str) -> None:
    """After VERDICT was corrected (its person, outcome, sentence or date),
    its entry in the timeline follows it: the entry's status, date and
    person become the verdict's, and its headline too unless an editor wrote
    their own (it is no longer HEADLINE_BEFORE, what verdict_headline() gave
    before the correction). An entry that also tells of other people stays
    as it was recorded when the verdict moves to another person: it is
    unlinked, and the verdict gets an entry of its own
    (verdict_in_timeline()). The current statuses follow the timeline
    (timeline_changed())."""
    case = Case.objects.select_for_update().get(pk=verdict.case_id)
    entry = StatusChange.objects.filter(verdict=verdict).first()
    if entry is None:
        verdict_in_timeline(verdict)  # the statuses follow there
        return
    if verdict.participant_id != participant_before:
        links = list(entry.participant_links.all())
        if [link.participant_id for link in links] != [participant_before]:
            entry.verdict = None
            entry.save(update_fields=["verdict", "updated_at"])
            verdict_in_timeline(verdict)
            return
        links[0].participant_id = verdict.participant_id
        links[0].save()
    entry.status = status_of_verdict(verdict)
    entry.date, entry.date_precision = verdict.date, verdict.date_precision
    if entry.headline == headline_before:
        entry.headline = verdict_headline(verdict)
    entry.full_clean()
    entry.save()
    timeline_changed(case, entry)


@transaction.atomic
def delete_verdicts(verdicts: Iterable[Verdict]) -> tuple[int, dict[str, int]]:
    """Delete VERDICTS, and with each its entry in the timeline (the rule is
    StatusChange.verdict's on_delete, timeline.with_its_verdict(), which every
    path to a deletion meets), then bring the current statuses of their cases
    up to date from what the timelines now say. One transaction, the cases
    locked as for the timeline; a deletion refused (an appeal reviews a
    verdict, an entry says more than its verdict) changes nothing. Every
    deletion of a verdict comes here: Verdict.delete() and
    VerdictQuerySet.delete() (a script, the shell) call it. Returns what
    Django's delete() returns."""
    verdicts = list(verdicts)
    if not verdicts:
        return 0, {}
    cases = _locked([verdict.case_id for verdict in verdicts])
    # The rows themselves, by Django's own deletion: Verdict.delete() and
    # VerdictQuerySet.delete() come here.
    deleted = QuerySet.delete(Verdict.objects.filter(pk__in=[v.pk for v in verdicts]))
    _update_current_statuses(list(cases.values()))
    public_data_changed(*(TimelineOf(pk) for pk in cases))
    return deleted


# A fact deleted, then restored from its history (the admin's history of
# edits, EditorAdmin.save_model()), comes back with the links that were
# deleted with it: the sources it cited, the articles a verdict convicted on,
# the people an entry concerned.
RESTORABLE_LINKS = {
    Verdict: ((VerdictSource, "verdict", "source"), (VerdictCharge, "verdict", "charge")),
    StatusChange: (
        (StatusChangeParticipant, "status_change", "participant"),
        (StatusChangeSource, "status_change", "source"),
    ),
    Detention: ((DetentionSource, "detention", "source"),),
}

# How far from the deletion of a fact the deletion of one of its links still
# counts as made with it: a deletion takes the links first, in the same
# transaction, a fraction of a second before the fact (seconds for a list's
# action deleting thousands).
DELETED_WITH = datetime.timedelta(seconds=60)
# The reason recorded in the history of a link that an edit of its fact took
# away (a source unticked, a person taken off an entry): it went before the
# fact, not with it, however soon after the edit the fact was deleted.
UNTICKED = "taken away by an edit of its fact"


@dataclasses.dataclass
class RestoredLinks:
    restored: list  # the link rows brought back
    skipped: list[str]  # why each of the others was not, for the editor


@transaction.atomic
def restore_deleted_links(fact) -> RestoredLinks:
    """Bring back the links of FACT (a verdict, a timeline entry, a detention;
    RESTORABLE_LINKS) that were deleted with it, once FACT itself is restored.

    The rule: a link comes back when the last record of its history is its
    deletion, made by the same user as FACT's latest deletion, no more than
    DELETED_WITH before or after it, and not before the last save of FACT
    that preceded that deletion. A link taken away earlier (a source
    unticked a day, or a second, before the verdict was deleted: UNTICKED)
    stays away; one that was
    restored or re-created since is not doubled. A link whose other end
    (source, charge, person in the case) was deleted since, or that its
    model's clean() refuses now, is skipped, and said in SKIPPED: never a
    link to nothing. An entry of the timeline none of whose people is in the
    case any more, or all of whose sources were deleted, is refused
    (ValidationError): it would concern no one, or cite nothing. Nothing is done for a fact that was never deleted.
    The case is locked first, as for every change to its timeline; bringing
    the current statuses and the verdict's entry up to date is for the
    caller's next step (timeline_changed(), verdict_in_timeline()), which
    then sees the links."""
    links = RESTORABLE_LINKS.get(type(fact), ())
    restored: list = []
    skipped: list[str] = []
    if not links:
        return RestoredLinks(restored, skipped)
    Case.objects.select_for_update().filter(pk=fact.case_id).first()
    records = fact.history.order_by("-history_date", "-history_id")
    deletion = records.filter(history_type="-").first()
    if deletion is None:
        return RestoredLinks(restored, skipped)
    earliest = deletion.history_date - DELETED_WITH
    saved_before = (
        records.filter(history_date__lt=deletion.history_date).exclude(history_type="-").first()
    )
    if saved_before is not None:
        earliest = max(earliest, saved_before.history_date)
    latest = deletion.history_date + DELETED_WITH
    for link_model, name, target in links:
        target_model = link_model._meta.get_field(target).related_model
        last = {}
        for record in link_model.history.filter(**{f"{name}_id": fact.pk}).order_by(
            "history_date", "history_id"
        ):
            last[record.id] = record
        deleted = [
            record
            for record in last.values()
            if record.history_type == "-"
            and record.history_change_reason != UNTICKED
            and earliest <= record.history_date <= latest
            and record.history_user_id == deletion.history_user_id
        ]
        ends = {getattr(record, f"{target}_id") for record in deleted}
        # Locked until the restore is committed (after the case, as every
        # path locks): a deletion of one of them under way is waited for,
        # then it is skipped, rather than linked and refused at the commit.
        # Not against other links to them (no key update: their checks go on).
        rows = target_model._base_manager.select_for_update(no_key=True).filter(pk__in=ends)
        there = {target.pk: target for target in rows.order_by("pk")}
        for record in deleted:
            end_id = getattr(record, f"{target}_id")
            if end_id not in there:
                skipped.append(
                    _("“%(name)s” was not brought back: the %(what)s was deleted since.")
                    % {
                        "name": _name_in_history(target_model, end_id),
                        "what": target_model._meta.verbose_name,
                    }
                )
                continue
            link = link_model(pk=record.id, **{name: fact, target: there[end_id]})
            try:
                link.full_clean()
            except ValidationError as error:
                skipped.append(
                    _("“%(name)s” was not brought back: %(why)s")
                    % {"name": there[end_id], "why": " ".join(error.messages)}
                )
                continue
            link.save()
            restored.append(link)
    if isinstance(fact, StatusChange) and not fact.participant_links.exists():
        # Every entry concerns someone (_checked()): one whose people all left
        # the case since stays deleted, and nothing of the restore is kept.
        raise ValidationError(
            _(
                "The status change was not restored: none of the people it concerned "
                "is in the case any more. Record a new one for the people in the case."
            )
        )
    if isinstance(fact, StatusChange) and not fact.source_links.exists():
        # Every entry cites a source (_checked(), the entry's page), nor comes back citing none.
        raise ValidationError(
            _(
                "The status change was not restored: every source it cited was deleted "
                "since. Record a new one, citing a source."
            )
        )
    return RestoredLinks(restored, skipped)


def _name_in_history(model, pk) -> str:
    """What an object deleted since was called, from its history."""
    record = model.history.filter(id=pk).order_by("-history_date", "-history_id").first()
    if record is not None:
        with contextlib.suppress(ObjectDoesNotExist):  # its own ends deleted too
            return str(record.instance)
    return f"{model._meta.verbose_name} {pk}"


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
