"""Who is held now, since when, where, and who entered or left detention in a year.

Readers come first for these facts (issue 15). They follow from a person's
detention episodes in a case (cases.models.Detention), whose definition of
"held now" (cases.models.detentions.held_now: an episode begun and not ended)
is the only one: the pages, the filters of /people/ and the headline figures
read it through here.

Episodes follow one another (arrested, then in pre-trial detention, then in
prison): a detention is the run of episodes each of which begins before the
one before it has ended. Someone is "held since" the start of the first
episode of the run that holds them now, and "detained" in the year that run
began; "released" in the year a run ended with nothing after it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import CaseParticipant, DatePrecision, Detention, PlaceOfDetention, Verdict
from .models.cases import ROLE_KINDS
from .models.detentions import held_now as holds_now
from .models.partial_dates import last_day

HELD_NOW = "now"  # the value of /people/?held=now
PERSECUTED_ROLES = [role for role in CaseParticipant.Role if role not in ROLE_KINDS]


def persecuted_participations(cases):
    """The participations of the persecuted (not officials, lawyers, relatives) in CASES."""
    return CaseParticipant.objects.filter(case__in=cases, role__in=PERSECUTED_ROLES)


def public_places():
    """The places of detention where an episode of a published case is recorded:
    the places that have a public page."""
    return PlaceOfDetention.objects.filter(pk__in=Detention.objects.published().values("place_id"))


def open_episodes():
    """Episodes that hold their person today."""
    return Detention.objects.filter(holds_now())


def held_now(participations, *, place_ids=None):
    """Those of PARTICIPATIONS held today (at one of PLACE_IDS, when given)."""
    episodes = open_episodes().filter(participant=OuterRef("pk"))
    if place_ids is not None:
        episodes = episodes.filter(place__in=place_ids)
    return participations.filter(Exists(episodes))


def _year(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def detained_in(participations, year: int):
    """Those of PARTICIPATIONS whose detention began in YEAR: an episode starts
    that year and no earlier episode of theirs was still running then."""
    running_before = Detention.objects.filter(
        participant=OuterRef("participant"), start__lt=OuterRef("start")
    ).filter(Q(end=None) | Q(end__gte=OuterRef("start")))
    starts = Detention.objects.filter(participant=OuterRef("pk"), start__range=_year(year)).exclude(
        Exists(running_before)
    )
    return participations.filter(Exists(starts))


def released_in(participations, year: int):
    """Those of PARTICIPATIONS released in YEAR: an episode ends that year and
    no other episode of theirs goes on past its end."""
    going_on = Detention.objects.filter(
        participant=OuterRef("participant"), start__lte=OuterRef("end")
    ).filter(Q(end=None) | Q(end__gt=OuterRef("end")))
    ends = Detention.objects.filter(participant=OuterRef("pk"), end__range=_year(year)).exclude(
        Exists(going_on)
    )
    return participations.filter(Exists(ends))


@dataclass(frozen=True)
class HeldSince:
    """When a person's present detention began, as precisely as it is known."""

    date: datetime.date
    precision: str
    may_have_begun_earlier: bool  # the source says only that they were held by then

    def days(self, today: datetime.date) -> int:
        """Days held by TODAY, counted from the last day the date may stand for:
        'held since September 2011' is at least this many days."""
        return max((today - last_day(self.date, self.precision)).days, 0)

    @property
    def is_partial(self) -> bool:
        return self.precision != DatePrecision.DAY or self.may_have_begun_earlier


def present_detention(episodes) -> tuple[Detention | None, HeldSince | None]:
    """The episode of EPISODES (one person's, in one case) that holds them today,
    and the start of the run of episodes it ends; (None, None) if none holds them."""
    today = timezone.localdate()
    episodes = sorted(episodes, key=lambda episode: (episode.start, episode.pk))
    current = next(
        (e for e in reversed(episodes) if e.end is None and e.start <= today),
        None,
    )
    if current is None:
        return None, None
    first = current
    for episode in reversed(episodes[: episodes.index(current)]):
        if episode.end is None or last_day(episode.end, episode.end_precision) >= first.start:
            first = episode
        else:
            break
    return current, HeldSince(first.start, first.start_precision, first.may_have_begun_earlier)


def latest_sentence(verdicts) -> Verdict | None:
    """The verdict of VERDICTS (one person's, in one case) whose sentence stands
    last: the latest that passed or upheld one (an upheld verdict keeps the
    sentence of the one it reviewed); None when none did, or the last quashed it."""
    by_id = {verdict.pk: verdict for verdict in verdicts}
    standing = None
    for verdict in sorted(verdicts, key=lambda verdict: (verdict.date, verdict.pk)):
        if verdict.outcome in Verdict.SENTENCING:
            standing = verdict
        elif verdict.outcome == Verdict.Outcome.UPHELD:
            standing = by_id.get(verdict.appeal_of_id, standing)
        elif verdict.outcome in (Verdict.Outcome.QUASHED, Verdict.Outcome.ACQUITTED):
            standing = None
    return standing
