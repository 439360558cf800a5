from django.urls import path
from django.views.decorators.http import require_safe

from . import detention_views, exports, feeds, people_exports, views

# Feeds answer GET and HEAD only: Django's Feed would send itself for any method.
urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", require_safe(feeds.StatusChangesFeed()), name="feed"),
    path("cases/", views.case_list, name="case_list"),
    # Slugs hold no dots, so these cannot be taken for a case's address.
    path("cases/export.csv", exports.export_csv, name="cases_export_csv"),
    path("cases/export.json", exports.export_json, name="cases_export_json"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("cases/<slug:slug>/feed/", require_safe(feeds.CaseStatusChangesFeed()), name="case_feed"),
    path(
        "countries/<str:code>/feed/",
        require_safe(feeds.CountryStatusChangesFeed()),
        name="country_feed",
    ),
    path("people/", views.person_list, name="person_list"),
    # Slugs hold no dots, so these cannot be taken for a person's address.
    path("people/export.csv", people_exports.export_people_csv, name="people_export_csv"),
    path("people/export.json", people_exports.export_people_json, name="people_export_json"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("people/<slug:slug>/letter/", detention_views.person_letter, name="person_letter"),
    path("places/<slug:slug>/", detention_views.place_detail, name="place_detail"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("charges/<slug:slug>/", views.charge_detail, name="charge_detail"),
    path(
        "charges/<slug:slug>/feed/",
        require_safe(feeds.ChargeStatusChangesFeed()),
        name="charge_feed",
    ),
]
