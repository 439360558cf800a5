"""Public pages, for anonymous visitors.

Every view starts from the published querysets (Case.objects.published(),
Person/Organisation/Charge.objects.public(), StatusChange.objects.published()),
so a draft never reaches a visitor: its address is a 404. Each page makes the
same number of queries whatever the number of rows it shows.
"""

import hashlib
from typing import NamedTuple

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from django_countries.fields import Country

from . import custody, exports, people_exports, release, search
from .cards import case_cards
from .facets import published_facets
from .facts import facts_of
from .figures import headline_figures
from .filters import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS, CaseFilter
from .models import (
    CallToActionTarget,
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    CaseSource,
    Charge,
    Organisation,
    Person,
    StatusChange,
    StatusChangeParticipant,
    StatusChangeSource,
)
from .page_cache import LISTS, cached_page, card_topics, shows, topic
from .people_filters import PersonFilter

CASES_PER_PAGE = 20
PEOPLE_PER_PAGE = 24
LATEST_CHANGES_ON_HOME = 10
CASES_ON_OTHER_PAGES = 20
RELATED_CASES = 5
TIMELINE_SECONDS = 24 * 60 * 60  # a rendered timeline is kept while it is shown unchanged


@require_safe
@cached_page
def home(request):
    """The latest status changes across published cases, and the ways into the list.

    Kept in the cache until an edit changes the lists (cases.page_cache).

    Template: cases/home.html
    Context:
        latest_changes: the latest status changes, newest first, with their case and people
        countries: [(Country, number of cases)]
        statuses: [(Status, number of cases)], by the cases' current status
        case_count: the number of published cases
        headline: the headline figures (cases.figures.Headline) of every country
        max_search_length: the longest search the list accepts (filters.MAX_SEARCH_LENGTH)
    """
    latest_changes = (
        StatusChange.objects.published()
        .recent()
        .select_related("case")
        .with_people()[:LATEST_CHANGES_ON_HOME]
    )
    facets = published_facets()  # cached until the next edit of what they count
    shows(request, LISTS)
    return render(
        request,
        "cases/home.html",
        {
            "latest_changes": latest_changes,
            "countries": facets.count_by_country(),
            "statuses": facets.count_by_status(),
            "case_count": facets.case_count,
            "headline": headline_figures(facets=facets),
            "max_search_length": MAX_SEARCH_LENGTH,
        },
    )


class CasePaginator(Paginator):
    """Pages of a list of cases, whose number may be known already (CaseFilter.count()).

    A page's cases are chosen by their ids first, in a subquery: skipping the
    cases of the pages before it then reads only the sort's index, not the
    rows, so that page 2000 costs little more than page 1; and a search
    sorts the ids of the cases it finds, not the whole rows (the admin's).
    """

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        if self.known_count is None:
            return Paginator.count.func(self)
        return self.known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = self.object_list.prefetch_related(None).values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


