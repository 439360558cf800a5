"""How many published cases there are by country, charge, status, organisation
and year: the choices of the case list's filters and the counts on the home page.

Counting them reads every published case, its charges, organisations and
status changes: too much for every request once there are tens of thousands
of cases. They are computed once for each version of the public data
(PublicDataVersion, raised by every edit in the same transaction) and kept in
the cache, so the next request after an edit sees it, whatever process or
server it reaches. A request costs one small query to read the version.

The cache is the configured default one (CACHES). The per-process memory
cache that Django uses by default is right for one server: each process
counts once per version. Several app servers can share a cache (Redis,
Memcached) to count once in all; correctness does not depend on it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django_countries.fields import Country

from .models import Case, Charge, Organisation, PublicDataVersion, Status

CACHE_SECONDS = 24 * 60 * 60
T = TypeVar("T")


@dataclass(frozen=True)
class Facets:
    """Counts of published cases. Plain values, so that they can be cached and
    named in whatever language a request asks for."""

    version: str  # of the public data (PublicDataVersion.current()) they were counted for
    countries: list[tuple[str, int]]  # (country code, cases)
    statuses: list[tuple[str, int]]  # (status, cases), in the order of the vocabulary
    charges: list[tuple[str, str, str, str, int]]  # (slug, name, transliterated, country, cases)
    organisations: list[tuple[str, str, int]]  # (slug, name with acronym, cases)
    years: list[tuple[int, int]]  # (year, cases), latest first
    charge_ids: dict[str, int]  # {slug: id} of the charges above
    organisation_ids: dict[str, int]  # {slug: id} of the organisations above

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
    """The counts for the current version of the public data, cached."""
    version = PublicDataVersion.current()
    key = f"cases:facets:{version}"
    facets = cache.get(key)
    if facets is None:
        facets = count_published_cases(version)
        cache.set(key, facets, CACHE_SECONDS)
    return facets


def count_published_cases(version: str) -> Facets:
    published = Case.objects.published()
    charges = list(
        Charge.objects.with_case_counts()
        .order_by("country", "name")
        .values_list("pk", "slug", "name", "name_transliterated", "country", "case_count")
    )
    organisations = list(
        Organisation.objects.with_case_counts().order_by("name").only("slug", "name", "acronym")
    )
    # Shared by every language: the English names (cases/translation.py), not
    # those of whoever asked first, nor a query for each name's translation.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        named_organisations = [(o.slug, str(o), o.case_count) for o in organisations]
    return Facets(
        version=version,
        countries=[(country.code, n) for country, n in published.count_by_country()],
        statuses=[(status.value, n) for status, n in published.count_by_status()],
        charges=[row[1:] for row in charges],
        organisations=named_organisations,
        years=published.count_by_year(),
        charge_ids={slug: pk for pk, slug, *_rest in charges},
        organisation_ids={o.slug: o.pk for o in organisations},
    )


def cached_for(facets: Facets, key: str, compute: Callable[[], T]) -> T:
    """What COMPUTE() returns for KEY, computed once for the version of FACETS:
    anything else derived from the published cases (a filtered list's count,
    the choices named in a language), forgotten at the next edit as they are."""
    key = f"cases:{key}:{facets.version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
