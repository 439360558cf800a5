"""Atom feeds of published status changes: all of them, and those of one case,
one country or one charge. Each page links to its feed with
<link rel="alternate" type="application/atom+xml">.

Entries link to the entry on the case's page; their ids are tag: URIs made
from the status change's number, which do not change when a case's slug or
the entry's text does.
"""

import copy

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import Country

from .models import Case, Charge, StatusChange

FEED_LENGTH = 50


class StatusChangesFeed(Feed):
    """The latest published status changes: /feed/."""

    feed_type = Atom1Feed
    description_template = "feeds/status_change.html"
    author_name = _("Repression tracker")
    title = _("Latest status changes")
    subtitle = _("Status changes in published cases of political repression.")

    authority = "localhost"

    def __call__(self, request, *args, **kwargs):
        # One feed object serves every request: give each its own copy to write to.
        feed = copy.copy(self)
        feed.authority = split_domain_port(request.get_host())[0] or self.authority
        return super(StatusChangesFeed, feed).__call__(request, *args, **kwargs)

    def link(self):
        return reverse("home")

    def changes(self):
        return StatusChange.objects.published()

    def items(self, obj=None):
        return self.changes().recent().select_related("case").for_timeline()[:FEED_LENGTH]

    def item_title(self, change):
        return f"{change.case.title}: {change.headline}"

    def item_link(self, change):
        return change.get_absolute_url()

    def item_guid(self, change):
        # RFC 4151: tag:<authority>,<date>:<specific>; the date is when it was recorded.
        # The entry's public id, not its number: numbers would count the hidden ones.
        return f"tag:{self.authority},{change.created_at:%Y-%m-%d}:status-change/{change.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.created_at

    def item_updateddate(self, change):
        return change.updated_at

    def item_categories(self, change):
        return [change.status]


class CaseStatusChangesFeed(StatusChangesFeed):
    """The timeline of one published case, latest first: /cases/<slug>/feed/."""

    def get_object(self, request, slug):
        return get_object_or_404(Case.objects.published(), slug=slug)

    def title(self, case):
        return _("Status changes: %(case)s") % {"case": case.title}

    def subtitle(self, case):
        return case.summary

    def link(self, case):
        return case.get_absolute_url()

    def items(self, case):
        return case.status_changes.latest_first().for_timeline()[:FEED_LENGTH]

    def item_title(self, change):
        return change.headline


class CountryStatusChangesFeed(StatusChangesFeed):
    """Status changes of the published cases in one country: /countries/<code>/feed/."""

    def get_object(self, request, code):
        code = code.upper()
        if code not in countries:
            raise Http404
        return Country(code)

    def title(self, country):
        return _("Status changes in %(country)s") % {"country": country.name}

    def subtitle(self, country):
        return _("Status changes in published cases in %(country)s.") % {"country": country.name}

    def link(self, country):
        return f"{reverse('case_list')}?country={country.code}"

    def items(self, country):
        changes = self.changes().filter(case__country=country.code)
        return changes.recent().select_related("case").for_timeline()[:FEED_LENGTH]


class ChargeStatusChangesFeed(StatusChangesFeed):
    """Status changes of the published cases with one charge: /charges/<slug>/feed/."""

    def get_object(self, request, slug):
        return get_object_or_404(Charge.objects.public(), slug=slug)

    def title(self, charge):
        return _("Status changes: %(charge)s") % {"charge": charge.name}

    def subtitle(self, charge):
        return _("Status changes in published cases with the charge %(charge)s.") % {
            "charge": str(charge)
        }

    def link(self, charge):
        return charge.get_absolute_url()

    def items(self, charge):
        changes = self.changes().filter(case__charge_links__charge=charge)
        return changes.recent().select_related("case").for_timeline()[:FEED_LENGTH]