@require_safe
@cached_page(params=[*CaseFilter.base_filters, "page"])
def case_list(request):
    """The published cases, filtered by the query parameters, sorted and paginated.

    Query parameters other than the filters and the page are ignored. Kept in
    the cache until an edit changes the lists (cases.page_cache).

    Invalid filters give the form with its messages and status 400; a page
    that does not exist (page=abc, page=99) gives a message and status 404.

    Template: cases/case_list.html
    Context:
        filter: the CaseFilter, with its form
        page: the Page of cases shown, or None when the filters or the page are invalid
        cards: the HTML of the card of each case of the page (cases.cards)
        page_error: True when the page asked for does not exist
        export_query: the query string that downloads (cases/exports.py) carry
        export_limit: the most cases a filtered download holds (as text), when the
            filters select more (the list then offers the whole download), else None
        feed_country: the Country, when the list is narrowed to exactly one
        search_query: the text searched for (q), when the list is empty
        search_suggestions: names close to it that find cases, when the list is empty
    """
    shows(request, LISTS)
    case_filter = CaseFilter(request.GET, queryset=Case.objects.published().for_list())
    context = {"filter": case_filter, "page": None, "page_error": False}
    if not case_filter.is_valid():
        return render(request, "cases/case_list.html", context, status=400)
    countries = set(case_filter.form.cleaned_data.get("country") or [])
    context["feed_country"] = Country(countries.pop()) if len(countries) == 1 else None
    context["export_query"] = exports.query_string(request.GET)
    # The download of people (cases/people_exports.py) narrowed by the filters the two lists share.
    shared = request.GET.copy()
    for name in request.GET:
        if name not in ("country", "charge"):
            del shared[name]
    context["people_export_query"] = shared.urlencode()
    paginator = CasePaginator(case_filter.qs, CASES_PER_PAGE, count=case_filter.count())
    too_many = case_filter.is_narrowed and paginator.count > exports.FILTERED_EXPORT_LIMIT
    context["export_limit"] = (
        formats.number_format(exports.FILTERED_EXPORT_LIMIT, force_grouping=True)
        if too_many
        else None
    )
    try:
        context["page"] = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        context["page_error"] = True
        return render(request, "cases/case_list.html", context, status=404)
    # The cases' rows alone: their people and charges are read only for the
    # cards that are not kept already (cases.cards).
    context["cards"] = case_cards(list(context["page"].object_list.prefetch_related(None)))
    query = case_filter.form.cleaned_data.get("q")
    if query and not context["cards"]:
        context["search_query"] = query
        context["search_suggestions"] = _search_suggestions(request, query)
    return render(request, "cases/case_list.html", context)


def _search_suggestions(request, query: str) -> list[str]:
    """Names close to QUERY that find cases with the request's other filters."""
    others = request.GET.copy()
    others.pop("q", None)
    without_query = CaseFilter(others, queryset=Case.objects.published())
    if not without_query.is_valid():
        return []
    return search.suggestions(without_query.qs, query, max_words=MAX_SEARCH_WORDS)


@require_safe
@cached_page
def case_detail(request, slug):
    """A published case: its people, charges, organisations, call to action and timeline.

    Kept in the cache until the case, or what it shows of its people, charges,
    organisations, sources and related cases, is edited (cases.page_cache).

    Template: cases/case_detail.html; context: see render_case_page().
    """
    return render_case_page(request, Case.objects.published(), slug=slug)


def render_case_page(request, cases, *, preview=False, **lookup):
    """The page of the case in CASES that LOOKUP finds, or a 404.

    The public view passes the published cases; the admin's preview passes
    any case and PREVIEW=True, which shows a "draft" banner.

    Template: cases/case_detail.html
    Context:
        case: the case, with its people, charges and organisations prefetched
        facts: [PersonFacts] of its persecuted people, for the facts panel
        recipients, copies: the call to action's targets (CallToActionTarget)
        timeline: [(StatusChange, [(number, Source)])], oldest first
        sources: the sources of the timeline and of the case, numbered by first citation
        related_cases: other published cases with a person, charge or organisation in common
        preview: whether this is a preview for staff
    """
    case = get_object_or_404(
        cases.prefetch_related(
            Prefetch(
                "participants",
                queryset=CaseParticipant.objects.select_related("person__photo").order_by("pk"),
            ),
            Prefetch("charge_links", queryset=CaseCharge.objects.select_related("charge")),
            Prefetch(
                "organisation_links",
                queryset=CaseOrganisation.objects.select_related("organisation"),
            ),
            Prefetch(
                "call_to_action_targets",
                queryset=CallToActionTarget.objects.select_related("organisation"),
            ),
            Prefetch("source_links", queryset=CaseSource.objects.select_related("source")),
        ),
        **lookup,
    )
    changes = list(
        case.status_changes.chronological().prefetch_related(
            Prefetch(
                "source_links",
                queryset=StatusChangeSource.objects.select_related("source").order_by("pk"),
            ),
        )
    )
    _concerned_people(changes, case.participants.all())
    timeline, sources = _number_sources(changes, [link.source for link in case.source_links.all()])
    facts = facts_of(case.participants.all())
    targets = case.call_to_action_targets.all()
    related_cases = list(
        Case.objects.published()
        .related_to(case, limit=RELATED_CASES)
        .recently_updated()
        .for_list()[:RELATED_CASES]
    )
    shows(
        request,
        *card_topics([case, *related_cases]),
        *(topic(fact.place) for fact in facts if fact.place),
        *(topic(link.organisation) for link in case.organisation_links.all()),
        *(topic(t.organisation) for t in targets if t.organisation_id),
        *(topic(source) for source in sources),
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "facts": facts,
            "recipients": [t for t in targets if t.kind == CallToActionTarget.Kind.RECIPIENT],
            "copies": [t for t in targets if t.kind == CallToActionTarget.Kind.COPY],
            "timeline": timeline,
            "timeline_kept": 0 if preview else TIMELINE_SECONDS,
            "timeline_version": _timeline_version(timeline),
            "sources": sources,
            "related_cases": related_cases,
            "preview": preview,
        },
    )


