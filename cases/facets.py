"""How many published cases there are by country, charge, status, organisation
and year: the choices of the case list's filters and the counts on the home page.

Counting them reads every published case, its charges, organisations and
years (CaseYear, which the database keeps of the start dates and status
changes): too much for every request once there are tens of thousands of
cases (0.3-0.5 s at 100,000, bench/years.py). They are counted once and kept in the cache
with the number of the public data they were counted at (PublicDataVersion),
until an edit stamps "lists" with a later one (cases.page_cache says which
edits do: any edit of a case, person, charge or organisation). Reading them
costs one small query: the version and that stamp.

After such an edit they are counted again once (the counts by charge and
by organisation, most of the cost, only after an edit that can change them:
page_cache.LINKED_COUNTS; not after a status change), under a lock taken with
cache.add, while every request is given the counts of before until the new
ones are kept: after an edit, no crowd of requests recounts the whole table
at once. On a register of more than INLINE_CASES published cases that count
runs in a background thread of the process (about 10 s of the database's
time at 1,000,000 cases, bench/explain.py, 7 s of them the count by year
before CaseYear), so that no visitor waits for it;
on a smaller one (a laptop, the tests) the request that takes the lock
counts, in the tens of milliseconds. A cache that holds no counts yet (a
process's first request, a new generation after a restored backup) has one
request count them while the others wait for them (_first_count()). What else is derived from the counts'
version (cached_for(): the headline figures, a filtered list's count, the
people list's counts) is kept and counted again the same way.

A page rendered with counts of before is kept by the page cache as of their
version (stale_counts_shown): it is served while one request renders it
again, until the new counts are there, rather than kept as up to date.

The cache is the configured default one (CACHES). The per-process memory
cache that Django uses by default is right for one server: each process
counts once per edit. Several app servers can share a cache (Redis,
Memcached) to count once in all; correctness does not depend on it.
"""

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import translation
from django_countries.fields import Country
from modeltranslation.utils import build_localized_fieldname, get_language

from . import background
from .models import Case, CaseYear, Charge, Organisation, Status
from .page_cache import (
    CACHE_SECONDS,
    LINKED_COUNTS,
    LISTS,
    LOCK_SECONDS,
    read_generation,
    stale_counts_shown,
)
from .translation import ORIGINAL, TRANSLATIONS

T = TypeVar("T")
KEY = "cases:facets"

# Above this many published cases, counts are counted again in the background.
INLINE_CASES = 10_000
# How long a lock on counting again holds if its thread dies while counting.
COUNTING_LOCK_SECONDS = 10 * 60
# How often a request waiting for the first counts looks for them.
FIRST_COUNT_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Facets:
    """Counts of published cases. Plain values, so that they can be cached and
    named in whatever language a request asks for."""

    version: str  # of the public data they were counted at: "number.token"
    countries: list[tuple[str, int]]  # (country code, cases)
    statuses: list[tuple[str, int]]  # (status, cases), in the order of the vocabulary
    charges: list[tuple[str, str, str, str, int]]  # (slug, name, transliterated, country, cases)
    organisations: list[tuple[str, str, int]]  # (slug, name with acronym, cases)
    years: list[tuple[int, int]]  # (year, cases), latest first
    charge_ids: dict[str, int]  # {slug: id} of the charges above
    organisation_ids: dict[str, int]  # {slug: id} of the organisations above
    # {language: {slug: name}} of the charges and organisations above that
    # have their name translated (cases/translation.py); the names above are
    # the English. None in counts cached before there were translations.
    charge_names: dict[str, dict[str, str]] | None = None
    organisation_names: dict[str, dict[str, str]] | None = None
    # The number of the public data at which the charges and organisations
    # were counted: their counts are kept until an edit stamps LINKED_COUNTS
    # (a case's publication, charges or organisations, a charge's or an
    # organisation's name), not counted again after every status change.
    linked_at: int = 0

    def charge_name(self, slug: str, english: str) -> str:
        """The charge's name in the active language, else ENGLISH."""
        return (self.charge_names or {}).get(get_language(), {}).get(slug) or english

    def organisation_name(self, slug: str, english: str) -> str:
        """The organisation's name (with its acronym) in the active language, else ENGLISH."""
        return (self.organisation_names or {}).get(get_language(), {}).get(slug) or english

    @property
    def case_count(self) -> int:
        """Every case has a country, so this is the number of published cases."""
        return sum(number for _code, number in self.countries)

    def count_by_country(self) -> list[tuple[Country, int]]:
        """[(country, number of cases)], by the country's name in the active language."""
        counts = [(Country(code), number) for code, number in self.countries]
        return sorted(counts, key=lambda row: str(row[0].name))

    def count_by_status(self) -> list[tuple[Status, int]]:
        return [(Status(value), number) for value, number in self.statuses]


