"""The facts of issue 15 in the API: detentions, verdicts and sentences,
places of detention, recognitions and categories.

Rows have no number in the API (numbers would tell how many are hidden): a
verdict on appeal names the verdict it reviewed by its place in the same
case's list of verdicts. Codes are codes, dates partial, as elsewhere.
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    CaseCategory,
    Detention,
    DetentionSource,
    PlaceOfDetention,
    Recognition,
    Verdict,
    VerdictCharge,
    VerdictSource,
)
from ..models.detentions import held_now
from .serializers import CountryCodeField, PartialDateField, SourceSerializer


def public_places():
    """The places of detention where someone in a published case was or is held."""
    return PlaceOfDetention.objects.filter(pk__in=Detention.objects.published().values("place_id"))


def with_held_now(people):
    """PEOPLE, each with held_now: whether the public knows them held today
    (cases.models.detentions.held_now, in published cases)."""
    return people.annotate(
        held_now=Exists(
            Detention.objects.published().filter(held_now(), participant__person=OuterRef("pk"))
        )
    )


def case_facts_prefetch() -> list:
    """What CaseFactsMixin reads of a case, for the case's queryset."""
    return [
        Prefetch(
            "category_links",
            queryset=CaseCategory.objects.select_related("category").order_by("pk"),
        ),
        Prefetch(
            "detentions",
            queryset=Detention.objects.select_related("participant__person", "place")
            .prefetch_related(
                Prefetch(
                    "source_links",
                    queryset=DetentionSource.objects.select_related("source").order_by("pk"),
                )
            )
            .order_by("start", "pk"),
        ),
        Prefetch(
            "verdicts",
            queryset=Verdict.objects.select_related("participant__person", "court")
            .prefetch_related(
                Prefetch(
                    "charge_links",
                    queryset=VerdictCharge.objects.select_related("charge").order_by("pk"),
                ),
                Prefetch(
                    "source_links",
                    queryset=VerdictSource.objects.select_related("source").order_by("pk"),
                ),
            )
            .order_by("date", "pk"),
        ),
    ]


def recognitions_prefetch() -> Prefetch:
    return Prefetch(
        "recognitions",
        queryset=Recognition.objects.select_related("organisation", "source").order_by(
            "date", "pk"
        ),
    )


class PlaceSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=PlaceOfDetention.Kind.choices)
    country = CountryCodeField()
    place = serializers.CharField(help_text=_("The town or region."))


class PlaceOfDetentionSerializer(PlaceSummarySerializer):
    other_names = serializers.SerializerMethodField(help_text=_("Other spellings seen in sources."))
    regime = serializers.CharField(help_text=_("A regime code, or empty."))
    postal_address = serializers.CharField(
        help_text=_("For letters, without the prisoner's name; empty when not known.")
    )
    letters_reach = serializers.CharField(help_text=_("yes, sometimes, no, or empty: not known."))
    letter_language = serializers.CharField()
    letter_advice = serializers.CharField()
    sources = serializers.SerializerMethodField()

    def get_other_names(self, place) -> list[str]:
        return place.spellings[1:]

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, place):
        sources = [link.source for link in place.source_links.all()]
        return SourceSerializer(sources, many=True, context=self.context).data


class DetentionSerializer(serializers.Serializer):
    person = serializers.CharField(
        source="participant.person.slug", help_text=_("A person's slug.")
    )
    kind = serializers.ChoiceField(choices=Detention.Kind.choices)
    start = PartialDateField("start", "start_precision")
    may_have_begun_earlier = serializers.BooleanField(
        help_text=_("The source says only that the person was held by the start date.")
    )
    end = PartialDateField("end", "end_precision", help_text=_("Null while the person is held."))
    place = PlaceSummarySerializer(allow_null=True, help_text=_("Null when sources do not say."))
    note = serializers.CharField()
    sources = serializers.SerializerMethodField()

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, detention):
        sources = [link.source for link in detention.source_links.all()]
        return SourceSerializer(sources, many=True, context=self.context).data


class TermSerializer(serializers.Serializer):
    years = serializers.IntegerField(source="term_years", allow_null=True)
    months = serializers.IntegerField(source="term_months", allow_null=True)
    days = serializers.IntegerField(source="term_days", allow_null=True)


class SentenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(source="sentence_kind", choices=Verdict.SentenceKind.choices)
    term = serializers.SerializerMethodField()
    regime = serializers.CharField(help_text=_("A regime code, or empty."))
    note = serializers.CharField(source="sentence_note")
    start = PartialDateField("sentence_start", "sentence_start_precision")
    expected_release = PartialDateField(
        "expected_release",
        "expected_release_precision",
        help_text=_("Derived from the term and its start when both are known, at its precision."),
    )

    @extend_schema_field(TermSerializer(allow_null=True))
    def get_term(self, verdict):
        return TermSerializer(verdict).data if verdict.has_term else None


class CourtSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class VerdictSerializer(serializers.Serializer):
    person = serializers.CharField(
        source="participant.person.slug", help_text=_("A person's slug.")
    )
    date = PartialDateField("date", "date_precision")
    court = CourtSerializer(allow_null=True)
    outcome = serializers.ChoiceField(choices=Verdict.Outcome.choices)
    appeal_of = serializers.SerializerMethodField(
        help_text=_(
            "For a verdict on appeal: the place, from 0, of the verdict it reviewed in this list."
        )
    )
    articles = serializers.SerializerMethodField(
        help_text=_("The slugs of the charges it convicted on.")
    )
    sentence = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_appeal_of(self, verdict):
        if verdict.appeal_of_id is None:
            return None
        order = [other.pk for other in verdict.case.verdicts.all()]
        return order.index(verdict.appeal_of_id) if verdict.appeal_of_id in order else None

    def get_articles(self, verdict) -> list[str]:
        return [link.charge.slug for link in verdict.charge_links.all()]

    @extend_schema_field(SentenceSerializer(allow_null=True))
    def get_sentence(self, verdict):
        return SentenceSerializer(verdict).data if verdict.sentence_kind else None

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, verdict):
        sources = [link.source for link in verdict.source_links.all()]
        return SourceSerializer(sources, many=True, context=self.context).data


class CategorySerializer(serializers.Serializer):
    slug = serializers.SlugField(source="category.slug")
    name = serializers.CharField(source="category.name")


class CaseFactsMixin(serializers.Serializer):
    """A case's categories, detentions and verdicts (needs case_facts_prefetch())."""

    categories = CategorySerializer(source="category_links", many=True)
    detentions = DetentionSerializer(many=True)
    verdicts = VerdictSerializer(many=True)


class RecognitionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Recognition.Kind.choices)
    organisation = CourtSerializer()
    date = PartialDateField("date", "date_precision")
    source = SourceSerializer(allow_null=True)


class PersonFactsMixin(serializers.Serializer):
    """A person's sex, whether held now, and recognitions (needs with_held_now()
    and recognitions_prefetch())."""

    sex = serializers.SerializerMethodField(help_text=_("female, male, or null: not recorded."))
    held_now = serializers.BooleanField(
        help_text=_(
            "Whether a detention in a published case holds the person today: it has "
            "begun and has no end recorded."
        )
    )
    recognitions = RecognitionSerializer(many=True)

    @extend_schema_field({"type": "string", "nullable": True, "enum": ["female", "male", None]})
    def get_sex(self, person):
        return person.sex or None
