"""The addresses the soak test and the load under edits cycle through: 2,000
distinct ones (fewer only if the data has too few cases), one per line, on
stdout.

Many distinct pages, more than a cache holds, so that pages are rendered
throughout the run and not only served from the cache: case pages, people,
charges and organisations, list pages with and without filters, searches
for one person's name (not for a word that every case holds), feeds, the
API. Run through manage.py shell with the benchmark's environment
(bench/soak.sh, bench/under_edits.py).
"""

from itertools import chain
from urllib.parse import urlencode

from cases.models import Case, Charge, Organisation, Person, Status

DISTINCT = 2000


def paths() -> list[str]:
    people = Person.objects.public().order_by("pk")
    charges = list(Charge.objects.public().order_by("pk").values_list("slug", "country")[:100])
    lists = [f"/cases/?page={page}" for page in range(1, 201)]
    lists += [f"/cases/?country={country}&charge={slug}" for slug, country in charges]
    lists += [
        f"/cases/?status={status}&sort={sort}"
        for status in Status.values
        for sort in ("updated", "started", "title")
    ]
    lists += [f"/cases/?year={year}" for year in range(2000, 2026)]
    # "Synthetic Aigerim Nurlanova 123": the family name and the number find a few cases.
    names = [" ".join(name.split()[-2:]) for name in people.values_list("name", flat=True)[:40]]
    searches = [f"/cases/?{urlencode({'q': name})}" for name in names]
    other = ["/", "/feed/", "/api/v1/cases/", "/api/v1/cases/?page=3", "/sitemap.xml", "/healthz"]
    pages_of = [f"/people/{slug}/" for slug in people.values_list("slug", flat=True)[:300]]
    pages_of += [f"/charges/{slug}/" for slug, _country in charges]
    pages_of += [
        f"/organisations/{slug}/"
        for slug in Organisation.objects.public().order_by("pk").values_list("slug", flat=True)[:50]
    ]
    others = list(dict.fromkeys(chain(lists, searches, other, pages_of)))
    wanted = max(DISTINCT - len(others), 0)
    slugs = Case.objects.published().order_by("pk").values_list("slug", flat=True)[:wanted]
    cases = [f"/cases/{slug}/" for slug in slugs]
    # Spread each kind evenly over the run, so that every stretch asks for each.
    kinds = [cases, pages_of, lists, searches, other]
    spread = sorted(
        ((index + 0.5) / len(kind), order, path)
        for order, kind in enumerate(kinds)
        for index, path in enumerate(kind)
    )
    return list(dict.fromkeys(path for _place, _order, path in spread))[:DISTINCT]


print("\n".join(paths()))
