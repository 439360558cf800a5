"""What the API, and the exports, say about each published thing.

CaseSummarySerializer is one case as a list shows it; the JSON export writes
exactly that, and the CSV export flattens it (cases/exports.py).

Codes (status, role, state, country) are given as codes, not as the words
of the visitor's language, so that the data reads the same everywhere.
Dates known only to the month or year are ISO 8601 strings of that
precision: "2011-09-14", "2011-09" or "2011".

Prose (titles, summaries, names of charges and organisations, bios, ...;
cases/translation.py) is in the language asked for, or the English where it
has no translation yet. In an answer in Russian or Kazakh, each text has its
language beside it (`title_language`: "ru", or "en" where the English stands
in), so that a program can tell the two apart; an answer in English, all of it
English, has none (and the downloads in English stay as they were).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    Charge,
    Organisation,
    Status,
)
from ..models.partial_dates import iso_partial_date
from ..translation import ORIGINAL, language_of, reader_language

PARTIAL_DATE_SCHEMA = {
    "type": "string",
    "nullable": True,
    "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
    "description": _("ISO 8601, as precise as it is known: 2011-09-14, 2011-09 or 2011."),
}


@extend_schema_field(PARTIAL_DATE_SCHEMA)
class PartialDateField(serializers.Field):
    """A date with its precision, read from two attributes: "2011-09", or null."""

    def __init__(self, date_attribute, precision_attribute, **kwargs):
        self.date_attribute, self.precision_attribute = date_attribute, precision_attribute
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        date = getattr(value, self.date_attribute)
        if date is None:
            return None
        return iso_partial_date(date, getattr(value, self.precision_attribute) or "year")


@extend_schema_field({"type": "string", "nullable": True, "pattern": "^[A-Z]{2}$", "example": "KZ"})
class CountryCodeField(serializers.Field):
    """An ISO 3166-1 alpha-2 code, or null when none is recorded."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.code or None


@extend_schema_field(OpenApiTypes.URI)
class PageField(serializers.Field):
    """The full address of the object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


@extend_schema_field({"type": "string", "nullable": True, "enum": [*Status.values, None]})
class StatusField(serializers.Field):
    """A status code, or null when no status change is recorded."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": "^(" + "|".join(settings.MODELTRANSLATION_LANGUAGES) + ")$",
        "example": "ru",
        "description": _(
            "Only in answers in Russian or Kazakh: the language of the text before it, "
            "the one asked for, or en where the English stands in for a missing translation; "
            "null when there is no text."
        ),
    }
)
class LanguageOf(serializers.Field):
    """The language of the prose at PATH ("title", "charge.name") of the object,
    for the active language; left out of answers in English (WithProseLanguages),
    so the schema must not call it required, which it does of read-only fields:
    the API has no writes, so this one is not marked read-only."""

    def __init__(self, path: str, **kwargs):
        self.path = path
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, value):
        *owners, name = self.path.split(".")
        for owner in owners:
            value = getattr(value, owner)
        return language_of(value, name)


class WithProseLanguages:
    # A serializer whose LanguageOf fields are given in Russian and Kazakh only.
    # (A comment, not a docstring: the schema would describe its serializers by it.)

    @property
    def _readable_fields(self):
        english = reader_language() == ORIGINAL
        for field in super()._readable_fields:
            if not (english and isinstance(field, LanguageOf)):
                yield field


def api_link(view_name):
    return serializers.HyperlinkedIdentityField(view_name=f"api:{view_name}", lookup_field="slug")


# The people, charges and organisations in a case, as a list of cases shows them.


class ParticipantSummarySerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="person.slug")
    name = serializers.CharField(source="person.name")

    current_status = StatusField()
    kind = serializers.ChoiceField(choices=CaseParticipant.Kind.choices, read_only=True)

    class Meta:
        model = CaseParticipant
        fields = ["slug", "name", "role", "current_status", "kind"]


class CaseChargeSummarySerializer(WithProseLanguages, serializers.ModelSerializer):
    slug = serializers.CharField(source="charge.slug")
    name = serializers.CharField(source="charge.name")
    name_language = LanguageOf("charge.name")
    name_transliterated = serializers.CharField(source="charge.name_transliterated")

    class Meta:
        model = CaseCharge
        fields = ["slug", "name", "name_language", "name_transliterated", "state"]


