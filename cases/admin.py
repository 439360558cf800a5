"""The admin: where editors keep cases, people and their timelines."""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from . import search, services, views
from .admin_facts import (
    DETENTION_FIELDSETS,
    VERDICT_FIELDSETS,
    CaseCategoryInline,
    DetentionForm,
    DetentionInline,
    DetentionListInline,
    FactPageForm,
    PlaceOfDetentionSourceInline,
    RecognitionInline,
    VerdictForm,
    VerdictInline,
    VerdictListInline,
)
from .admin_import import import_view, publish_selected
from .admin_inlines import (
    LabelledTabularInline,
    LoadedAutocompleteMixin,
    PageInline,
    PageInlineAdminFormSet,
    PageInlineFormSet,
)
from .admin_paginator import COUNT_CAP, CappedCasePaginator, CappedPaginator, asked_page
from .admin_translation import MissingTranslationFilter, ProseAdmin, prose_search_fields
from .filters import MAX_SEARCH_WORDS
from .forms import RecordStatusChangeForm, StaleEditProtectedForm, lock_case_of
from .models import (
    CallToActionTarget,
    Case,
    CaseCharge,
    CaseOrganisation,
    CaseParticipant,
    CaseSource,
    CaseYear,
    Category,
    Charge,
    Detention,
    Membership,
    Organisation,
    Person,
    Picture,
    PlaceOfDetention,
    Relationship,
    Source,
    StatusChange,
    StatusChangeParticipant,
    StatusChangeSource,
    Verdict,
)
from .translation import PROSE_FIELDS

admin.site.site_header = _("Repression tracker")
admin.site.site_title = _("Repression tracker")
admin.site.index_title = _("Cases, people and sources")


def _same(before, after) -> bool:
    """Whether a save leaves a value as it was: an empty translation becomes
    None when saved (cases/translation.py), so "" and None are the same here."""
    return before == after or {before, after} <= {None, ""}


