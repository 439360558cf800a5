"""Read-only viewsets of the API. Each starts from a published queryset, as the
public pages do, and makes the same number of queries whatever the number of
rows on a page."""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from ..models import (
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    CaseSource,
    Charge,
    Organisation,
    Person,
    PlaceOfDetentionSource,
    StatusChange,
)
from .facts import (
    CaseFactsMixin,
    PersonFactsMixin,
    PlaceOfDetentionSerializer,
    case_facts_prefetch,
    public_places,
    recognitions_prefetch,
    with_held_now,
)
from .filters import CaseAPIFilter
from .serializers import (
    CaseDetailSerializer,
    CaseSummarySerializer,
    ChargeSerializer,
    OrganisationSerializer,
    PersonSerializer,
)

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"

NOT_FOUND = OpenApiResponse(
    response={
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    description=_("No such published object, or no such page."),
)
BAD_FILTERS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description=_("A filter has a value that cannot be used: for each such parameter, why."),
)


class CaseWithFactsSerializer(CaseFactsMixin, CaseDetailSerializer):
    """A published case with its timeline and the facts of its people:
    categories, detentions, verdicts and sentences."""


class PersonWithFactsSerializer(PersonFactsMixin, PersonSerializer):
    """A person in a published case, whether held now, and their recognitions."""


def _documented(list_summary, one_summary, serializer):
    return extend_schema_view(
        list=extend_schema(
            summary=list_summary,
            responses={200: serializer(many=True), 404: NOT_FOUND},
        ),
        retrieve=extend_schema(
            summary=one_summary,
            responses={200: serializer, 404: NOT_FOUND},
        ),
    )


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN


def _in_published_cases(links):
    """Of LINKS (to cases), those to published cases, each with its case."""
    return links.filter(case__in=Case.objects.published()).select_related("case")


@extend_schema_view(
    list=extend_schema(
        summary=_("Published cases"),
        description=_(
            "The cases the list at /cases/ shows for the same filters, in the "
            "same order. Several values of one parameter widen the list (OR); different "
            "parameters narrow it (AND)."
        ),
        responses={200: CaseSummarySerializer(many=True), 400: BAD_FILTERS, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary=_("One published case, with its timeline"),
        responses={200: CaseWithFactsSerializer, 404: NOT_FOUND},
    ),
)
class CaseViewSet(ReadOnlyViewSet):
    filterset_class = CaseAPIFilter

    def get_queryset(self):
        cases = Case.objects.published().for_list().with_organisations()
        if self.action == "list":
            return cases
        return cases.prefetch_related(
            Prefetch(
                "source_links", queryset=CaseSource.objects.select_related("source").order_by("pk")
            ),
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.chronological().for_timeline(),
            ),
            *case_facts_prefetch(),
        )

    def get_serializer_class(self):
        return CaseSummarySerializer if self.action == "list" else CaseWithFactsSerializer

    def filter_queryset(self, queryset):
        # The filters are the list's: a case's own address takes no filters.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


@_documented(
    _("People in published cases"), _("One person in a published case"), PersonWithFactsSerializer
)
class PersonViewSet(ReadOnlyViewSet):
    serializer_class = PersonWithFactsSerializer
    queryset = with_held_now(
        Person.objects.public()
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=_in_published_cases(CaseParticipant.objects.order_by("pk")),
                to_attr="public_participations",
            ),
            recognitions_prefetch(),
        )
    )


@_documented(
    _("Places of detention"),
    _("One place of detention, with how to write to it"),
    PlaceOfDetentionSerializer,
)
class PlaceOfDetentionViewSet(ReadOnlyViewSet):
    """Places where someone in a published case was or is held."""

    serializer_class = PlaceOfDetentionSerializer

    def get_queryset(self):
        # Read per request: public_places() is a subquery of published cases.
        return (
            public_places()
            .order_by("name", "pk")
            .prefetch_related(
                Prefetch(
                    "source_links",
                    queryset=PlaceOfDetentionSource.objects.select_related("source").order_by("pk"),
                )
            )
        )


@_documented(
    _("Organisations in published cases"),
    _("One organisation in a published case"),
    OrganisationSerializer,
)
class OrganisationViewSet(ReadOnlyViewSet):
    serializer_class = OrganisationSerializer
    queryset = (
        Organisation.objects.public()
        .order_by("name", "pk")
        .select_related("parent")
        .annotate(
            parent_is_public=Exists(Organisation.objects.public().filter(pk=OuterRef("parent_id")))
        )
        .prefetch_related(
            Prefetch(
                "case_links",
                queryset=_in_published_cases(CaseOrganisation.objects.order_by("pk")),
                to_attr="public_case_links",
            )
        )
    )


@_documented(_("Charges in published cases"), _("One charge in a published case"), ChargeSerializer)
class ChargeViewSet(ReadOnlyViewSet):
    serializer_class = ChargeSerializer
    queryset = (
        Charge.objects.public()
        .order_by("country", "name", "pk")
        .prefetch_related(
            Prefetch(
                "case_links",
                queryset=_in_published_cases(CaseCharge.objects.order_by("pk")),
                to_attr="public_case_links",
            )
        )
    )


def not_found(request, *args, **kwargs):
    """An address under /api/v1/ that names nothing: a 404 in JSON, as the API's own are."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)


class DocumentationView(SpectacularSwaggerSplitView):
    """The Swagger UI page of /api/v1/docs/. It is rendered by a template, which
    DRF's answer to OPTIONS (its metadata, as data) does not have: that answer
    was a TemplateDoesNotExist, a 500. OPTIONS gets Django's plain answer
    instead: 200, with the allowed methods in the Allow header."""

    def options(self, request, *args, **kwargs):
        return View.options(self, request, *args, **kwargs)
