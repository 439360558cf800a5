"""The filters of the public case list.

Each filter is a query parameter, so a filtered list is an address anyone can
share: /cases/?country=KZ&charge=samoupravstvo&status=suspect&q=Kurmanov.
Several values of one parameter widen the list (OR); different parameters
narrow it (AND).

The checkboxes offer what the published cases hold, each with its number of
cases. A value that is valid but matches nothing today (a status no case has
any more, in a link shared last year) is kept and gives an empty list; a value
that is not valid at all (country=XX, status=asleep) gives a message.
"""

import copy
import datetime
import hashlib
from collections.abc import Callable

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import translation
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import search
from .facets import Facets, cached_for, published_facets
from .models import (
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseYear,
    Status,
)

MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 10


class SortOrder(models.TextChoices):
    UPDATED = "updated", _("Recently updated first")
    STARTED = "started", _("Most recently started first")
    TITLE = "title", _("Title, A to Z")


class SharedChoices(django_filters.fields.ChoiceIterator):
    """A facet's choices, shared by the copies of its field rather than copied.

    A form deep-copies its fields when it is made, and a field its choices:
    the sidebar's 470 choices at 100,000 cases, 1,800 copies on every request
    of the case list, a fifth of its CPU. CaseFilter.set_choices() gives each
    filterset a list of its own and nothing changes it in place, so the
    copies may share it."""

    def __deepcopy__(self, memo):
        return type(self)(copy.deepcopy(self.field, memo), self.choices)


class FacetField(django_filters.fields.MultipleChoiceField):
    """Checkboxes that ignore empty values and quote a bad value briefly, whatever its length."""

    iterator = SharedChoices

    def to_python(self, value):
        return [item for item in super().to_python(value) if item.strip()]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        for item in value:
            if not self.valid_value(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": Truncator(item).chars(40)},
                )