class EditorAdmin(SimpleHistoryAdmin):
    """What every admin page of the domain shares: the history of edits, with
    the means to restore a past version, and refusal of stale forms."""

    form = StaleEditProtectedForm

    # Each list counts its rows only as far as its pages need, and says "more
    # than 10,000" past that (cases.admin_paginator); counting the whole table
    # again for "(N total)" beside a search would undo it.
    paginator = CappedPaginator
    count_cap = COUNT_CAP
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return self.paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            count_cap=self.count_cap,
            page_hint=asked_page(request),
            at_least=self.list_max_show_all,
            count_queryset=getattr(request, "admin_rows_to_count", None),
        )

    # Each save and delete runs in the admin's transaction and raises the
    # version of the public data in it, so the new version comes with the edit.

    def save_model(self, request, obj, form, change):
        if change:
            form.fields_saved = self._fields_changed_by(obj)
        deleted = False
        if getattr(request, "restoring_version", None):
            obj._change_reason = _("restored the version of %(when)s") % {
                "when": request.restoring_version
            }
            deleted = not self.model._base_manager.filter(pk=obj.pk).exists()
        super().save_model(request, obj, form, change)
        if deleted:
            # A deleted fact comes back with the links deleted with it, before
            # its timeline and statuses are brought up to date (saved()).
            self.links_restored(request, services.restore_deleted_links(obj))
        self.saved(obj)

    def links_restored(self, request, links: services.RestoredLinks) -> None:
        """Tell the editor what came back with a deleted object, and what did not."""
        if links.restored:
            self.message_user(
                request,
                _("Brought back with it: %(links)s.")
                % {
                    "links": "; ".join(
                        f"{link._meta.verbose_name} “{link}”" for link in links.restored
                    )
                },
                messages.SUCCESS,
            )
        for note in links.skipped:
            self.message_user(request, note, messages.WARNING)

    def saved(self, obj):
        """After OBJ was saved through its form or restored: once per save."""
        # Any edit may change what the public sees (a case, the name of a charge
        # in the list's filters ...): what is cached of it is computed afresh.
        # Here with the links OBJ had before (its inlines are saved next) ...
        services.public_data_changed(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # ... and here with those it has now: both ends of a link added or
        # removed are shown afresh (cases.page_cache.edited_topics), under
        # the version save_model() raised.
        services.public_data_changed(form.instance, again=True)

    def _fields_changed_by(self, obj) -> list[str]:
        """The names of the fields that saving OBJ changes in the database, but
        for those only the services write (they are kept, see keep_service_fields)."""
        before = self.model._base_manager.filter(pk=obj.pk).first()
        if before is None:
            return []
        kept = getattr(self.model, "SERVICE_FIELDS", ())
        # A prose field's original column follows its English one, which is named instead.
        kept = (*kept, *PROSE_FIELDS.get(self.model, ()))
        return [
            str(capfirst(field.verbose_name))
            for field in self.model._meta.concrete_fields
            if field.editable
            and not field.primary_key
            and field.name not in kept
            and not _same(field.value_from_object(before), field.value_from_object(obj))
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restore a past version: like a save of the change form, in one
        transaction with the check for a stale form, and logged with the fields
        it changed. Who may see the case and its current statuses are kept:
        they change only through the services (Case.SERVICE_FIELDS)."""
        if request.method == "POST":
            version = self.model.history.filter(history_id=version_id).first()
            if version is not None:
                request.restoring_version = formats.date_format(
                    timezone.localtime(version.history_date), "DATETIME_FORMAT"
                )
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as refused:
            # A rule the restore would break (services.restore_deleted_links()):
            # nothing of it is saved, and the editor is told why.
            for message in refused.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect(request.get_full_path())

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        saved = getattr(form, "fields_saved", None)
        if saved is None or add:
            return message
        # What the save changed in the database, not what the form thinks
        # changed: a restored version's form starts from the old values. The
        # entries of inlines (which name their object) stay as they are.
        message = [entry for entry in message if "name" in entry.get("changed", {"name": ""})]
        if saved:
            message.insert(0, {"changed": {"fields": saved}})
        return message

    def delete_model(self, request, obj):
        lock_case_of(obj)  # the case first (forms.lock_case_of())
        services.public_data_changed(obj)  # while its links are there to say what it showed
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        objs = list(queryset)
        lock_case_of(*objs)
        services.public_data_changed(*objs)
        super().delete_queryset(request, queryset)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            # Its rows made once per page (the same class, but for that).
            inline_admin_formset.__class__ = PageInlineAdminFormSet
        return inline_admin_formsets

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or "edit_version" in admin.utils.flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, (None, {"fields": ["edit_version"], "classes": ["hidden"]})]


class RelationshipInline(LabelledTabularInline):
    model = Relationship
    fk_name = "person"
    autocomplete_fields = ["relative"]
    extra = 0


class MembershipInline(LabelledTabularInline):
    model = Membership
    autocomplete_fields = ["organisation"]
    extra = 0


class PictureInline(admin.StackedInline):
    """A photo or a logo: checked, cleaned of its hidden data and resized on upload."""

    model = Picture
    fields = ["preview", "image", "alt_text", "credit"]
    readonly_fields = ["preview"]
    extra = 1
    max_num = 1

    @admin.display(description=_("as the public sees it"))
    def preview(self, picture):
        if not picture.thumbnail:
            return _("No picture yet: the public pages show “image not available”.")
        return format_html(
            '<img src="{}" srcset="{}" width="{}" height="{}" alt="{}">',
            picture.thumbnail.url,
            picture.thumbnail_srcset,
            picture.thumbnail_width,
            picture.thumbnail_height,
            picture.alt_text,
        )


class PhotoInline(PictureInline):
    fk_name = "person"
    verbose_name = verbose_name_plural = _("photo")


class LogoInline(PictureInline):
    fk_name = "organisation"
    verbose_name = verbose_name_plural = _("logo")


@admin.register(Person)
class PersonAdmin(EditorAdmin, ProseAdmin):
    list_display = ["name", "name_original", "occupation", "country"]
    list_filter = ["country"]
    search_fields = ["name", "name_original", "other_names"]
    inlines = [PhotoInline, RelationshipInline, MembershipInline, RecognitionInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "name_original", "other_names"]}),
        (
            _("About"),
            {
                "fields": [
                    "sex",
                    "occupation",
                    "country",
                    ("birth_date", "birth_date_precision"),
                    "bio",
                ]
            },
        ),
    ]


@admin.register(Organisation)
class OrganisationAdmin(EditorAdmin, ProseAdmin):
    list_display = ["name", "acronym", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = [*prose_search_fields("name"), "acronym"]
    autocomplete_fields = ["parent"]
    # The name in each language is the organisation's name in that language's
    # script (Социалистическое движение Казахстана), as its own sources write it.
    fields = [
        "name",
        "slug",
        "acronym",
        "kind",
        "country",
        "parent",
        "website",
        "description",
    ]
    inlines = [LogoInline, MembershipInline]


@admin.register(Charge)
class ChargeAdmin(EditorAdmin, ProseAdmin):
    list_display = ["name", "name_original", "country", "code", "article", "maximum_penalty"]
    list_filter = ["country"]
    search_fields = [
        *prose_search_fields("name"),
        "name_original",
        "name_transliterated",
        "code",
        "article",
    ]
    fields = [
        "country",
        "code",
        "article",
        "name",
        "slug",
        "name_original",
        "name_transliterated",
        "description",
        "maximum_penalty",
    ]


@admin.register(Source)
class SourceAdmin(EditorAdmin):
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


@admin.register(PlaceOfDetention)
class PlaceOfDetentionAdmin(EditorAdmin, ProseAdmin):
    """Places of detention, found by any of their spellings (issue 15)."""

    list_display = ["name", "kind", "country", "place"]
    list_filter = ["kind", "country"]
    search_fields = [*prose_search_fields("name"), "other_names", "place"]
    search_help_text = _("Any of the place's names or spellings, or its town.")
    fieldsets = [
        (None, {"fields": ["name", "slug", "other_names", ("kind", "regime")]}),
        (_("Where"), {"fields": ["country", "place"]}),
        (
            _("Letters"),
            {"fields": ["postal_address", "letters_reach", "letter_language", "letter_advice"]},
        ),
    ]
    inlines = [PlaceOfDetentionSourceInline]


@admin.register(Category)
class CategoryAdmin(EditorAdmin, ProseAdmin):
    """The categories of cases: editors choose among them, publishers keep
    the list (the permissions of migration 0025)."""

    list_display = ["name", "slug"]
    search_fields = [*prose_search_fields("name")]
    fields = ["name", "slug", "description"]


class CaseChargeFilter(admin.SimpleListFilter):
    """Cases by one of their charges. Its choices are the charges themselves
    (a few hundred rows), not the charges found by reading every case's
    (344 ms at 100,000 cases, issue 18); the cases are picked through their
    links to the charge, without a join that would list a case twice."""

    title = _("charge")
    parameter_name = "charge"

    def lookups(self, request, model_admin):
        charges = Charge.objects.order_by("country", "name").only("name", "country")
        return [(str(charge.pk), f"{charge.name} ({charge.country.code})") for charge in charges]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        links = CaseCharge.objects.filter(charge_id=int(value)).values("case_id")
        return queryset.filter(pk__in=links)


class CaseParticipantInline(LoadedAutocompleteMixin, LabelledTabularInline):
    model = CaseParticipant
    autocomplete_fields = ["person"]
    readonly_fields = ["current_status"]
    extra = 0


class CaseChargeInline(LoadedAutocompleteMixin, LabelledTabularInline):
    model = CaseCharge
    autocomplete_fields = ["charge"]
    extra = 0


class CaseOrganisationInline(LoadedAutocompleteMixin, LabelledTabularInline):
    model = CaseOrganisation
    autocomplete_fields = ["organisation"]
    extra = 0


class CaseSourceInline(LoadedAutocompleteMixin, LabelledTabularInline):
    model = CaseSource
    autocomplete_fields = ["source"]
    extra = 0


class CallToActionTargetInline(PageInline, LoadedAutocompleteMixin, admin.StackedInline):
    model = CallToActionTarget
    autocomplete_fields = ["organisation"]
    extra = 0


class StatusChangeTimelineInline(LabelledTabularInline):
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


# Rows the database keeps for a case (triggers, migration 0031), which no
# editor makes and no editor sees elsewhere: deleted with their case, but not
# listed on the page that asks to confirm its deletion.
KEPT_ROWS = (CaseYear,)


def _without_kept_rows(cases, to_delete: list, model_count: dict) -> tuple[list, dict]:
    """The deletion's list (nested, as the admin formats each object) and
    counts (by name of the model) without the KEPT_ROWS of CASES."""
    hidden = {
        f"{capfirst(model._meta.verbose_name)}: {row}"
        for model in KEPT_ROWS
        for row in model.objects.filter(case__in=[case.pk for case in cases])
    }
    names = {model._meta.verbose_name_plural for model in KEPT_ROWS}

    def pruned(items: list) -> list:
        kept = []
        for item in items:
            if isinstance(item, list):
                if item := pruned(item):
                    kept.append(item)
            elif str(item) not in hidden:
                kept.append(item)
        return kept

    return pruned(to_delete), {
        name: count for name, count in model_count.items() if name not in names
    }


@admin.register(Case)
class CaseAdmin(EditorAdmin, ProseAdmin):
    """Cases, with the editors' own tools: recording a status change for any
    of its people in one form, preview, publishing and withdrawing."""

    change_form_template = "admin/cases/case/change_form.html"
    actions = [publish_selected]
    list_display = [
        "title",
        "country_name",
        "current_status",
        "last_status_change_on",
        "people_count",
        "publication_state",
    ]
    list_filter = [
        "publication_state",
        "country",
        "current_status",
        CaseChargeFilter,
        MissingTranslationFilter,
    ]
    # The search box searches what the public list's does (get_search_results),
    # whose documents hold the title and summary in every language.
    search_fields = ["search_document"]
    search_help_text = _("Titles, summaries and people's names, in any spelling.")
    # Each page's cases chosen by their ids first: a search then sorts the
    # ids of the cases it finds, not their whole rows (issue 18).
    paginator = CappedCasePaginator
    # Publication changes only through the Publish and Withdraw buttons, so
    # that the checks run; current statuses only through the timeline.
    readonly_fields = [
        "publication_state",
        "published_at",
        "published_by",
        "current_status",
        "last_status_change_on",
    ]
    inlines = [
        CaseParticipantInline,
        CaseChargeInline,
        CaseOrganisationInline,
        CaseSourceInline,
        CallToActionTargetInline,
        CaseCategoryInline,
        DetentionListInline,
        DetentionInline,
        VerdictListInline,
        VerdictInline,
        StatusChangeTimelineInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary"]}),
        (
            _("Where and when"),
            {"fields": ["country", "region", ("start_date", "start_date_precision")]},
        ),
        (_("Call to action"), {"fields": ["call_to_action"]}),
        (_("Publication"), {"fields": ["publication_state", "published_at", "published_by"]}),
        (_("Current status"), {"fields": ["current_status", "last_status_change_on"]}),
    ]

    def get_queryset(self, request):
        # A subquery for each row shown, rather than a join and GROUP BY over
        # every case: at 100,000 cases the join cost 409 ms a page (issue 18).
        # Counting for the paginator leaves it out (Django drops annotations
        # that nothing filters or sorts by).
        people = (
            CaseParticipant.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return super().get_queryset(request).annotate(people_count=Coalesce(Subquery(people), 0))

    def get_search_results(self, request, queryset, search_term):
        """The public list's full-text search (cases.search): every word of the
        search begins a word of a case's title, summary or people's names, in
        any of their spellings. It uses the full-text index on PostgreSQL and
        joins nothing, so no case is listed twice (no DISTINCT)."""
        if not search_term.strip():
            return queryset, False
        if connections[queryset.db].vendor != "postgresql":
            return search.matching(queryset, search_term, max_words=MAX_SEARCH_WORDS), False
        # The matching cases first, then the page of the list among them.
        # Asked in one query, PostgreSQL walks the list's order index and
        # computes each case's text vector until it has a page (965 vectors,
        # 340 ms at 30,000 cases; EXPLAIN in docs/benchmarks.md); OFFSET 0
        # keeps the subquery whole, so that it reads the full-text index once.
        found = search.matching(Case.objects.order_by(), search_term, max_words=MAX_SEARCH_WORDS)
        sql, params = found.values("pk").query.sql_with_params()
        fenced = RawSQL(f"{sql} OFFSET 0", params)  # noqa: S611 (Django's SQL, its values as parameters)
        # The paginator counts the same cases without the fence, so that the
        # count stops at the first 10,001 found, where the fence would have
        # PostgreSQL find every one of them first (cases.admin_paginator).
        request.admin_rows_to_count = queryset & found
        return queryset.filter(pk__in=fenced), False

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, case):
        # The admin would name the country of each row from the field's 250
        # choices, flattened again for every row: 2 s for a page of 100 cases.
        return case.country.name

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, case):
        return case.people_count

    def view_on_site(self, case):
        if case.is_published:
            return case.get_absolute_url()
        return reverse("admin:cases_case_preview", args=[case.pk])

    # Deleting: only drafts that were never public. A case that was ever
    # published is withdrawn instead, so that its record stays.

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.published_at is None)

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        to_delete, model_count = _without_kept_rows(objs, to_delete, model_count)
        ever_published = [case for case in objs if case.published_at is not None]
        if ever_published and super().has_delete_permission(request):
            # Not a missing permission: say why instead.
            perms_needed.discard(self.opts.verbose_name)
        for case in ever_published:
            protected.append(
                _("%(case)s was published: withdraw it instead of deleting it.") % {"case": case}
            )
        return to_delete, model_count, perms_needed, protected

    # The editors' tools, each at an address of its own under the case.

    def get_urls(self):
        def view(function, name):
            return path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(function),
                name=f"cases_case_{name.replace('-', '_')}",
            )

        return [
            view(self.record_status_change_view, "record-status-change"),
            view(self.publish_view, "publish"),
            view(self.withdraw_view, "withdraw"),
            view(self.preview_view, "preview"),
            path(
                "import/",
                self.admin_site.admin_view(partial(import_view, admin_site=self.admin_site)),
                name="cases_case_import",
            ),
            *super().get_urls(),
        ]

    def _case_for(self, request, object_id, permission_check):
        case = self.get_object(request, unquote(object_id))
        if case is None:
            raise Http404(_("No case with this number."))
        if not permission_check(request, case):
            raise PermissionDenied
        return case

    def record_status_change_view(self, request, object_id):
        """Record one entry of the timeline for one, several or all people of the case.

        Template admin/cases/case/record_status_change.html; context: the
        case and the form (RecordStatusChangeForm)."""
        case = self._case_for(request, object_id, self.has_change_permission)
        if not request.user.has_perm("cases.add_statuschange"):
            raise PermissionDenied
        form = RecordStatusChangeForm(request.POST or None, case=case, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    change = services.record_status_change(
                        case,
                        participants=form.cleaned_data["participants"],
                        status=form.cleaned_data["status"],
                        date=form.cleaned_data["date"],
                        date_precision=form.cleaned_data["date_precision"],
                        headline=form.cleaned_data["headline"],
                        description=form.cleaned_data["description"],
                        sources=form.sources_to_cite(),
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Recorded: %(change)s. The current statuses are up to date.")
                    % {"change": change},
                    messages.SUCCESS,
                )
                return redirect("admin:cases_case_change", case.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "case": case,
            "original": case,
            "form": form,
            "media": self.media + form.media,
            "title": _("Record a status change"),
            "subtitle": str(case),
        }
        return TemplateResponse(request, "admin/cases/case/record_status_change.html", context)

    def preview_view(self, request, object_id):
        """The public page of any case, draft or withdrawn, with a "draft" banner:
        for staff only, never cached, never indexed."""
        case = self._case_for(request, object_id, self.has_view_or_change_permission)
        response = views.render_case_page(
            request, Case.objects.filter(pk=case.pk), preview=True, pk=case.pk
        )
        add_never_cache_headers(response)
        return response

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("cases.publish_case")

    def _change_publication(self, request, object_id, action, success_message):
        case = self._case_for(request, object_id, self.has_publish_permission)
        try:
            action(case, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(request, success_message % {"case": case}, messages.SUCCESS)
        return redirect("admin:cases_case_change", case.pk)

    @method_decorator(require_POST)
    def publish_view(self, request, object_id):
        return self._change_publication(
            request,
            object_id,
            services.publish_case,
            _("“%(case)s” is published: the public can see it now."),
        )

    @method_decorator(require_POST)
    def withdraw_view(self, request, object_id):
        return self._change_publication(
            request,
            object_id,
            services.withdraw_case,
            _("“%(case)s” is withdrawn: the public can no longer see it."),
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["can_publish"] = self.has_publish_permission(request, obj)
            context["can_record_status_change"] = self.has_change_permission(
                request, obj
            ) and request.user.has_perm("cases.add_statuschange")
            context["publication_problems"] = (
                services.publication_problems(obj) if not obj.is_published else []
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


class UntickedLinksFormSet(PageInlineFormSet):
    """The rows of an entry's links: one deleted here was taken away by an
    edit, not with its entry (services.UNTICKED)."""

    def delete_existing(self, obj, commit=True):
        obj._change_reason = services.UNTICKED
        super().delete_existing(obj, commit=commit)


class StatusChangeParticipantInline(LabelledTabularInline):
    model = StatusChangeParticipant
    formset = UntickedLinksFormSet
    extra = 0
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        # The admin passes min_num to the formset, but not validate_min.
        return super().get_formset(request, obj, validate_min=True, **kwargs)

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


class StatusChangeSourceInline(LabelledTabularInline):
    model = StatusChangeSource
    formset = UntickedLinksFormSet
    autocomplete_fields = ["source"]
    extra = 0
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        # The admin passes min_num to the formset, but not validate_min.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


@admin.register(StatusChange)
class StatusChangeAdmin(EditorAdmin, ProseAdmin):
    """Corrections to timeline entries, and their place in the timeline.

    Entries are recorded from their case's page ("Record a status change",
    cases.services.record_status_change()); the add page sends editors there.
    Every save, restore or delete brings the case's timeline order and
    current statuses up to date through cases.services."""

    change_form_template = "admin/cases/statuschange/change_form.html"
    list_display = ["headline", "case", "date", "date_precision", "status"]
    list_filter = ["status", "case__country"]
    list_select_related = ["case"]
    search_fields = [*prose_search_fields("headline"), "case__title_en"]
    date_hierarchy = "date"
    fields = ["case", ("date", "date_precision"), "status", "headline", "description"]
    readonly_fields = ["case"]
    inlines = [StatusChangeParticipantInline, StatusChangeSourceInline]

    def add_view(self, request, form_url="", extra_context=None):
        """An entry is recorded from its case's page, where the rules of
        recording apply and one form serves all the people of the case."""
        case = Case.objects.filter(pk=request.GET.get("case") or None).first()
        if case is not None:
            return redirect("admin:cases_case_record_status_change", case.pk)
        self.message_user(
            request,
            _("Open the case, then click “Record a status change” on its page."),
            messages.INFO,
        )
        return redirect("admin:cases_case_changelist")

    def save_model(self, request, obj, form, change):
        # A version restored from the history may name a verdict deleted
        # since (its entry went with it, timeline.with_its_verdict()): the
        # entry comes back as one of its own, not as a link to no verdict.
        if obj.verdict_id is not None and not Verdict.objects.filter(pk=obj.verdict_id).exists():
            obj.verdict = None
        # Or a verdict restored since, which came back with an entry of its own:
        # one entry tells of a verdict, so this one stays deleted (nothing of
        # the restore is kept: EditorAdmin.history_form_view()).
        told = obj.verdict_id and (
            StatusChange.objects.filter(verdict_id=obj.verdict_id).exclude(pk=obj.pk).first()
        )
        if told:
            raise ValidationError(
                _(
                    "The status change was not restored: its verdict, restored since, "
                    "has its own entry in the timeline: “%(entry)s”."
                )
                % {"entry": told}
            )
        super().save_model(request, obj, form, change)

    def saved(self, obj):
        services.timeline_changed(obj.case, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The people concerned may have changed: the same transaction, the
        # same version of the public data as save_model()'s; a release now
        # concerning more people ends their detentions too.
        services.update_current_statuses(form.instance.case)
        services.end_detentions_on_release(form.instance)

    def delete_model(self, request, obj):
        case = obj.case
        super().delete_model(request, obj)
        services.update_current_statuses(case)

    def delete_queryset(self, request, queryset):
        cases = list(Case.objects.filter(status_changes__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for case in cases:
            services.update_current_statuses(case)

    def get_urls(self):
        def move(earlier):
            name = "move_earlier" if earlier else "move_later"
            return path(
                f"<path:object_id>/{name.replace('_', '-')}/",
                self.admin_site.admin_view(require_POST(partial(self.move_view, earlier=earlier))),
                name=f"cases_statuschange_{name}",
            )

        return [move(True), move(False), *super().get_urls()]

    def move_view(self, request, object_id, *, earlier):
        """Move an entry before or after the one next to it in the timeline."""
        change = self.get_object(request, unquote(object_id))
        if change is None:
            raise Http404(_("No status change with this number."))
        if not self.has_change_permission(request, change):
            raise PermissionDenied
        try:
            services.move_status_change(change, earlier=earlier)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Moved. The timeline of “%(case)s” now reads in this order.")
                % {"case": change.case},
                messages.SUCCESS,
            )
        return redirect("admin:cases_case_change", change.case_id)


class FactAdmin(EditorAdmin):
    """A detention or a verdict on its own page, reached from the table of
    its case's facts: corrected, ended or deleted there, with the history of
    its edits and the refusal of a form someone else saved since it was
    opened. New ones are recorded on the case's page, below that table."""

    change_form_template = "admin/cases/fact/change_form.html"
    list_select_related = ["case", "participant__person"]
    list_per_page = 50
    show_full_result_count = False
    autocomplete_fields = ["place"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(
            form.__name__,
            (form,),
            {"case": obj.case if obj else None, "user": request.user},
        )

    @admin.display(description=_("person"), ordering="participant__person__name")
    def person(self, fact):
        return fact.participant.person

    def has_add_permission(self, request):
        return False  # on the case's page, where its people and charges are

    # A fact is part of its case: changed or deleted by who may change the case.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and request.user.has_perm(
            "cases.change_case"
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and request.user.has_perm(
            "cases.change_case"
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (None, {"fields": ["links_as_opened"], "classes": ["hidden"]})]

    def response_post_save_change(self, request, obj):
        return redirect("admin:cases_case_change", obj.case_id)

    def response_delete(self, request, obj_display, obj_id):
        super().response_delete(request, obj_display, obj_id)  # its message
        return redirect("admin:cases_case_change", request.fact_case_id)

    def delete_model(self, request, obj):
        request.fact_case_id = obj.case_id
        super().delete_model(request, obj)


@admin.register(Detention)
class DetentionAdmin(FactAdmin):
    form = type("DetentionPageForm", (FactPageForm, DetentionForm), {})
    fieldsets = DETENTION_FIELDSETS
    list_display = ["person", "kind", "start", "end", "place", "case"]
    list_select_related = [*FactAdmin.list_select_related, "place"]
    list_filter = ["kind"]
    date_hierarchy = "start"


@admin.register(Verdict)
class VerdictAdmin(FactAdmin):
    form = type("VerdictPageForm", (FactPageForm, VerdictForm), {})
    fieldsets = VERDICT_FIELDSETS
    autocomplete_fields = ["court"]
    list_display = ["person", "outcome", "date", "sentence_kind", "expected_release", "case"]
    list_filter = ["outcome", "sentence_kind"]
    date_hierarchy = "date"

    # Its entry in the timeline goes with it, and the statuses follow.
    def delete_model(self, request, obj):
        request.fact_case_id = obj.case_id
        services.delete_verdicts([obj])

    def delete_queryset(self, request, queryset):
        services.delete_verdicts(queryset.select_related("case"))


@admin.register(Relationship)
class RelationshipAdmin(EditorAdmin):
    list_display = ["person", "kind", "relative"]
    list_select_related = ["person", "relative"]
    autocomplete_fields = ["person", "relative"]
    search_fields = ["person__name", "relative__name"]


@admin.register(Membership)
class MembershipAdmin(EditorAdmin):
    list_display = ["person", "organisation", "role", "since", "until"]
    list_select_related = ["person", "organisation"]
    autocomplete_fields = ["person", "organisation"]
    search_fields = ["person__name", "organisation__name"]
