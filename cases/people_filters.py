"""The filters of the public list of people, /people/.

The people are those persecuted in published cases (not the officials,
lawyers or relatives named in them). Every filter narrows the same
participation: /people/?country=KZ&held=now is everyone held now in a case in
Kazakhstan, not someone held in Russia who has a finished case in Kazakhstan.
As on the case list (cases/filters.py), the checkboxes offer what the
published cases hold with their numbers of people, counted once per version
of the public data; a valid value that matches nothing today gives an empty
list and an invalid one a message.
"""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Count
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import custody
from .facets import Facets, cached_for, published_facets
from .filters import FacetFilter, charge_label
from .models import Case, Category, Person, PlaceOfDetention

HELD_NOW = custody.HELD_NOW


class YearField(forms.IntegerField):
    """A year from 1900 to this one, as the headline figures link to it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("error_messages", {"invalid": _("“%(value)s” is not a year.")})
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and value > datetime.date.today().year:
            raise forms.ValidationError(_("“%(value)s” is not a year."), params={"value": value})


class YearFilter(django_filters.Filter):
    field_class = YearField


def people_counts(facets: Facets) -> dict:
    """The people persecuted in published cases, counted once for the version of
    FACETS: {filter: [(value, number of people)]}, with the English names of
    places and categories ({filter: {value: name}}) and their ids."""

    def count():
        participations = custody.persecuted_participations(Case.objects.published())

        def people(rows):
            return rows.annotate(number=Count("person", distinct=True)).order_by()

        by_country = people(participations.values_list("case__country"))
        by_charge = people(
            participations.exclude(case__charge_links=None).values_list(
                "case__charge_links__charge"
            )
        )
        slugs = {pk: slug for slug, pk in facets.charge_ids.items()}
        held = custody.held_now(participations).values("person").distinct().count()
        by_place = (
            custody.open_episodes()
            .filter(participant__in=participations)
            .exclude(place=None)
            .values_list("place", "place__slug")
            .annotate(number=Count("participant__person", distinct=True))
            .order_by()
        )
        by_category = people(
            participations.exclude(case__category_links=None).values_list(
                "case__category_links__category", "case__category_links__category__slug"
            )
        )
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            places = {
                p.pk: str(p)
                for p in PlaceOfDetention.objects.filter(pk__in=[r[0] for r in by_place])
            }
            categories = {
                c.pk: str(c) for c in Category.objects.filter(pk__in=[r[0] for r in by_category])
            }
        return {
            "country": list(by_country),
            "charge": [(slugs[pk], n) for pk, n in by_charge if pk in slugs],
            "held": [(HELD_NOW, held)] if held else [],
            "place": [(slug, n) for _pk, slug, n in by_place],
            "category": [(slug, n) for _pk, slug, n in by_category],
            "names": {
                "place": {slug: places[pk] for pk, slug, _n in by_place},
                "category": {slug: categories[pk] for pk, slug, _n in by_category},
            },
            "ids": {
                "place": {slug: pk for pk, slug, _n in by_place},
                "category": {slug: pk for pk, slug, _n in by_category},
            },
        }

    return cached_for(facets, "people-counts", count)


class PersonFilter(django_filters.FilterSet):
    """Filters for the people persecuted in published cases; see the module's docstring."""

    country = FacetFilter(
        label=_("Country"),
        method="filter_country",
        invalid_choice=_("“%(value)s” is not a country code. Use two letters, such as KZ."),
    )
    held = FacetFilter(
        label=_("Held"),
        method="filter_held",
        invalid_choice=_("“%(value)s” is not a choice here: use “now”."),
        help_text=_("A deprivation of liberty recorded for them has begun and has not ended."),
    )
    place = FacetFilter(
        label=_("Place of detention"),
        method="filter_place",
        invalid_choice=_("No one in a published case is held at “%(value)s”."),
        help_text=_("Where they are held now."),
    )
    category = FacetFilter(
        label=_("Category"),
        method="filter_category",
        invalid_choice=_("No published case is in the category “%(value)s”."),
    )
    charge = FacetFilter(
        label=_("Charge"),
        method="filter_charge",
        invalid_choice=_("No published case has the charge “%(value)s”."),
    )
    detained = YearFilter(label=_("Detained in"), method="filter_detained")
    released = YearFilter(label=_("Released in"), method="filter_released")

    facets = ("country", "held", "place", "category", "charge")

    class Meta:
        model = Person
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "country" in data:
            data = data.copy()
            data.setlist("country", [code.strip().upper() for code in data.getlist("country")])
        super().__init__(data, *args, **kwargs)
        self.choice_names: dict[str, dict[str, str]] = {}
        self.facet_counts = published_facets()
        self.people_counts = counts = people_counts(self.facet_counts)
        names = cached_for(
            self.facet_counts,
            f"people-choices:{translation.get_language()}",
            lambda: self._names(counts),
        )
        for name in self.facets:
            chosen = {
                value: str(capfirst(self._name_of(name, value)))
                for value in self.data.getlist(name)
                if value not in names[name] and self._is_known(name, value)
            }
            self.choice_names[name] = {**names[name], **chosen}
            numbers = dict(counts[name])
            self.filters[name].extra["choices"] = [
                (value, f"{label} ({numbers.get(value, 0)})")
                for value, label in self.choice_names[name].items()
            ]

    def _names(self, counts) -> dict[str, dict[str, str]]:
        charges = {slug: row for slug, *row in self.facet_counts.charges}
        named_countries = sorted(
            ((code, str(countries.name(code))) for code, _n in counts["country"]),
            key=lambda row: row[1],
        )
        return {
            "country": dict(named_countries),
            "held": {value: str(capfirst(_("held now"))) for value, _n in counts["held"]},
            "place": {slug: counts["names"]["place"][slug] for slug, _n in counts["place"]},
            "category": {
                slug: str(capfirst(counts["names"]["category"][slug]))
                for slug, _n in counts["category"]
            },
            "charge": {
                slug: str(capfirst(charge_label(*charges[slug][:3])))
                for slug, _n in counts["charge"]
            },
        }

    def _is_known(self, name: str, value: str) -> bool:
        if name == "country":
            return value in countries
        return name == "held" and value == HELD_NOW

    def _name_of(self, name: str, value: str) -> str:
        return countries.name(value) if name == "country" else _("held now")

    def participations(self):
        """The participations the filters keep; call only when the filterset is valid."""
        participations = custody.persecuted_participations(Case.objects.published())
        data = self.form.cleaned_data
        if data.get("country"):
            participations = participations.filter(case__country__in=data["country"])
        if data.get("held"):
            participations = custody.held_now(participations)
        if data.get("place"):
            ids = [self.people_counts["ids"]["place"].get(slug) for slug in data["place"]]
            participations = custody.held_now(participations, place_ids=ids)
        if data.get("category"):
            ids = [self.people_counts["ids"]["category"].get(slug) for slug in data["category"]]
            participations = participations.filter(case__category_links__category__in=ids)
        if data.get("charge"):
            ids = [self.facet_counts.charge_ids.get(slug) for slug in data["charge"]]
            participations = participations.filter(case__charge_links__charge__in=ids)
        if data.get("detained"):
            participations = custody.detained_in(participations, data["detained"])
        if data.get("released"):
            participations = custody.released_in(participations, data["released"])
        return participations

    # The filters narrow one participation together (participations() above),
    # not the people one after the other.

    def filter_country(self, queryset, name, value):
        return queryset

    filter_held = filter_place = filter_category = filter_charge = filter_country
    filter_detained = filter_released = filter_country

    def filter_queryset(self, queryset):
        people = self.participations().values("person_id")
        return queryset.filter(pk__in=people).order_by("name", "pk")

    @property
    def is_narrowed(self) -> bool:
        return any(
            value.strip()
            for name in (*self.facets, "detained", "released")
            for value in self.data.getlist(name)
        )

    def active_filters(self) -> list[dict[str, str]]:
        """What the list is narrowed by, each with the query string that removes it."""
        active = []
        for name in self.facets:
            for value in dict.fromkeys(self.form.cleaned_data.get(name) or []):
                active.append(self._removable(name, value, self.choice_names[name][value]))
        for name in ("detained", "released"):
            if self.form.cleaned_data.get(name):
                year = str(self.form.cleaned_data[name])
                active.append(self._removable(name, year, year, remove_all=True))
        return active

    def _removable(self, name, value, label, remove_all=False):
        rest = self.data.copy()
        rest.pop("page", None)
        if remove_all:
            rest.pop(name, None)
        else:
            rest.setlist(name, [v for v in rest.getlist(name) if v != value])
        return {"filter": self.filters[name].label, "value": label, "query": rest.urlencode()}