def published_facets() -> Facets:
    """The counts of the published cases, cached; see the module's docstring."""
    now = read_generation([LISTS])
    facets = cache.get(KEY)
    if facets is not None and facets.version.endswith(f".{now.token}"):
        if int(facets.version.split(".")[0]) >= now.newest:
            return facets
        if facets.case_count > INLINE_CASES:
            in_background(f"{KEY}:lock", lambda: _count_and_keep(read_generation([LISTS]), facets))
            return _stale(facets.version, facets)
        if not cache.add(f"{KEY}:lock", True, LOCK_SECONDS):
            # Another request counts them again: these meanwhile.
            return _stale(facets.version, facets)
        try:
            return _count_and_keep(now, facets)
        finally:
            cache.delete(f"{KEY}:lock")
    return _first_count(now)


def _first_count(now) -> Facets:
    """The counts when the cache holds none of this generation: counted by
    one request under the lock, while the others of the processes sharing
    the cache wait for them (at 1,000,000 cases a count takes about 10 s of
    the database: four at once outlast gunicorn's 30 s timeout). With the
    per-process memory cache each process counts its own."""
    if cache.add(f"{KEY}:lock", True, LOCK_SECONDS):
        try:
            return _count_and_keep(now)
        finally:
            cache.delete(f"{KEY}:lock")
    deadline = time.monotonic() + LOCK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(FIRST_COUNT_POLL_SECONDS)
        facets = cache.get(KEY)
        if facets is not None and facets.version.endswith(f".{now.token}"):
            return facets
        if cache.get(f"{KEY}:lock") is None:  # the counting request gave up
            break
    return _count_and_keep(now)


def _stale(version: str, value: T) -> T:
    """VALUE, of VERSION, given while newer is counted: the page says so."""
    number = int(version.split(".")[0])
    shown = stale_counts_shown.get()
    stale_counts_shown.set(number if shown is None else min(shown, number))
    return value


_counting: dict[str, threading.Thread] = {}


def in_background(lock: str, work: Callable[[], object]) -> threading.Thread | None:
    """Run WORK in a thread of this process, in the active language, unless
    another request (of any process sharing the cache) runs it under LOCK."""
    language = translation.get_language()

    def in_language():
        with translation.override(language):
            work()

    return background.run_once(
        _counting, lock, lock, COUNTING_LOCK_SECONDS, in_language, name="counts"
    )


def _count_and_keep(now, before: Facets | None = None) -> Facets:
    """Count the published cases and keep the counts. BEFORE: the counts of
    before, whose charges and organisations are kept if no edit since could
    change them."""
    # Kept with the number read before counting: an edit committed while
    # they are counted leaves them stale, to be counted again.
    if before is not None:
        linked = read_generation([LINKED_COUNTS])
        if not before.version.endswith(f".{linked.token}") or before.linked_at < linked.newest:
            before = None
    facets = count_published_cases(f"{now.number}.{now.token}", linked_from=before)
    cache.set(KEY, facets, CACHE_SECONDS)
    return facets


def count_published_cases(version: str, *, linked_from: Facets | None = None) -> Facets:
    """The counts of the published cases, at VERSION ("number.token"); the
    charges' and the organisations' taken from LINKED_FROM when given (they
    are most of the cost: 0.29 s of 0.41 at 100,000 cases)."""
    published = Case.objects.published()
    counts = {
        "version": version,
        "countries": count_by_country(published),
        "statuses": count_by_status(published),
        "years": count_by_year(published),
    }
    if linked_from is not None:
        return dataclasses.replace(linked_from, **counts)
    return Facets(**counts, **_count_linked(int(version.split(".")[0])))