def _timeline_version(timeline) -> str:
    """What the rendered timeline shows, in a few bytes: the key its HTML is
    kept under ({% cache %} in cases/case_detail.html).

    The timeline is the costliest part of a long case's page to render (40
    entries naming their people some 1,000 times), and is rendered again
    whenever anything else the page shows changes (a related case's card, an
    organisation) or the page cache is off. Its HTML follows from the entries
    (each saved with a new updated_at; their order), the people they name and
    the sources they cite (the same), the language and the release (its
    templates and translations, cases.release): all read already, so knowing
    whether the kept HTML is still right costs no query.
    """
    shown = [release.current(), get_language()]
    for change, citations in timeline:
        shown.append((change.pk, change.updated_at.timestamp()))
        shown.extend(
            (person.pk, person.updated_at.timestamp())
            for person in (link.participant.person for link in change.participant_links.all())
        )
        shown.extend(
            (number, source.pk, source.updated_at.timestamp()) for number, source in citations
        )
    return hashlib.sha256(repr(shown).encode()).hexdigest()


class Concerns(NamedTuple):
    """An entry's link to a person of its case, as the timeline shows it: what
    StatusChangeParticipant is to the template, without a model object each."""

    participant: CaseParticipant


def _concerned_people(changes, participants) -> None:
    """Give each of CHANGES its participant_links: the people of the case
    (PARTICIPANTS, loaded with the case) that it concerns, in their order.

    Read as pairs of ids in one query: a long timeline names the same people
    hundreds of times, and a model object for each naming cost 30 ms of a
    40-entry case page's 45 (issue 18).
    """
    people = {participant.pk: participant for participant in participants}
    concerned: dict[int, list[Concerns]] = {change.pk: [] for change in changes}
    pairs = (
        StatusChangeParticipant.objects.filter(status_change__in=list(concerned))
        .order_by("participant_id")
        .values_list("status_change_id", "participant_id")
    )
    for change_id, participant_id in pairs:
        concerned[change_id].append(Concerns(people[participant_id]))
    for change in changes:
        # What prefetch_related("participant_links") would leave: all() gives it.
        change._prefetched_objects_cache["participant_links"] = concerned[change.pk]


def _number_sources(changes, case_sources):
    """Number the sources as footnotes: in order of first citation in the
    timeline, then the case's own sources that the timeline does not cite.

    Returns the timeline as [(change, [(number, source)])] and the list of
    sources, the source numbered N at index N - 1.
    """
    numbers: dict[int, int] = {}
    sources = []

    def number(source):
        if source.pk not in numbers:
            sources.append(source)
            numbers[source.pk] = len(sources)
        return numbers[source.pk]

    timeline = []
    for change in changes:
        cited = [link.source for link in change.source_links.all()]
        timeline.append((change, [(number(source), source) for source in cited]))
    for source in case_sources:
        number(source)
    return timeline, sources


