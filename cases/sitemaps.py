"""/sitemap.xml: every public page, with its last change where it has one.

An index at /sitemap.xml names one sitemap per kind of page
(/sitemap-cases.xml, ...), each split into pages (?p=2, ...) of
ADDRESSES_PER_SITEMAP addresses, well under the 50,000 the protocol allows:
a page's rows are model instances (GenericSitemap builds each address with
get_absolute_url()), so its size is what bounds a worker's memory. Every
page is listed in each language (/ru/..., /kk/...), with its versions in the
others as hreflang alternates and the English one as x-default.

At 100,000 cases the people's sitemap cost 7.3 s of CPU and 172 MB per
request (issue 18). So each sitemap and the index are rendered once for each
version of the public data and kept in the cache (cached_sitemap), like the
list's counts (cases.facets): a crawler's next request costs the version's
query.
"""

import functools
import hashlib
from collections.abc import Sequence

from django.contrib.sitemaps import GenericSitemap, Sitemap
from django.core.cache import cache
from django.db.models import Max
from django.urls import reverse

from . import release
from .custody import public_places
from .facets import CACHE_SECONDS
from .models import Case, Charge, Organisation, Person, PublicDataVersion

ADDRESSES_PER_SITEMAP = 10_000


class TranslatedSitemap(Sitemap):
    """Each address in every language, with the others as alternates."""

    i18n = True
    alternates = True
    x_default = True
    limit = ADDRESSES_PER_SITEMAP


class InEveryLanguage(Sequence):
    """The (row, language) pairs of ROWS (a queryset), as Sitemap pages
    through them with i18n on, but read one page of rows at a time: Django's
    own list of pairs would hold every row of the table at once."""

    def __init__(self, rows, languages):
        self.rows, self.languages = rows, list(languages)

    def __len__(self):
        if not hasattr(self, "_length"):
            self._length = self.rows.count() * len(self.languages)
        return self._length

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        per_row = len(self.languages)
        first = start // per_row
        rows = self.rows[first : -(-stop // per_row)]
        pairs = [(row, language) for row in rows for language in self.languages]
        return pairs[start - first * per_row : stop - first * per_row]


class PagesSitemap(TranslatedSitemap):
    """The home page and the case list, which change when a published case does."""

    def items(self):
        return ["home", "case_list", "person_list"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        if not hasattr(self, "_latest"):
            self._latest = Case.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return self._latest


class PublicPagesSitemap(TranslatedSitemap, GenericSitemap):
    """The pages of a published queryset's rows, each last changed at its updated_at."""

    def __init__(self, queryset):
        super().__init__(
            {
                "queryset": queryset.only("slug", "updated_at").order_by("pk"),
                "date_field": "updated_at",
            }
        )

    def _items(self):
        return InEveryLanguage(self.items(), self._languages())


class PlacesSitemap(PublicPagesSitemap):
    """The places of detention where a published case holds or held someone."""

    def location(self, item):
        return reverse("place_detail", kwargs={"slug": item.slug})


SITEMAPS = {
    "pages": PagesSitemap,
    "cases": PublicPagesSitemap(Case.objects.published()),
    "people": PublicPagesSitemap(Person.objects.public()),
    "organisations": PublicPagesSitemap(Organisation.objects.public()),
    "charges": PublicPagesSitemap(Charge.objects.public()),
    "places": PlacesSitemap(public_places()),
}


def cached_sitemap(view):
    """VIEW (the sitemap index or a sitemap), rendered once per version of the
    public data, release (cases/release.py: a deploy may change what a
    sitemap lists) and address (scheme, host, section and page)."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"cases:sitemap:{release.current()}:{PublicDataVersion.current()}:{address}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code == 200:
                cache.set(key, response, CACHE_SECONDS)
        return response

    return cached_view
