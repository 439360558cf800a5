"""/sitemap.xml: every public page, with its last change where it has one.

An index at /sitemap.xml names one sitemap per kind of page
(/sitemap-cases.xml, ...), each split into pages of 50,000 addresses
when it grows that long. Every page is listed in each language (/ru/...,
/kk/...), with its versions in the others as hreflang alternates and the
English one as x-default.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Case, Charge, Organisation, Person


class TranslatedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(TranslatedSitemap):
    """The home page and the case list, which change when a published case does."""

    def items(self):
        return ["home", "case_list"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        if not hasattr(self, "_latest"):
            self._latest = Case.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return self._latest


class PublicPagesSitemap(TranslatedSitemap):
    """The pages of a published queryset's rows, each last changed at its updated_at."""

    def lastmod(self, row):
        return row.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every row read to take the latest.
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]


class CaseSitemap(PublicPagesSitemap):
    def items(self):
        return Case.objects.published().only("slug", "updated_at").order_by("pk")


class PersonSitemap(PublicPagesSitemap):
    def items(self):
        return Person.objects.public().only("slug", "updated_at").order_by("pk")


class OrganisationSitemap(PublicPagesSitemap):
    def items(self):
        return Organisation.objects.public().only("slug", "updated_at").order_by("pk")


class ChargeSitemap(PublicPagesSitemap):
    def items(self):
        return Charge.objects.public().only("slug", "updated_at").order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "cases": CaseSitemap,
    "people": PersonSitemap,
    "organisations": OrganisationSitemap,
    "charges": ChargeSitemap,
}
