"""The addresses the soak test cycles through, one per line, printed on stdout.

Many distinct pages, more than a cache holds, so that pages are rendered
throughout the run and not only served from the cache: case pages, people,
list pages with and without filters, searches, feeds, the API. Run through
manage.py shell with the benchmark's environment (bench/soak.sh does).
"""

from itertools import islice

from cases.models import Case, Charge, Person


def paths() -> list[str]:
    published = Case.objects.published().order_by("pk")
    cases = [f"/cases/{slug}/" for slug in published.values_list("slug", flat=True)[:400]]
    people = [
        f"/people/{slug}/"
        for slug in Person.objects.public().order_by("pk").values_list("slug", flat=True)[:100]
    ]
    charges = list(Charge.objects.public().order_by("pk").values_list("slug", "country")[:20])
    lists = [f"/cases/?page={page}" for page in range(1, 101)]
    lists += [f"/cases/?country={country}&charge={slug}" for slug, country in charges]
    lists += [
        f"/cases/?status={status}&sort=title" for status in ("charged", "imprisoned", "released")
    ]
    searches = [
        f"/cases/?q={word}" for word in ("synthetic", "person+12", "arbitrariness", "Kurmanov")
    ]
    other = ["/", "/feed/", "/api/v1/cases/", "/api/v1/cases/?page=3", "/sitemap.xml", "/healthz"]
    # Interleave the kinds, so that every stretch of the run asks for each.
    kinds = [cases, people, lists, searches, other]
    longest = max(len(kind) for kind in kinds)
    mixed = [kind[i % len(kind)] for i in range(longest) for kind in kinds if kind]
    return list(islice(mixed, 2000))


print("\n".join(paths()))
