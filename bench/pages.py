"""The pages `make bench` loads, chosen from the synthetic data in the database.

    python bench/pages.py            one "name<TAB>path" line per page

Run with the project's settings and DATABASE_URL, like manage.py.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A surname that synthetic people carry (cases/synthetic.py), in its usual spelling.
SEARCH = "Nurlanova"
PAGE = 2000
# The median number of status changes of a synthetic case.
TYPICAL_CHANGES = 4
# The pages whose query plans the benchmark prints whole (bench/explain.py).
PAGES_FOR_EXPLAIN = ["list by country and charge", "list with text search"]


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repression.settings")
    import django

    django.setup()


def pages() -> list[tuple[str, str]]:
    """[(name, path)], the minimal view first: the yardstick of the others."""
    from django.db.models import Count

    from cases.models import Case, Charge

    # The most common charge of the most common country, and the first case
    # with a full timeline: found, not assumed, so any seed works.
    country = (
        Case.objects.published()
        .filter(slug__startswith="synthetic-")
        .values_list("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")[0][0]
    )
    charge = (
        Charge.objects.filter(country=country, slug__startswith="synthetic-")
        .annotate(n=Count("case_links"))
        .order_by("-n", "slug")[0]
    )
    with_changes = (
        Case.objects.published()
        .filter(slug__startswith="synthetic-")
        .annotate(n=Count("status_changes"))
        .order_by("pk")
    )
    long_case = with_changes.filter(n=40)[0]
    # Not a target of the issue: what most case pages are like, for comparison.
    typical_case = with_changes.filter(n=TYPICAL_CHANGES)[0]
    return [
        ("minimal view", "/benchmark/minimal/"),
        ("home", "/"),
        ("list", "/cases/"),
        ("list by country and charge", f"/cases/?country={country}&charge={charge.slug}"),
        ("list with text search", f"/cases/?q={SEARCH}"),
        ("case with 40 changes", long_case.get_absolute_url()),
        (f"list page {PAGE}", f"/cases/?page={PAGE}"),
        (f"case with {TYPICAL_CHANGES} changes", typical_case.get_absolute_url()),
    ]


if __name__ == "__main__":
    setup()
    for name, path in pages():
        print(f"{name}\t{path}")
