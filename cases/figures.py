"""The headline figures: people held now, and people detained and released this year.

Shown on the home page, and for one country on the list of its people; each
figure links to the list of the people it counts (/people/?held=now, ...), so
a reader can check it. Who counts as held is cases.custody's definition. They
are counted once per version of the public data and kept with the facets
(cases.facets.cached_for): the home page costs no counting after the first
request that follows an edit.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.http import QueryDict
from django_countries.fields import Country

from . import custody
from .facets import Facets, cached_for, published_facets
from .models import Case


@dataclass(frozen=True)
class Headline:
    year: int
    country: str  # a country code, or "" for every country
    held_now: int
    detained: int
    released: int
    # For every country: [(country code, people held now)], most first.
    held_by_country: tuple[tuple[str, int], ...] = ()

    def query(self, **filters) -> str:
        """The query string of the people list that a figure counts."""
        query = QueryDict(mutable=True)
        if self.country:
            query["country"] = self.country
        for name, value in filters.items():
            query[name] = str(value)
        return query.urlencode()

    @property
    def held_now_query(self) -> str:
        return self.query(held=custody.HELD_NOW)

    def countries_held(self) -> list[tuple[Country, int, str]]:
        """[(country, people held now there, the query string of their list)]."""
        return [
            (Country(code), number, f"country={code}&held={custody.HELD_NOW}")
            for code, number in self.held_by_country
        ]

    @property
    def detained_query(self) -> str:
        return self.query(detained=self.year)

    @property
    def released_query(self) -> str:
        return self.query(released=self.year)


def headline_figures(country: str = "", *, facets: Facets | None = None) -> Headline:
    """The figures of COUNTRY (a code), or of every country; FACETS, when the
    request has read them already, saves reading the version again."""
    year = datetime.date.today().year

    def count() -> Headline:
        cases = Case.objects.published()
        if country:
            cases = cases.filter(country=country)
        participations = custody.persecuted_participations(cases)

        def people(selected) -> int:
            return selected.values("person").distinct().count()

        held = custody.held_now(participations)
        by_country = ()
        if not country:
            rows = (
                held.values_list("case__country")
                .annotate(number=Count("person", distinct=True))
                .order_by()
            )
            by_country = tuple(sorted(rows, key=lambda row: (-row[1], row[0])))
        return Headline(
            year=year,
            country=country,
            held_now=people(held),
            detained=people(custody.detained_in(participations, year)),
            released=people(custody.released_in(participations, year)),
            held_by_country=by_country,
        )

    return cached_for(facets or published_facets(), f"headline:{country}:{year}", count)
