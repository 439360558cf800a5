"""Whole public pages, kept in the cache until what they show is edited.

A public page depends only on its address (with scheme and host: pages hold
their canonical address), the language, the release (cases.release: its
templates and translations; a page kept by the release before a deploy is
not served after it) and the published data. Once
rendered, it is kept with the number of the public data it was rendered at
(PublicDataVersion) and the topics it shows: the objects it names
("case:12", "person:3", "charge:7", "organisation:2", "source:9"), the lists
of cases it shows ("charge:7:cases": the cases of that charge), or "lists".
An edit stamps the topics it changes with its number (PublicDataStamp, in the
edit's transaction); a kept page is served while none of its topics carries
a later stamp. So a status change on one case renders again that case's
page, the pages of its people, charges and organisations (which list it), the
pages that show its card, and the lists and the home page; every other
page is still served from the cache.

The rule of each kind of page (what it shows, hence what it depends on):

- a case: the case; the people, charges, organisations (and those of its call
  to action) and sources it names; the cards of the related cases it shows
  (each case, its people and charges). Which cases are related is chosen
  again when the page is rendered again, for any of these reasons or after
  CACHE_SECONDS: another case that comes to share a person, charge or
  organisation with it does not make the page stale;
- a person, an organisation, a charge: the object and the list of its cases
  ("person:3:cases" ...), the cards of the cases it shows, and the people and
  organisations it names (relatives, memberships, parent, sections, members);
- the case list (any filters), the home page, the people list: "lists",
  stamped by every edit of a case, person, charge, organisation, place of
  detention, detention or verdict, since a card, a count or a filter's choice
  may name it;
  the counts of cases per charge and per organisation (cases.facets) also
  by "lists:links", stamped only by the edits that can change them: of a
  case (its publication), its charges and organisations, or a charge or an
  organisation (its name); not by an edit of a timeline (TimelineOf);
- a place of detention: the place, the people and cases it names, and "lists"
  (an episode of any case may hold someone there: detentions and verdicts are
  edits of their case);
  a person's letter page: the person, their cases' facts, the places it names.

What an edit stamps is the other side (edited_topics() below): the edited
object, the lists of cases of the people, charges and organisations of an
edited case (before and after the edit, so that a link removed is seen), the
objects a person or an organisation links to, and "lists" for what the lists
show. An edit that cannot say what it changed (loading data, a restored
backup) draws a new generation instead, and nothing cached before is served
again: see PublicDataVersion.

Serving a kept page costs one small query: the version and the newest stamp
of its topics. The version is read before a page is rendered and the page is
kept with that number, so an edit committed while it renders leaves it
stale, not wrong.

Keys that cannot be inflated: each view names the query parameters it reads
(cached_page(params=...)); any other parameter is dropped, the values are
spelt one way (spaces, leading zeros, a country code's case) and put in a
fixed order (by name, then value; duplicates and empty values dropped), and
the view itself is given that canonical query. A list narrowed by more than
KEPT_VALUES values is rendered and not kept: the combinations of filters are
countless, and each is asked for rarely. So
?utm_source=x, ?b=1&a=2 and ?a=2&b=1 are one page, and the page rendered for
one of them is right for all (its links and canonical address come from the
canonical query). Not a redirect: shared links keep working in one request.

A stale page is rendered again by one request at a time (a lock taken with
cache.add, per cache): the others are served the stale page meanwhile, for
at most the time of one render (LOCK_SECONDS if the renderer dies). A page
that has become a 404 (a withdrawn case) is dropped at once, not served again.

HTTP: kept pages are sent with an ETag, Last-Modified (when it was rendered)
and `Cache-Control: public, max-age=0, s-maxage=PUBLIC_PAGE_MAX_AGE` (60 s by
default): a reverse proxy may keep them that long; browsers ask again each
time, with a conditional GET answered 304 without the body while the page is
unchanged, so a visitor sees an edit at the next request as before. They
vary on Cookie (and on Accept-Language where the language is taken from it:
LocaleMiddleware adds it). Requests with a session cookie (editors) get
fresh pages that no one may store; the admin and previews never come here.

Kept: 200 responses to GET and HEAD from visitors without a session cookie.
Not kept: errors and 404s (a made-up address should not take a place in the
cache). Pages are stored as they are sent, not compressed: serving one from
the cache then costs about as much as serving a few bytes (the benchmark's
yardstick).

PUBLIC_PAGE_CACHE=0 turns it off (make bench measures pages both ways).
"""

import functools
import hashlib
import time
from collections.abc import Iterable
from contextvars import ContextVar
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, QueryDict
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from django.utils.translation import get_language

from . import models, release
from .models import PublicDataStamp, PublicDataVersion

