"""What the facts panel says of each person persecuted in a case: held now or
not, since when and for how many days, where (with the letter address), the
sentence and the expected release. Shown first on case and person pages
(templates/includes/facts_panel.html), and right when nothing is known,
which is most of the time.
"""

from dataclasses import dataclass

from django.utils import timezone

from . import custody
from .models import CaseParticipant, Detention, Verdict


@dataclass(frozen=True)
class PersonFacts:
    participant: CaseParticipant
    detention: Detention | None  # the episode that holds them now
    held_since: custody.HeldSince | None
    # Counted when the page is rendered: a page kept in the cache (at most a
    # day, page_cache.CACHE_SECONDS) may count one day short.
    days_held: int | None
    was_held: bool  # some episode is recorded, none holds them now
    sentence: Verdict | None  # the verdict whose sentence stands

    @property
    def is_held(self) -> bool:
        return self.detention is not None

    @property
    def place(self):
        return self.detention.place if self.detention else None


def facts_of(participants) -> list[PersonFacts]:
    """The facts of those of PARTICIPANTS who are persecuted, in their order;
    two queries (their episodes with places, their verdicts) whatever their number."""
    persecuted = [participant for participant in participants if participant.is_persecuted]
    ids = [participant.pk for participant in persecuted]
    episodes: dict[int, list[Detention]] = {pk: [] for pk in ids}
    for episode in Detention.objects.filter(participant__in=ids).select_related("place"):
        episodes[episode.participant_id].append(episode)
    verdicts: dict[int, list[Verdict]] = {pk: [] for pk in ids}
    for verdict in Verdict.objects.filter(participant__in=ids):
        verdicts[verdict.participant_id].append(verdict)
    today = timezone.localdate()
    facts = []
    for participant in persecuted:
        detention, since = custody.present_detention(episodes[participant.pk])
        facts.append(
            PersonFacts(
                participant=participant,
                detention=detention,
                held_since=since,
                days_held=since.days(today) if since else None,
                was_held=bool(episodes[participant.pk]) and detention is None,
                sentence=custody.latest_sentence(verdicts[participant.pk]),
            )
        )
    return facts
