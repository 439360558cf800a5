"""Writes with side effects. The timeline is recorded here, and nowhere else."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import (
    Case,
    CaseParticipant,
    DatePrecision,
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

    latest = case.status_changes.latest_first().only("status", "date").first()
    case.current_status = latest.status if latest else ""
    case.last_status_change_on = latest.date if latest else None
    case.save(update_fields=["current_status", "last_status_change_on", "updated_at"])