class CaseOrganisationSummarySerializer(WithProseLanguages, serializers.ModelSerializer):
    slug = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    name_language = LanguageOf("organisation.name")
    acronym = serializers.CharField(source="organisation.acronym")

    class Meta:
        model = CaseOrganisation
        fields = ["slug", "name", "name_language", "acronym", "role"]


class CaseSummarySerializer(WithProseLanguages, serializers.Serializer):
    """A published case, as the case list and the exports show it."""

    # Needs participants (with people), charge_links (with charges) and
    # organisation_links (with organisations) prefetched.

    url = PageField(help_text=_("The case's page."))
    api_url = api_link("case-detail")
    slug = serializers.SlugField()
    title = serializers.CharField()
    title_language = LanguageOf("title")
    country = CountryCodeField()
    country_name = serializers.CharField(source="country.name")
    current_status = StatusField()
    last_status_change = PartialDateField("last_status_change_on", "last_status_change_precision")
    people = ParticipantSummarySerializer(source="participants", many=True)
    charges = CaseChargeSummarySerializer(source="charge_links", many=True)
    organisations = CaseOrganisationSummarySerializer(source="organisation_links", many=True)


# One case with everything its page shows.


class SourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("Empty when the source is not online."))
    archive_url = serializers.CharField()
    publisher = serializers.CharField()
    author = serializers.CharField()
    published_on = PartialDateField("published_on", "published_on_precision")


class ParticipantSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="person.slug")
    name = serializers.CharField(source="person.name")
    name_original = serializers.CharField(source="person.name_original")
    api_url = serializers.HyperlinkedRelatedField(
        source="person", view_name="api:person-detail", lookup_field="slug", read_only=True
    )
    current_status = StatusField()
    kind = serializers.ChoiceField(
        choices=CaseParticipant.Kind.choices,
        read_only=True,
        help_text=_(
            "persecuted, official (named in the case as acting for the state) or other_actor"
        ),
    )

    class Meta:
        model = CaseParticipant
        fields = [
            "slug",
            "name",
            "name_original",
            "api_url",
            "role",
            "kind",
            "note",
            "current_status",
        ]


class CaseChargeSerializer(WithProseLanguages, serializers.ModelSerializer):
    slug = serializers.CharField(source="charge.slug")
    name = serializers.CharField(source="charge.name")
    name_language = LanguageOf("charge.name")
    name_original = serializers.CharField(source="charge.name_original")
    name_transliterated = serializers.CharField(source="charge.name_transliterated")
    citation = serializers.CharField(source="charge.citation")
    api_url = serializers.HyperlinkedRelatedField(
        source="charge", view_name="api:charge-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = CaseCharge
        fields = [
            "slug",
            "name",
            "name_language",
            "name_original",
            "name_transliterated",
            "citation",
            "api_url",
            "state",
            "note",
        ]


class CaseOrganisationSerializer(WithProseLanguages, serializers.ModelSerializer):
    slug = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    name_language = LanguageOf("organisation.name")
    acronym = serializers.CharField(source="organisation.acronym")
    api_url = serializers.HyperlinkedRelatedField(
        source="organisation",
        view_name="api:organisation-detail",
        lookup_field="slug",
        read_only=True,
    )

    class Meta:
        model = CaseOrganisation
        fields = ["slug", "name", "name_language", "acronym", "api_url", "role", "note"]


class StatusChangeSerializer(WithProseLanguages, serializers.Serializer):
    id = serializers.CharField(
        source="public_id",
        help_text=_("A random id: entries are not numbered, so no gap tells of hidden ones."),
    )
    url = serializers.SerializerMethodField(help_text=_("The entry on the case's page."))
    date = PartialDateField("date", "date_precision")
    status = serializers.ChoiceField(choices=Status.choices)
    headline = serializers.CharField()
    headline_language = LanguageOf("headline")
    description = serializers.CharField()
    description_language = LanguageOf("description")
    people = serializers.SerializerMethodField(help_text=_("The slugs of the people it concerns."))
    sources = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, change):
        return self.context["request"].build_absolute_uri(change.get_absolute_url())

    def get_people(self, change) -> list[str]:
        return [link.participant.person.slug for link in change.participant_links.all()]

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, change):
        sources = [link.source for link in change.source_links.all()]
        return SourceSerializer(sources, many=True, context=self.context).data