@require_safe
@cached_page(params=[*PersonFilter.base_filters, "page"])
def person_list(request):
    """The people persecuted in published cases, as a photo grid, filtered and paginated.

    Kept in the cache until an edit changes the lists or a person shown
    (cases.page_cache). Invalid filters give the form with its messages and
    status 400; a page that does not exist gives a message and status 404.

    Template: cases/person_list.html
    Context:
        filter: the PersonFilter, with its form
        page: the Page of people shown, or None; each person with
            public_participations: their participations as persecuted in published cases,
            held_now: whether an episode holds them today,
            held_at: the places of detention of those episodes,
            countries: the countries of their cases
        page_error: True when the page asked for does not exist
        headline: the headline figures (cases.figures.Headline) of the one
            country the list is narrowed to, else None
    """
    shows(request, LISTS)
    people = Person.objects.public().select_related("photo")
    person_filter = PersonFilter(request.GET, queryset=people)
    context = {
        "filter": person_filter,
        "page": None,
        "page_error": False,
        "headline": None,
        "export_query": people_exports.query_string(request.GET),
    }
    if not person_filter.is_valid():
        return render(request, "cases/person_list.html", context, status=400)
    chosen_countries = set(person_filter.form.cleaned_data.get("country") or [])
    if len(chosen_countries) == 1:
        context["headline"] = headline_figures(
            chosen_countries.pop(), facets=person_filter.facet_counts
        )
    shown = person_filter.qs.prefetch_related(
        Prefetch(
            "participations",
            queryset=custody.persecuted_participations(Case.objects.published())
            .select_related("case")
            .only("person_id", "current_status", "case__slug", "case__country")
            .order_by("pk"),
            to_attr="public_participations",
        )
    )
    try:
        context["page"] = Paginator(shown, PEOPLE_PER_PAGE).page(request.GET.get("page") or 1)
    except InvalidPage:
        context["page_error"] = True
        return render(request, "cases/person_list.html", context, status=404)
    people = context["page"].object_list
    participant_ids = [p.pk for person in people for p in person.public_participations]
    holding: dict[int, list] = {}
    for episode in (
        custody.open_episodes().filter(participant__in=participant_ids).select_related("place")
    ):
        holding.setdefault(episode.participant_id, []).append(episode)
    for person in people:
        episodes = [e for p in person.public_participations for e in holding.get(p.pk, [])]
        person.held_now = bool(episodes)
        person.held_at = list(dict.fromkeys(e.place for e in episodes if e.place))
        person.countries = list(dict.fromkeys(p.case.country for p in person.public_participations))
    shows(
        request,
        *(topic(person) for person in people),
        *(topic(place) for person in people for place in person.held_at),
    )
    return render(request, "cases/person_list.html", context)


@require_safe
@cached_page
def person_detail(request, slug):
    """A person who appears in a published case, with their published cases.

    Kept in the cache until the person, their cases (or the cards shown of
    them), their relatives or organisations are edited (cases.page_cache).

    Template: cases/person_detail.html
    Context:
        person: the person
        other_spellings: the other spellings of their name, besides the original script
        cases: [(Case, CaseParticipant)]: the person's published cases with their part in each
        facts: [PersonFacts] of their part in each case where they are persecuted
        timeline: the entries of those cases that concern them, oldest first
        memberships: their memberships of organisations that have a public page
        relatives: their relationships (Relationship) to people who have a public page
        relatives_of: the relationships of people with a public page to them
    """
    person = get_object_or_404(Person.objects.public().select_related("photo"), slug=slug)
    cases = list(
        Case.objects.published().for_list().filter(participants__person=person).recently_updated()
    )
    public_people = Person.objects.public()
    memberships = list(
        person.memberships.filter(organisation__in=Organisation.objects.public()).select_related(
            "organisation"
        )
    )
    relatives = list(
        person.relationships.filter(relative__in=public_people).select_related("relative")
    )
    relatives_of = list(
        person.reverse_relationships.filter(person__in=public_people).select_related("person")
    )
    participations = [_link_to(case.participants.all(), person_id=person.pk) for case in cases]
    timeline = list(
        StatusChange.objects.filter(case__in=[case.pk for case in cases])
        .filter(participant_links__participant__person=person)
        .select_related("case")
        .with_people()
        .order_by("date", "case", "position", "pk")
    )
    for case, participation in zip(cases, participations, strict=True):
        participation.case = case
    facts = facts_of(participations)
    shows(
        request,
        topic(person),
        topic(person, "cases"),
        *card_topics(cases),
        *(topic(fact.place) for fact in facts if fact.place),
        *(
            f"person:{link.participant.person_id}"
            for change in timeline
            for link in change.participant_links.all()
        ),
        *(f"organisation:{m.organisation_id}" for m in memberships),
        *(f"person:{r.relative_id}" for r in relatives),
        *(f"person:{r.person_id}" for r in relatives_of),
    )
    return render(
        request,
        "cases/person_detail.html",
        {
            "person": person,
            "other_spellings": [
                name for name in person.spellings[1:] if name != person.name_original
            ],
            "cases": list(zip(cases, participations, strict=True)),
            "facts": facts,
            "timeline": timeline,
            "memberships": memberships,
            "relatives": relatives,
            "relatives_of": relatives_of,
        },
    )


