"""/api/v1/: the API's resources, its OpenAPI schema and its documentation."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False  # one address for each resource: /cases/, not /cases.json
router.register("cases", views.CaseViewSet, basename="case")
router.register("people", views.PersonViewSet, basename="person")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("charges", views.ChargeViewSet, basename="charge")
router.register("places", views.PlaceOfDetentionViewSet, basename="place")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its script from a URL rather than inline, as the CSP requires.
    path("docs/", views.DocumentationView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Any other address, such as /api/v1/cases/a.b/: the API's own 404, in JSON.
    re_path(r"^[\s\S]*\Z", views.not_found),
]