def _count_linked(number: int) -> dict:
    """The fields of Facets that count the published cases by charge and by
    organisation, counted at the public data's NUMBER."""
    # Each language's column by its own name: with name_ru among them, a
    # Russian request's values_list("name") would read the Russian.
    english = build_localized_fieldname("name", ORIGINAL)
    translated = [build_localized_fieldname("name", code) for code in TRANSLATIONS]
    charges = list(
        Charge.objects.with_case_counts()
        .order_by("country", "name")
        .values_list(
            "pk", "slug", english, "name_transliterated", "country", "case_count", *translated
        )
    )
    charge_names = {
        code: {row[1]: row[6 + i] for row in charges if row[6 + i]}
        for i, code in enumerate(TRANSLATIONS)
    }
    organisations = list(
        Organisation.objects.with_case_counts()
        .order_by("name")
        .only("slug", "name", "acronym", *translated)
    )
    # Shared by every language: the English names (cases/translation.py), not
    # those of whoever asked first; and each translation, from the same rows.
    organisation_names: dict[str, dict[str, str]] = {}
    for code in TRANSLATIONS:
        with translation.override(code):
            organisation_names[code] = {
                o.slug: str(o) for o in organisations if getattr(o, f"name_{code}")
            }
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        named_organisations = [(o.slug, str(o), o.case_count) for o in organisations]
    return {
        "charges": [row[1:6] for row in charges],
        "organisations": named_organisations,
        "charge_ids": {slug: pk for pk, slug, *_rest in charges},
        "organisation_ids": {o.slug: o.pk for o in organisations},
        "charge_names": charge_names,
        "organisation_names": organisation_names,
        "linked_at": number,
    }


def count_by_country(cases) -> list[tuple[str, int]]:
    """[(country code, number of CASES)]; Facets sorts them by name in the active language."""
    return list(cases.order_by().values_list("country").annotate(number=Count("pk")))


def count_by_status(cases) -> list[tuple[str, int]]:
    """[(current status, number of CASES)], in the order of the status vocabulary."""
    rows = dict(
        cases.order_by()
        .exclude(current_status="")
        .values_list("current_status")
        .annotate(number=Count("pk"))
    )
    return [(status.value, rows[status.value]) for status in Status if status.value in rows]


def count_by_year(cases) -> list[tuple[int, int]]:
    """[(year, number of CASES)], latest first: the years in which cases
    started or had a status change. One GROUP BY over CaseYear, which the
    database keeps of every case's years (migration 0031), rather than a
    UNION over every status change (7 s of the database at 1,000,000 cases)."""
    counts = (
        CaseYear.objects.filter(case__in=cases.order_by().values("pk"))
        .order_by()
        .values_list("year")
        .annotate(number=Count("*"))
    )
    return sorted(((int(year), number) for year, number in counts), reverse=True)


def cached_for(facets: Facets, key: str, compute: Callable[[], T], *, linked: bool = False) -> T:
    """What COMPUTE() returns for KEY, computed once for the version of FACETS:
    anything else derived from the published cases (a filtered list's count,
    the choices named in a language), counted again when they are: on a
    large register in the background, the value of before given meanwhile
    (see the module's docstring). LINKED: COMPUTE() depends only on what the
    counts by charge and organisation do (which cases are published, their
    country, charges and organisations), and is kept as long as those are."""
    key = f"cases:{key}"
    token = facets.version.split(".", 1)[1]
    version = f"{facets.linked_at}.{token}" if linked else facets.version
    kept = cache.get(key)  # (version, value)
    if kept is not None and kept[0] == version:
        return kept[1]
    if kept is not None and kept[0].endswith(f".{token}") and facets.case_count > INLINE_CASES:

        def count_again():
            cache.set(key, (version, compute()), CACHE_SECONDS)

        in_background(f"{key}:lock", count_again)
        return _stale(kept[0], kept[1])
    value = compute()
    cache.set(key, (version, value), CACHE_SECONDS)
    return value