CACHE_SECONDS = 24 * 60 * 60
# The number of the public data of the oldest counts a request was given
# while newer ones were being counted (None: none; cases.facets): the page
# it rendered is kept as of that number, to be rendered again once they are.
stale_counts_shown: ContextVar[int | None] = ContextVar("stale_counts_shown", default=None)
LOCK_SECONDS = 30  # gunicorn's worker timeout: a render takes no longer
# Lists filtered by more values than this are rendered, not kept: each of the
# countless combinations is asked for rarely, and would push out common pages.
KEPT_VALUES = 6
LISTS = "lists"
# What the counts of cases per charge and per organisation depend on: which
# cases are published and which charges and organisations they have, and
# their names (cases.facets counts them again only when this is stamped).
LINKED_COUNTS = "lists:links"


class TimelineOf(NamedTuple):
    """An edit of the timeline of the case CASE_ID alone (its entries,
    detentions, verdicts): what the case's pages and the lists show, but not
    which charges and organisations the published cases have. The services
    of the timeline say this rather than passing the case."""

    case_id: int


class Generation(NamedTuple):
    """The public data as a request finds it: see PublicDataVersion."""

    number: int
    token: str
    newest: int  # the latest stamp of the topics asked for (0: none stamped)


def read_generation(topics: Iterable[str] | None = ()) -> Generation:
    """The version of the public data and the latest stamp of TOPICS, in one
    query; TOPICS None means every edit (the newest stamp is the number)."""
    topics = sorted(set(topics)) if topics is not None else None
    newest = "NULL"
    if topics:
        marks = ", ".join(["%s"] * len(topics))
        newest = (
            f"(SELECT MAX(number) FROM {PublicDataStamp._meta.db_table} WHERE topic IN ({marks}))"  # noqa: S608
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number, token, {newest} FROM {PublicDataVersion._meta.db_table} WHERE id = 1",  # noqa: S608
            topics or [],
        )
        row = cursor.fetchone()
    if row is None:  # a flushed database: nothing cached may be trusted
        return Generation(0, PublicDataVersion.current(), 0)
    number, token, newest = row
    return Generation(number, token, number if topics is None else (newest or 0))


class KeptPage(NamedTuple):
    token: str
    number: int  # of the public data it was rendered at
    topics: tuple[str, ...] | None  # what it shows; None: it depends on every edit
    content_type: str
    content: bytes
    etag: str
    rendered_at: int  # seconds since the epoch

    def is_fresh(self, now: Generation) -> bool:
        return now.token == self.token and now.newest <= self.number


def topic(obj, part: str = "") -> str:
    """'case:12': an object that has a public page or is shown on one;
    'charge:7:cases' with PART: a part of its page that other edits change."""
    return f"{obj._meta.model_name}:{obj.pk}{':' if part else ''}{part}"


def shows(request, *topics: str) -> None:
    """Say that the page rendered for REQUEST shows TOPICS (see topic())."""
    if not hasattr(request, "topics_shown"):
        request.topics_shown = set()
    request.topics_shown.update(topics)


def card_topics(cases) -> set[str]:
    """What a case's card shows (Case.objects.for_list()): the case, its people and charges."""
    shown = set()
    for case in cases:
        shown.add(topic(case))
        shown.update(f"person:{link.person_id}" for link in case.participants.all())
        shown.update(f"charge:{link.charge_id}" for link in case.charge_links.all())
    return shown


def canonical_query(query: QueryDict, params: Iterable[str]) -> QueryDict:
    """QUERY with only PARAMS, in a fixed order; see the module's docstring."""
    canonical = QueryDict(mutable=True)
    for name in sorted(set(params) & set(query)):
        values = {_canonical_value(name, value) for value in query.getlist(name)}
        values.discard("")
        if values:
            canonical.setlist(name, sorted(values))
    canonical._mutable = False
    return canonical


def _canonical_value(name: str, value: str) -> str:
    """One spelling of VALUE: 'KZ' for 'kz', '2' for 'page=002', 'a b' for 'q= a  b'."""
    value = " ".join(value.split())
    if name == "country":  # codes are upper case; CaseFilter takes either
        return value.upper()
    if value.isascii() and value.isdigit():  # page=002, year=02011
        return str(int(value))
    return value