class FacetFilter(django_filters.MultipleChoiceFilter):
    """A filter shown as checkboxes; its choices are set by CaseFilter.set_choices()."""

    field_class = FacetField

    def __init__(self, *args, invalid_choice, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs["error_messages"] = {"invalid_choice": invalid_choice}
        super().__init__(*args, **kwargs)


def _is_year(value: str) -> bool:
    return value.isascii() and value.isdigit() and 1900 <= int(value) <= datetime.date.today().year


def charge_label(name: str, transliterated: str, country: str) -> str:
    """'arbitrariness (samoupravstvo), Kazakhstan'."""
    if transliterated:
        name = f"{name} ({transliterated})"
    return f"{name}, {countries.name(country)}"


def _named(counts: Facets) -> dict[str, list[tuple[str, str, int]]]:
    """{filter: [(value, name in the active language, number of cases)]}: the
    sidebar's choices and the chips of the filters in use. Charges and
    organisations are named in the reader's language where their name is
    translated, else in English; in the order of the English names, the same
    in every language."""
    return {
        "country": [(c.code, str(capfirst(c.name)), n) for c, n in counts.count_by_country()],
        "charge": [
            (
                slug,
                str(
                    capfirst(charge_label(counts.charge_name(slug, name), transliterated, country))
                ),
                n,
            )
            for slug, name, transliterated, country, n in counts.charges
        ],
        "status": [(s.value, str(capfirst(s.label)), n) for s, n in counts.count_by_status()],
        "organisation": [
            (slug, str(capfirst(counts.organisation_name(slug, name))), n)
            for slug, name, n in counts.organisations
        ],
        "year": [(str(year), str(year), n) for year, n in counts.years],
    }


class CaseFilter(django_filters.FilterSet):
    """Filters for a queryset of published cases; see the module's docstring."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=MAX_SEARCH_LENGTH,
        widget=forms.SearchInput,
        help_text=_("Titles, summaries and people's names, in any spelling."),
    )
    country = FacetFilter(
        label=_("Country"),
        method="filter_country",
        invalid_choice=_("“%(value)s” is not a country code. Use two letters, such as KZ."),
    )
    charge = FacetFilter(
        label=_("Charge"),
        method="filter_charge",
        invalid_choice=_("No published case has the charge “%(value)s”."),
    )
    status = FacetFilter(
        label=_("Current status"),
        method="filter_status",
        invalid_choice=_("“%(value)s” is not a status."),
    )
    organisation = FacetFilter(
        label=_("Organisation"),
        method="filter_organisation",
        invalid_choice=_("No published case concerns the organisation “%(value)s”."),
    )
    year = FacetFilter(
        label=_("Year"),
        method="filter_year",
        invalid_choice=_("“%(value)s” is not a year."),
        help_text=_("Cases that started or had a status change that year."),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=SortOrder.choices,
        empty_label=None,
        method="keep_order",
        error_messages={"invalid_choice": _("“%(value)s” is not a way to sort the cases.")},
    )

    facets = ("country", "charge", "status", "organisation", "year")

    class Meta:
        model = Case
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "country" in data:
            # Codes are upper case; accept the ones typed in lower case too.
            data = data.copy()
            data.setlist("country", [code.strip().upper() for code in data.getlist("country")])
        super().__init__(data, *args, **kwargs)
        self.choice_names: dict[str, dict[str, str]] = {}
        self.set_choices()

    def set_choices(self):
        """Offer what the published cases hold, with how many cases hold each.

        The counts, and the choices named in the request's language, are
        computed once for each version of the public data (cases.facets).
        """
        self.counts = published_facets()
        named = cached_for(
            self.counts, f"choices:{translation.get_language()}", lambda: _named(self.counts)
        )
        self._offer(
            "country",
            named["country"],
            known=lambda code: code in countries,
            name_of=lambda code: countries.name(code),
        )
        self._offer("charge", named["charge"])
        self._offer(
            "status",
            named["status"],
            known=lambda value: value in Status.values,
            name_of=lambda value: Status(value).label,
        )
        self._offer("organisation", named["organisation"])
        self._offer("year", named["year"], known=_is_year, name_of=str)

    def _offer(
        self,
        name: str,
        named: list[tuple[str, str, int]],
        known: Callable[[str], bool] = lambda value: False,
        name_of: Callable[[str], str] = str,
    ):
        names = {value: label for value, label, _count in named}
        counts = {value: count for value, _label, count in named}
        for value in self.data.getlist(name):
            if value not in names and known(value):
                names[value], counts[value] = str(capfirst(name_of(value))), 0
        self.choice_names[name] = names
        self.filters[name].extra["choices"] = [
            (value, f"{label} ({counts[value]})") for value, label in names.items()
        ]

    # Each filter takes the queryset, the parameter's name and its cleaned value.

    def filter_q(self, queryset, name, value):
        return search.matching(queryset, value, max_words=MAX_SEARCH_WORDS)

    def filter_country(self, queryset, name, value):
        return queryset.filter(country__in=value)

    # Charges and organisations by id rather than through a join on their
    # slugs: then PostgreSQL knows how many cases each one has, and plans for it.
    # Every valid slug is in the counts, which offer the choices.

    def filter_charge(self, queryset, name, value):
        ids = [self.counts.charge_ids[slug] for slug in value if slug in self.counts.charge_ids]
        links = CaseCharge.objects.filter(charge__in=ids)
        return queryset.filter(pk__in=links.values("case_id"))

    def filter_status(self, queryset, name, value):
        return queryset.filter(current_status__in=value)

    def filter_organisation(self, queryset, name, value):
        ids = [
            self.counts.organisation_ids[slug]
            for slug in value
            if slug in self.counts.organisation_ids
        ]
        links = CaseOrganisation.objects.filter(organisation__in=ids)
        return queryset.filter(pk__in=links.values("case_id"))

    def filter_year(self, queryset, name, value):
        # The years in which a case started or had a status change, as the
        # database keeps them (CaseYear): the same cases as looking for the
        # year among the start dates and every status change, which took
        # 1.1-1.3 s at 1,000,000 cases, against 0.25 s (docs/benchmarks.md).
        years = sorted({int(year) for year in value})
        return queryset.filter(pk__in=CaseYear.objects.filter(year__in=years).values("case_id"))

    def keep_order(self, queryset, name, value):
        return queryset  # filter_queryset() sorts, also when no sort is asked for

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        order = self.form.cleaned_data.get("sort") or SortOrder.UPDATED
        if order == SortOrder.STARTED:
            return queryset.order_by(F("start_date").desc(nulls_last=True), "title", "pk")
        if order == SortOrder.TITLE:
            return queryset.order_by("title", "pk")
        return queryset.recently_updated()

    def count(self) -> int:
        """How many cases the filters select, when the queryset is the published
        cases: the total of the counts if nothing narrows the list, else counted once
        for each version of the public data (paging through a list, or sorting
        it otherwise, does not count it again). Call only when the filterset is valid."""
        if not self.is_narrowed:
            return self.counts.case_count
        chosen = sorted(
            (name, value if isinstance(value, str) else sorted(value))
            for name, value in self.form.cleaned_data.items()
            if value and name != "sort"
        )
        key = hashlib.sha256(repr(chosen).encode()).hexdigest()
        # Narrowed by country, charge or organisation alone, the count changes
        # only with what the counts by charge and organisation count: a
        # status change elsewhere leaves it as it was (cases.facets).
        linked = {name for name, _value in chosen} <= {"country", "charge", "organisation"}
        return cached_for(self.counts, f"count:{key}", self.qs.count, linked=linked)

    @property
    def is_narrowed(self) -> bool:
        """Whether any filter or search is in use (sorting does not count)."""
        return any(
            value.strip() for name in ("q", *self.facets) for value in self.data.getlist(name)
        )

    def summary(self) -> str:
        """What the list is narrowed by, in a line: 'Kazakhstan, Suspect, “Kurmanov”'.

        Call only when the filterset is valid.
        """
        return ", ".join(
            f"“{active['value']}”" if active["name"] == "q" else active["value"]
            for active in self.active_filters()
        )

    def active_filters(self) -> list[dict[str, str]]:
        """What the list is narrowed by, each with the query string that removes it.

        Call only when the filterset is valid.
        """
        active = []
        if self.form.cleaned_data.get("q"):
            active.append(self._removable("q", self.form.cleaned_data["q"], remove_all=True))
        for name in self.facets:
            for value in dict.fromkeys(self.form.cleaned_data.get(name) or []):
                active.append(self._removable(name, value))
        return active

    def _removable(self, name: str, value: str, remove_all: bool = False) -> dict[str, str]:
        rest = self.data.copy()
        rest.pop("page", None)
        if remove_all:
            rest.pop(name, None)
        else:
            rest.setlist(name, [v for v in rest.getlist(name) if v != value])
        return {
            "name": name,
            "filter": self.filters[name].label,
            "value": value if remove_all else self.choice_names[name][value],
            "query": rest.urlencode(),
        }