def _link_to(links, **attributes):
    """The first of LINKS (rows already fetched) with the given attributes."""
    return next(
        link
        for link in links
        if all(getattr(link, name) == value for name, value in attributes.items())
    )


@require_safe
@cached_page
def organisation_detail(request, slug):
    """An organisation in a published case, with its latest published cases.

    Kept in the cache until the organisation, its cases (or the cards shown of
    them), its parent, sections or members are edited (cases.page_cache).

    Template: cases/organisation_detail.html
    Context:
        organisation: the organisation, with case_count, its number of published cases
        parent: the organisation it is part of, if that has a public page
        sections: its parts (child organisations) that have a public page
        members: its memberships (Membership) of people who have a public page
        cases: [(Case, CaseOrganisation)]: its latest published cases with its part in each
    """
    public = Organisation.objects.public()
    organisation = get_object_or_404(
        Organisation.objects.with_case_counts()
        .select_related("parent")
        .annotate(parent_is_public=Exists(public.filter(pk=OuterRef("parent_id")))),
        slug=slug,
    )
    cases = list(
        Case.objects.published()
        .for_list()
        .filter(pk__in=organisation.case_links.values("case_id"))
        .prefetch_related(
            Prefetch(
                "organisation_links",
                queryset=CaseOrganisation.objects.filter(organisation=organisation),
                to_attr="links_to_organisation",
            )
        )
        .recently_updated()[:CASES_ON_OTHER_PAGES]
    )
    parent = organisation.parent if organisation.parent_is_public else None
    sections = list(public.filter(parent=organisation))
    members = list(
        organisation.memberships.filter(person__in=Person.objects.public()).select_related("person")
    )
    shows(
        request,
        topic(organisation),
        topic(organisation, "cases"),
        *card_topics(cases),
        *(topic(other) for other in [parent, *sections] if other is not None),
        *(f"person:{member.person_id}" for member in members),
    )
    return render(
        request,
        "cases/organisation_detail.html",
        {
            "organisation": organisation,
            "parent": parent,
            "sections": sections,
            "members": members,
            "cases": [(case, case.links_to_organisation[0]) for case in cases],
        },
    )


@require_safe
@cached_page
def charge_detail(request, slug):
    """A charge brought or threatened in a published case, with its latest published cases.

    Kept in the cache until the charge or its cases (or the cards shown of
    them) are edited (cases.page_cache).

    Template: cases/charge_detail.html
    Context:
        charge: the charge, with case_count, its number of published cases
        cases: [(Case, CaseCharge)]: its latest published cases with the charge's state in each
    """
    charge = get_object_or_404(Charge.objects.with_case_counts(), slug=slug)
    cases = list(
        Case.objects.published()
        .for_list()
        .filter(pk__in=charge.case_links.values("case_id"))
        .recently_updated()[:CASES_ON_OTHER_PAGES]
    )
    shows(request, topic(charge), topic(charge, "cases"), *card_topics(cases))
    return render(
        request,
        "cases/charge_detail.html",
        {
            "charge": charge,
            "cases": [
                (case, _link_to(case.charge_links.all(), charge_id=charge.pk)) for case in cases
            ],
        },
    )
