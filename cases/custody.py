"""Who is held now, since when, and who entered or left detention in a year.

Readers come first for these facts (issue 15). Until places of detention and
detention episodes are recorded for a person, they follow from the timeline:
a person is held while their latest status in a case is one of HELD_STATUSES,
and has been since the first entry of the unbroken run of such statuses that
ends at it (arrested into pre-trial detention in September, sentenced to
prison in March: held since September). Every page and figure that says
"held now" reads it here, so that the definition lives in one place.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery

from .models import CaseParticipant, DatePrecision, Status, StatusChangeParticipant
from .models.cases import ROLE_KINDS
from .models.partial_dates import last_day

HELD_STATUSES = frozenset({Status.PRE_TRIAL_DETENTION, Status.HOUSE_ARREST, Status.IMPRISONED})
RELEASE_STATUSES = frozenset({Status.RELEASED})
HELD_NOW = "now"  # the value of /people/?held=now
PERSECUTED_ROLES = [role for role in CaseParticipant.Role if role not in ROLE_KINDS]


def is_held(status: str) -> bool:
    return status in HELD_STATUSES


def persecuted_participations(cases):
    """The participations of the persecuted (not officials, lawyers, relatives) in CASES."""
    return CaseParticipant.objects.filter(case__in=cases, role__in=PERSECUTED_ROLES)


def held_now(participations):
    """Those of PARTICIPATIONS whose latest status holds them."""
    return participations.filter(current_status__in=HELD_STATUSES)


def _previous_status():
    """The status of the entry before an entry's, for the same person in the same case."""
    earlier = (
        StatusChangeParticipant.objects.filter(participant=OuterRef("participant"))
        .filter(
            Q(status_change__position__lt=OuterRef("status_change__position"))
            | Q(
                status_change__position=OuterRef("status_change__position"),
                status_change__pk__lt=OuterRef("status_change__pk"),
            )
        )
        .order_by("-status_change__position", "-status_change__pk")
        .values("status_change__status")[:1]
    )
    return Subquery(earlier)


def entries_in_year(participations, year: int, statuses) -> "StatusChangeParticipant":
    """The links of PARTICIPATIONS to entries dated in YEAR that put them at one of STATUSES."""
    return StatusChangeParticipant.objects.filter(
        participant__in=participations,
        status_change__date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        status_change__status__in=statuses,
    )


def detained_in(participations, year: int):
    """Those of PARTICIPATIONS who entered detention in YEAR: an entry of that year
    holds them, and the entry before it for them, if any, did not."""
    entries = (
        entries_in_year(participations, year, HELD_STATUSES)
        .annotate(before=_previous_status())
        .filter(Q(before=None) | ~Q(before__in=HELD_STATUSES))
    )
    return participations.filter(Exists(entries.filter(participant=OuterRef("pk"))))


def released_in(participations, year: int):
    """Those of PARTICIPATIONS released by an entry of YEAR."""
    entries = entries_in_year(participations, year, RELEASE_STATUSES)
    return participations.filter(Exists(entries.filter(participant=OuterRef("pk"))))


@dataclass(frozen=True)
class HeldSince:
    """When a person's detention began, as precisely as it is known."""

    date: datetime.date
    precision: str

    def days(self, today: datetime.date) -> int:
        """Days held by TODAY, counted from the last day the date may stand for:
        'held since September 2011' is at least this many days."""
        return max((today - last_day(self.date, self.precision)).days, 0)

    @property
    def is_partial(self) -> bool:
        return self.precision != DatePrecision.DAY


def held_since(changes) -> HeldSince | None:
    """The start of the detention that the last of CHANGES (one person's entries
    in one case, in the timeline's order) keeps them in; None if it does not."""
    start = None
    for change in changes:
        if not is_held(change.status):
            start = None
        elif start is None:
            start = change
    return HeldSince(start.date, start.date_precision) if start else None
