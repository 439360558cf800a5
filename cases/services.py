"""Writes with side effects. The timeline is recorded here, and nowhere else."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import (
    Case,
    CaseParticipant,
    DatePrecision,
    Picture,
    PublicationState,
    PublicDataVersion,
    Source,
    StatusChange,
    StatusChangeParticipant,
    StatusChangeSource,
)


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
    # Lock the case so that two editors recording at once are applied one
    # after the other and the current statuses follow the later of them.
    case = Case.objects.select_for_update().get(pk=case.pk)
    participants = list(dict.fromkeys(participants))
    if not participants:
        raise ValidationError(
            {"participants": _("Choose at least one person that the status change concerns.")}
        )
    strangers = [p for p in participants if p.case_id != case.pk]
    if strangers:
        raise ValidationError(
            {
                "participants": _("%(names)s is not in this case.")
                % {"names": ", ".join(str(p.person) for p in strangers)}
            }
        )

    change = StatusChange(
        case=case,
        status=status,
        date=date,
        date_precision=date_precision,
        headline=headline,
        description=description,
    )
    change.full_clean()
    change.save()
    # The *_with_history helpers also keep these rows in the history of edits.
    bulk_create_with_history(
        [StatusChangeParticipant(status_change=change, participant=p) for p in participants],
        StatusChangeParticipant,
    )
    bulk_create_with_history(
        [StatusChangeSource(status_change=change, source=s) for s in dict.fromkeys(sources)],
        StatusChangeSource,
    )
    update_current_statuses(case)
    return change


@transaction.atomic
def update_current_statuses(case: Case) -> None:
    """Set the current status of CASE and of each person in it from its timeline.

    A person's current status is the status of the latest entry that concerns
    them; the case's is that of its latest entry (latest by date, then by the
    order of recording). This is the only code that writes current statuses;
    call it after any change to a case's timeline.
    """
    latest_for_participant: dict[int, str] = {}
    links = (
        StatusChangeParticipant.objects.filter(status_change__case=case)
        .order_by("status_change__date", "status_change__pk")
        .values_list("participant_id", "status_change__status")
    )
    for participant_id, status in links:
        latest_for_participant[participant_id] = status

    participants = list(CaseParticipant.objects.filter(case=case))
    stale = []
    for participant in participants:
        status = latest_for_participant.get(participant.pk, "")
        if participant.current_status != status:
            participant.current_status = status
            stale.append(participant)
    if stale:
        bulk_update_with_history(stale, CaseParticipant, ["current_status"])

    latest = case.status_changes.latest_first().only("status", "date", "date_precision").first()
    case.current_status = latest.status if latest else ""
    case.last_status_change_on = latest.date if latest else None
    case.last_status_change_precision = latest.date_precision if latest else ""
    case.save(
        update_fields=[
            "current_status",
            "last_status_change_on",
            "last_status_change_precision",
            "updated_at",
        ]
    )
    public_data_changed()


def public_data_changed() -> None:
    """Say that what the public sees may have changed, so that what is cached of
    it (cases.facets) is computed afresh on the next request. Call it in the
    transaction of the edit: the new version is seen when the edit is."""
    PublicDataVersion.bump()


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
    return problems


@transaction.atomic
def publish_case(case: Case, *, by) -> Case:
    """Make CASE public, after checking that it is ready; record who and when."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.publication_state == PublicationState.PUBLISHED:
        raise ValidationError(_("The case is already published."))
    problems = publication_problems(case)
    if problems:
        raise ValidationError(problems)
    case.publication_state = PublicationState.PUBLISHED
    case.published_at = timezone.now()
    case.published_by = by
    case._history_user = by
    case.save(update_fields=["publication_state", "published_at", "published_by", "updated_at"])
    public_data_changed()
    return case


@transaction.atomic
def withdraw_case(case: Case, *, by) -> Case:
    """Take a published CASE off the public site. It is kept, with its history,
    and can be published again."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.publication_state != PublicationState.PUBLISHED:
        raise ValidationError(_("Only a published case can be withdrawn."))
    case.publication_state = PublicationState.WITHDRAWN
    case._history_user = by
    case.save(update_fields=["publication_state", "updated_at"])
    public_data_changed()
    return case
