"""The admin: where editors keep cases, people and their timelines."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    CallToActionTarget,
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    CaseSource,
    Charge,
    Membership,
    Organisation,
    Person,
    Relationship,
    Source,
    StatusChange,
    StatusChangeParticipant,
    StatusChangeSource,
)


class RelationshipInline(admin.TabularInline):
    model = Relationship
    fk_name = "person"
    autocomplete_fields = ["relative"]
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["organisation"]
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "name_original", "occupation", "country"]
    list_filter = ["country"]
    search_fields = ["name", "name_original", "other_names"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RelationshipInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "name_original", "other_names"]}),
        (
            _("About"),
            {
                "fields": [
                    "occupation",
                    "country",
                    ("birth_date", "birth_date_precision"),
                    "bio",
                ]
            },
        ),
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Charge)
class ChargeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_original", "country", "code", "article", "maximum_penalty"]
    list_filter = ["country"]
    search_fields = ["name", "name_original", "name_transliterated", "code", "article"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    search_fields = ["title", "publisher", "url"]
    fields = [
        "title",
        "url",
        "publisher",
        "author",
        ("published_on", "published_on_precision"),
        "archive_url",
    ]


class CaseParticipantInline(admin.TabularInline):
    model = CaseParticipant
    autocomplete_fields = ["person"]
    readonly_fields = ["current_status"]
    extra = 0


class CaseChargeInline(admin.TabularInline):
    model = CaseCharge
    autocomplete_fields = ["charge"]
    extra = 0


class CaseOrganisationInline(admin.TabularInline):
    model = CaseOrganisation
    autocomplete_fields = ["organisation"]
    extra = 0


class CaseSourceInline(admin.TabularInline):
    model = CaseSource
    autocomplete_fields = ["source"]
    extra = 0


class CallToActionTargetInline(admin.StackedInline):
    model = CallToActionTarget
    autocomplete_fields = ["organisation"]
    extra = 0


class StatusChangeTimelineInline(admin.TabularInline):
    """The case's timeline, read-only here; entries are edited on their own page."""

    model = StatusChange
    fields = ["date_display", "status", "headline"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    extra = 0
    max_num = 0
    verbose_name_plural = _("timeline")

    @admin.display(description=_("date"))
    def date_display(self, change):
        return change.date_display


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "country",
        "current_status",
        "last_status_change_on",
        "people_count",
        "publication_state",
    ]
    list_filter = ["publication_state", "country", "current_status"]
    search_fields = [
        "title",
        "participants__person__name",
        "participants__person__name_original",
        "participants__person__other_names",
    ]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["current_status", "last_status_change_on"]
    inlines = [
        CaseParticipantInline,
        CaseChargeInline,
        CaseOrganisationInline,
        CaseSourceInline,
        CallToActionTargetInline,
        StatusChangeTimelineInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary"]}),
        (
            _("Where and when"),
            {"fields": ["country", "region", ("start_date", "start_date_precision")]},
        ),
        (_("Call to action"), {"fields": ["call_to_action"]}),
        (_("Publication"), {"fields": ["publication_state", "published_at"]}),
        (_("Current status"), {"fields": ["current_status", "last_status_change_on"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("participants"))

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, case):
        return case.people_count


class StatusChangeParticipantInline(admin.TabularInline):
    model = StatusChangeParticipant
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "participant":
            queryset = CaseParticipant.objects.select_related("person", "case")
            change_id = request.resolver_match.kwargs.get("object_id")
            if change_id:
                queryset = queryset.filter(case__status_changes=change_id)
            kwargs["queryset"] = queryset
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda p: f"{p.person} — {p.case}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StatusChangeSourceInline(admin.TabularInline):
    model = StatusChangeSource
    autocomplete_fields = ["source"]
    extra = 1


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """Timeline entries. Every save brings the case's current statuses up to date."""

    list_display = ["headline", "case", "date", "date_precision", "status"]
    list_filter = ["status", "case__country"]
    list_select_related = ["case"]
    search_fields = ["headline", "case__title"]
    autocomplete_fields = ["case"]
    date_hierarchy = "date"
    fields = ["case", ("date", "date_precision"), "status", "headline", "description"]
    inlines = [StatusChangeParticipantInline, StatusChangeSourceInline]

    def get_readonly_fields(self, request, obj=None):
        # An entry stays in the case it was recorded in; its people belong there.
        return ["case"] if obj else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.update_current_statuses(form.instance.case)

    def delete_model(self, request, obj):
        case = obj.case
        super().delete_model(request, obj)
        services.update_current_statuses(case)

    def delete_queryset(self, request, queryset):
        cases = list(Case.objects.filter(status_changes__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for case in cases:
            services.update_current_statuses(case)


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "relative"]
    list_select_related = ["person", "relative"]
    autocomplete_fields = ["person", "relative"]
    search_fields = ["person__name", "relative__name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "role", "since", "until"]
    list_select_related = ["person", "organisation"]
    autocomplete_fields = ["person", "organisation"]
    search_fields = ["person__name", "organisation__name"]
