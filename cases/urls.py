from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("charges/<slug:slug>/", views.charge_detail, name="charge_detail"),
]
