"""Public pages of places of detention and of writing to someone held (issue 15).

Like every public view, they start from what published cases show: a place
has a page once an episode of a published case is recorded there, and a
letter is written to someone held in a published case.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import custody
from .models import Case, Person, PlaceOfDetentionSource
from .page_cache import LISTS, cached_page, shows, topic


def held_at_places(places):
    """The episodes that hold people persecuted in published cases today at PLACES,
    with their person and case, by the person's name."""
    participations = custody.persecuted_participations(Case.objects.published())
    return (
        custody.open_episodes()
        .filter(place__in=places, participant__in=participations)
        .select_related("participant__person__photo", "participant__case", "place")
        .order_by("participant__person__name", "pk")
    )


@require_safe
@cached_page
def place_detail(request, slug):
    """A place of detention: where it is, how to write to it, and who is held there now.

    Kept in the cache until the place, a person or case it names, or any case
    (whose detentions may hold someone there) is edited (cases.page_cache).

    Template: cases/place_detail.html
    Context:
        place: the PlaceOfDetention
        other_spellings: its other names in sources
        held: the episodes (Detention) that hold people there now, with person and case
        sources: the sources of the place
    """
    place = get_object_or_404(custody.public_places(), slug=slug)
    held = list(held_at_places([place.pk]))
    sources = [
        link.source
        for link in PlaceOfDetentionSource.objects.filter(place=place).select_related("source")
    ]
    shows(
        request,
        topic(place),
        # Who is held there changes with an episode of any case: the lists'
        # topic, which every edit of a case (its detentions too) stamps.
        LISTS,
        *(f"person:{episode.participant.person_id}" for episode in held),
        *(f"case:{episode.participant.case_id}" for episode in held),
        *(topic(source) for source in sources),
    )
    return render(
        request,
        "cases/place_detail.html",
        {
            "place": place,
            "other_spellings": place.spellings[1:],
            "held": held,
            "sources": sources,
        },
    )


@require_safe
@cached_page
def person_letter(request, slug):
    """How to write to a person held in a published case: the envelope's address
    to print, and the advice of the place where they are held.

    A person who is not held now (or not in a published case) has no letter
    page: 404. One whose place or its address is not known gets a page that
    says so and points at the call to action of their case.

    Template: cases/person_letter.html
    Context:
        person: the Person
        episodes: the episodes (Detention) that hold them now, with their place and case
        addressed: those of EPISODES whose place has a postal address
    """
    person = get_object_or_404(Person.objects.public().select_related("photo"), slug=slug)
    participations = custody.persecuted_participations(Case.objects.published()).filter(
        person=person
    )
    episodes = list(
        custody.open_episodes()
        .filter(participant__in=participations)
        .select_related("place", "participant__case")
        .order_by("start", "pk")
    )
    if not episodes:
        raise Http404("Not held now.")
    shows(
        request,
        topic(person),
        topic(person, "cases"),
        *(topic(episode.place) for episode in episodes if episode.place),
    )
    return render(
        request,
        "cases/person_letter.html",
        {
            "person": person,
            "episodes": episodes,
            "addressed": [e for e in episodes if e.place and e.place.postal_address],
        },
    )
