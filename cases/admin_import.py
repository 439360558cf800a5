"""The admin's import page for publishers: upload, preview, confirm.

Nothing is written before the confirmation. The uploaded file is not kept:
it is read in the request that uploads it (Django holds it in memory, or in
a temporary file deleted at the end of the request) and travels on, signed
and compressed, in the preview's form, so that the confirmation imports
exactly the file that was previewed, and the server stores no copy and no
address of it. Files whose signed form exceeds what a form may post
(DATA_UPLOAD_MAX_MEMORY_SIZE) are refused with a message pointing to
`manage.py import_cases`.
"""

import base64

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import services
from .imports.files import UnreadableFile, read_table
from .imports.mapping import BadMapping, load_mapping
from .imports.plan import changed_lines, make_plan
from .imports.writes import ImportRefused, carry_out, one_import_at_a_time
from .models import Case, PublicationState

SALT = "cases.admin_import"
# How long a preview may wait for its confirmation, in seconds.
PREVIEW_LIFETIME = 3600


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List of cases"),
        help_text=gettext_lazy("CSV (any common encoding) or Excel workbook (.xlsx)."),
    )
    mapping = forms.FileField(
        label=gettext_lazy("Mapping file"),
        required=False,
        help_text=gettext_lazy("Optional: a TOML file naming the list's own columns."),
    )


def import_view(request, admin_site):
    """Upload a list, see what importing it would do, confirm.

    Template admin/cases/case/import.html; context: the upload form, and
    after an upload the plan (its rows and totals) and the signed payload."""
    if not request.user.has_perm("cases.publish_case"):
        raise PermissionDenied
    context = {
        **admin_site.each_context(request),
        "title": _("Import cases"),
        "opts": Case._meta,
        "form": UploadForm(),
    }
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, context)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            mapping_file = form.cleaned_data.get("mapping")
            payload = {
                "name": form.cleaned_data["file"].name,
                "data": base64.b64encode(form.cleaned_data["file"].read()).decode("ascii"),
                "mapping": mapping_file.read().decode("utf-8", "replace") if mapping_file else "",
            }
            _preview(request, context, payload)
    return TemplateResponse(request, "admin/cases/case/import.html", context)


def _preview(request, context, payload, links=None):
    """The plan of PAYLOAD's file as it stands in the register now, shown with
    a payload that keeps its fingerprints; None if the file cannot be read.
    With LINKS (ticked possible duplicates) the plan to write is made with
    them, and the fingerprints without, as the preview showed them."""
    try:
        table = read_table(base64.b64decode(payload["data"]), payload["name"])
        mapping = load_mapping(payload["mapping"])
        plan = make_plan(table, mapping)
    except (UnreadableFile, BadMapping) as error:
        context["file_error"] = str(error)
        return None
    payload = {**payload, "fingerprints": plan.fingerprints()}
    if links:
        plan = make_plan(table, mapping, links=links)
    signed = signing.dumps(payload, salt=SALT, compress=True)
    if len(signed) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 100_000:
        context["file_error"] = _(
            "The file is too large to import here; an administrator can import it "
            "with “manage.py import_cases”."
        )
        return None
    context.update(
        plan=plan,
        payload=signed,
        name=payload["name"],
        totals=plan.totals,
        fingerprints=payload["fingerprints"],
    )
    return plan


def _confirm(request, context):
    try:
        payload = signing.loads(request.POST["payload"], salt=SALT, max_age=PREVIEW_LIFETIME)
    except signing.BadSignature:
        context["file_error"] = _("This preview has expired or was altered; upload the file again.")
        return TemplateResponse(request, "admin/cases/case/import.html", context)
    links = {}
    for name, value in request.POST.items():
        if name.startswith("link:") and value.isdigit():
            links[name.removeprefix("link:")] = int(value)
    previewed = payload.get("fingerprints", {})
    # Planned again, against the register as it is now, and written in the
    # same transaction, which no other import runs beside.
    with one_import_at_a_time():
        plan = _preview(request, context, payload, links)
        if plan is None or plan.has_errors:
            return TemplateResponse(request, "admin/cases/case/import.html", context)
        changed = changed_lines(previewed, context["fingerprints"])
        if changed:
            context["changed"] = _(
                "The register has changed since the preview (another editor's edit, or "
                "another import): what %(lines)s would do is different now. Nothing was "
                "written. Check the preview below and confirm again."
            ) % {"lines": _describe_lines(changed)}
            return TemplateResponse(request, "admin/cases/case/import.html", context)
        try:
            written = carry_out(plan, user=request.user)
        except ImportRefused as error:
            context["file_error"] = str(error)
            return TemplateResponse(request, "admin/cases/case/import.html", context)
    messages.success(
        request,
        _("Imported: %(count)s cases written, as drafts. Publish each when it is ready.")
        % {"count": len(written)},
    )
    return HttpResponseRedirect(reverse("admin:cases_case_changelist"))


def _describe_lines(changed: list[str]) -> str:
    lines = [line for line in changed if line.isdigit()]
    shown = ", ".join(lines[:20]) + (" …" if len(lines) > 20 else "")
    described = []
    if lines:
        described.append(
            ngettext("line %(lines)s", "lines %(lines)s", len(lines)) % {"lines": shown}
        )
    if "missing" in changed:
        described.append(_("the list of ids no longer in the file"))
    return _(" and ").join(described)


@admin.action(permissions=["publish"], description=gettext_lazy("Publish selected cases"))
def publish_selected(modeladmin, request, queryset):
    """Publish each ticked draft that is ready, through services.publish_case
    and its checks; for each one that is not, say what it lacks. Imported
    cases are drafts: this publishes a checked list in one go."""
    published = 0
    for case in queryset.exclude(publication_state=PublicationState.PUBLISHED).order_by("pk"):
        try:
            services.publish_case(case, by=request.user)
        except ValidationError as error:
            modeladmin.message_user(
                request,
                _("“%(case)s” was not published: %(problems)s")
                % {"case": case, "problems": " ".join(error.messages)},
                messages.WARNING,
            )
        else:
            published += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)s case published.", "%(count)s cases published.", published)
        % {"count": published},
        messages.SUCCESS if published else messages.INFO,
    )