def cached_page(view=None, *, params: Iterable[str] = ()):
    """Serve VIEW's page from the cache when it can; see the module's docstring.
    PARAMS: the query parameters the view reads (the others are dropped)."""
    if view is None:
        return functools.partial(cached_page, params=params)
    params = frozenset(params)

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if not settings.PUBLIC_PAGE_CACHE or request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        request.GET = canonical_query(request.GET, params)
        request.META["QUERY_STRING"] = request.GET.urlencode()  # for the page's own address
        if sum(len(values) for _name, values in request.GET.lists()) > KEPT_VALUES:
            return view(request, *args, **kwargs)  # too rare to keep, too many to hold
        address = f"{request.scheme}://{request.get_host()}{request.path}?{request.GET.urlencode()}"
        # The release too: a page of the templates before a deploy is not served after it.
        address = hashlib.sha256(address.encode()).hexdigest()
        key = f"cases:page:{release.current()}:{get_language()}:{address}"
        kept = cache.get(key)
        now = read_generation(kept.topics if kept else ())
        locked = False
        if kept is not None and now.token == kept.token:
            if kept.is_fresh(now):
                return _send(request, kept)
            locked = cache.add(f"{key}:lock", True, LOCK_SECONDS)
            if not locked:  # another request renders it again
                return _send(request, kept)
        shown = stale_counts_shown.set(None)
        try:
            response = view(request, *args, **kwargs)
            stale = stale_counts_shown.get()
        except Http404:
            cache.delete(key)
            raise
        finally:
            stale_counts_shown.reset(shown)
            if locked:
                cache.delete(f"{key}:lock")
        if response.status_code != 200 or response.streaming or response.cookies:
            cache.delete(key)
            return response
        topics = getattr(request, "topics_shown", None)
        content = response.content
        kept = KeptPage(
            token=now.token,
            # Rendered with counts of before (cases.facets): as of their number,
            # so that it is rendered again once the new ones are counted.
            number=now.number if stale is None else min(now.number, stale),
            topics=tuple(sorted(topics)) if topics is not None else None,
            content_type=response["Content-Type"],
            content=content,
            etag=f'"{hashlib.sha256(content).hexdigest()[:32]}"',
            rendered_at=int(time.time()),
        )
        cache.set(key, kept, CACHE_SECONDS)
        return _send(request, kept)

    return cached_view


def _send(request, kept: KeptPage) -> HttpResponse:
    """KEPT, or 304 Not Modified if the browser has it already."""
    response = HttpResponse(kept.content, content_type=kept.content_type)
    response["ETag"] = kept.etag
    response["Last-Modified"] = http_date(kept.rendered_at)
    patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PUBLIC_PAGE_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return get_conditional_response(
        request, etag=kept.etag, last_modified=kept.rendered_at, response=response
    )


def edited_topics(obj) -> set[str] | None:
    """What an edit of OBJ changes on the public pages; None: it cannot say.

    Called in the edit's transaction before links change and after (the
    admin's save_model and save_related): the objects at both ends of a link
    that is added or removed are stamped.
    """
    if isinstance(obj, models.Case):  # its publication, hence what the counts count
        return _case_topics(obj.pk) | {LINKED_COUNTS}
    case_id = getattr(obj, "case_id", None)
    if isinstance(obj, models.CaseCharge | models.CaseOrganisation):
        return _case_topics(case_id) | {LINKED_COUNTS}
    if case_id is not None:  # the timeline, the case's people ... sources
        return _case_topics(case_id)
    if isinstance(obj, models.StatusChangeParticipant | models.StatusChangeSource):
        return _case_topics(obj.status_change.case_id)
    if isinstance(obj, models.Person):
        relatives = models.Relationship.objects.filter(person=obj).values_list("relative_id")
        relatives_of = models.Relationship.objects.filter(relative=obj).values_list("person_id")
        organisations = obj.memberships.values_list("organisation_id", flat=True)
        return (
            {topic(obj), LISTS}
            | {f"person:{pk}" for (pk,) in relatives.union(relatives_of)}
            | {f"organisation:{pk}" for pk in organisations}
        )
    if isinstance(obj, models.Organisation):
        members = obj.memberships.values_list("person_id", flat=True)
        sections = models.Organisation.objects.filter(parent=obj).values_list("pk", flat=True)
        return (
            {topic(obj), LISTS, LINKED_COUNTS}
            | {f"person:{pk}" for pk in members}
            | {f"organisation:{pk}" for pk in [*sections, obj.parent_id] if pk}
        )
    if isinstance(obj, models.Charge):
        return {topic(obj), LISTS, LINKED_COUNTS}
    if isinstance(obj, models.Relationship):
        return {f"person:{obj.person_id}", f"person:{obj.relative_id}"}
    if isinstance(obj, models.Membership):
        return {f"person:{obj.person_id}", f"organisation:{obj.organisation_id}"}
    if isinstance(obj, models.Picture):
        owner = obj.person_id and f"person:{obj.person_id}"
        return {owner or f"organisation:{obj.organisation_id}"}
    if isinstance(obj, models.Source):
        return {topic(obj)}
    if isinstance(obj, models.PlaceOfDetention):
        return {topic(obj), LISTS}  # the lists name it (/people/ and its filter)
    return None


def _case_topics(case_id: int) -> set[str]:
    """The case, the lists of cases of its people, charges and organisations,
    and the lists (which count and show it)."""
    links = (
        (models.CaseParticipant, "person"),
        (models.CaseCharge, "charge"),
        (models.CaseOrganisation, "organisation"),
    )
    topics = {f"case:{case_id}", LISTS}
    for model, field in links:
        ids = model.objects.filter(case_id=case_id).values_list(f"{field}_id", flat=True)
        topics.update(f"{field}:{pk}:cases" for pk in ids)
    return topics