class CaseDetailSerializer(CaseSummarySerializer):
    """A published case with its people, charges, organisations, sources and timeline."""

    # Needs what CaseSummarySerializer needs, and source_links (with sources)
    # and status_changes (with their people and sources) prefetched.

    summary = serializers.CharField()
    summary_language = LanguageOf("summary")
    region = serializers.CharField()
    start_date = PartialDateField("start_date", "start_date_precision")
    call_to_action = serializers.CharField()
    call_to_action_language = LanguageOf("call_to_action")
    people = ParticipantSerializer(source="participants", many=True)
    charges = CaseChargeSerializer(source="charge_links", many=True)
    organisations = CaseOrganisationSerializer(source="organisation_links", many=True)
    sources = serializers.SerializerMethodField()
    timeline = StatusChangeSerializer(source="status_changes", many=True)
    updated_at = serializers.DateTimeField()

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, case):
        sources = [link.source for link in case.source_links.all()]
        return SourceSerializer(sources, many=True, context=self.context).data


# People, organisations and charges, each with its published cases.


class CaseLinkSerializer(WithProseLanguages, serializers.Serializer):
    """A published case that a person, organisation or charge is in."""

    slug = serializers.CharField(source="case.slug")
    title = serializers.CharField(source="case.title")
    title_language = LanguageOf("case.title")
    api_url = serializers.HyperlinkedRelatedField(
        source="case", view_name="api:case-detail", lookup_field="slug", read_only=True
    )


class PersonCaseSerializer(CaseLinkSerializer):
    role = serializers.ChoiceField(choices=CaseParticipant.Role.choices)
    current_status = StatusField()


class PersonSerializer(WithProseLanguages, serializers.Serializer):
    """A person in a published case, with their published cases."""

    # Needs public_participations (published cases only, with the case) prefetched.

    url = PageField()
    api_url = api_link("person-detail")
    slug = serializers.SlugField()
    name = serializers.CharField()
    name_original = serializers.CharField()
    other_names = serializers.SerializerMethodField(help_text=_("Other spellings seen in sources."))
    occupation = serializers.CharField()
    occupation_language = LanguageOf("occupation")
    country = CountryCodeField()
    birth_date = PartialDateField("birth_date", "birth_date_precision")
    bio = serializers.CharField()
    bio_language = LanguageOf("bio")
    cases = PersonCaseSerializer(source="public_participations", many=True)

    def get_other_names(self, person) -> list[str]:
        return [name.strip() for name in person.other_names.splitlines() if name.strip()]


class OrganisationCaseSerializer(CaseLinkSerializer):
    role = serializers.ChoiceField(choices=CaseOrganisation.Role.choices)


class OrganisationSerializer(WithProseLanguages, serializers.Serializer):
    """An organisation in a published case, with its published cases."""

    # Needs public_case_links (published cases only, with the case) prefetched,
    # parent selected, and parent_is_public annotated.

    url = PageField()
    api_url = api_link("organisation-detail")
    slug = serializers.SlugField()
    name = serializers.CharField()
    name_language = LanguageOf("name")
    acronym = serializers.CharField()
    kind = serializers.ChoiceField(choices=[("", ""), *Organisation.Kind.choices])
    country = CountryCodeField()
    parent = serializers.SerializerMethodField(
        help_text=_("The slug of the organisation it is part of, when that has a public page.")
    )
    website = serializers.CharField()
    description = serializers.CharField()
    description_language = LanguageOf("description")
    cases = OrganisationCaseSerializer(source="public_case_links", many=True)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_parent(self, organisation):
        return organisation.parent.slug if organisation.parent_is_public else None


class ChargeCaseSerializer(CaseLinkSerializer):
    state = serializers.ChoiceField(choices=CaseCharge.State.choices)


class ChargeSerializer(WithProseLanguages, serializers.ModelSerializer):
    """A charge brought or threatened in a published case, with its published cases."""

    # Needs public_case_links (published cases only, with the case) prefetched.

    url = PageField()
    api_url = api_link("charge-detail")
    country = CountryCodeField()
    citation = serializers.CharField()
    name_language = LanguageOf("name")
    description_language = LanguageOf("description")
    maximum_penalty_language = LanguageOf("maximum_penalty")
    cases = ChargeCaseSerializer(source="public_case_links", many=True)

    class Meta:
        model = Charge
        fields = [
            "url",
            "api_url",
            "slug",
            "country",
            "code",
            "article",
            "citation",
            "name",
            "name_language",
            "name_original",
            "name_transliterated",
            "description",
            "description_language",
            "maximum_penalty",
            "maximum_penalty_language",
            "cases",
        ]
