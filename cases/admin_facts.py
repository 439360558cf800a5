"""Detentions and verdicts on the case's form, recognitions on the person's:
issue 15's facts, where editors already keep a case.

The case's form lists its detentions and verdicts in a table, each with a
link to its own page, where it is corrected (or ended, or deleted) with the
history of its edits and the refusal of a stale form; below the table, new
ones are recorded in full forms. A case with 30 people held 90 times is one
table of 90 rows, not 90 forms of a dozen fields (a 1.8 MB page that took a
second to render: issue 18). The timeline's entries are kept the same way.

Each fact cites its sources in the same form (a searchable multiple choice),
so that an editor who records a detention does not go to another page to
cite it; the rows of the link tables are kept in step when the form saves.
The choices that depend on the case (its people, its charges, its earlier
verdicts) are read once for the whole form, not once for each row.
"""

from collections.abc import Iterable

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth import get_permission_codename
from django.db.models import Count
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_inlines import (
    LabelledTabularInline,
    LoadedAutocompleteMixin,
    LoadedAutocompleteSelect,
    PageInline,
)
from .forms import StaleEditProtectedForm
from .models import (
    CaseCategory,
    CaseParticipant,
    Charge,
    Detention,
    DetentionSource,
    PlaceOfDetentionSource,
    Recognition,
    Source,
    Verdict,
    VerdictCharge,
    VerdictSource,
)


class LoadedAutocompleteSelectMultiple(LoadedAutocompleteSelect, AutocompleteSelectMultiple):
    """Several searchable choices, named from rows the inline loaded already."""


class FactForm(forms.ModelForm):
    """A fact of a case (a detention, a verdict) with the sources it cites.

    `case` is set on the form's class by the inline's get_formset: the case
    being edited, or None on the add form (then there is nobody to choose
    yet: people are added and saved first). `user`, set there and on the
    fact's own page (FactAdmin.get_form): whose form it is. A citation (a
    source cited, an article convicted on) is taken away by unticking it only
    by who may delete it, as in the case's own tables of sources, whose rows
    an editor cannot delete either (may_remove())."""

    case = None
    user = None
    link_model: type
    link_name: str
    cited = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(),
        required=False,
        label=_("sources"),
        help_text=_("Every fact cites a source: a case cannot be published while one does not."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        widget = LoadedAutocompleteSelectMultiple(model._meta.get_field("sources"), admin.site)
        widget.choices, widget.is_required = self.fields["cited"].choices, False
        self.fields["cited"].widget = widget
        if self.instance.pk is not None:
            links = self.instance.source_links.all()
            widget.loaded = {str(link.source_id): link.source for link in links}
            self.fields["cited"].initial = [link.source_id for link in links]
        participants = self.fields["participant"]
        participants.queryset = (
            CaseParticipant.objects.filter(case=self.case).select_related("person")
            if self.case is not None
            else CaseParticipant.objects.none()
        )
        self.share_choices("participant")

    def share_choices(self, name: str) -> None:
        """Show the choices of the field NAME as read once for all the rows of
        the case's inlines: kept on the case object of this request (the
        people of the case are the same choices for detentions and verdicts)."""
        field = self.fields[name]
        kept = self.case.__dict__.setdefault("_fact_choices", {}) if self.case else {}
        key = (name, field.queryset.model)
        if key not in kept:
            # The rows in one query: list(field.choices) would count them
            # first, then read them through a server-side cursor (four
            # round trips to PostgreSQL).
            choices = field.choices
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            kept[key] = empty + [choices.choice(row) for row in field.queryset.all()]
        widget = getattr(field.widget, "widget", field.widget)  # inside "add another"
        widget.choices = kept[key]

    def may_remove(self, link_model) -> bool:
        """Whether the user of the form may take away rows of LINK_MODEL."""
        opts = link_model._meta
        codename = get_permission_codename("delete", opts)
        return self.user is not None and self.user.has_perm(f"{opts.app_label}.{codename}")

    def refuse_removal(self, name: str, link_model, linked: dict, kept: Iterable) -> None:
        """Refuse, on the field NAME, to take away the rows of LINK_MODEL whose
        targets (LINKED: {pk: target}, what the fact has now) are not among
        KEPT (what the form keeps), unless the user may delete them."""
        kept = {target.pk for target in kept}
        removed = [target for pk, target in linked.items() if pk not in kept]
        if not removed or self.may_remove(link_model):
            return
        names = "; ".join(f"“{target}”" for target in removed)
        if link_model is VerdictCharge:
            message = ngettext(
                "Your account may add articles but not take one away: %(names)s stays "
                "among the articles convicted on. Tick it again, or ask a publisher.",
                "Your account may add articles but not take one away: %(names)s stay "
                "among the articles convicted on. Tick them again, or ask a publisher.",
                len(removed),
            )
        else:
            message = ngettext(
                "Your account may cite sources but not take one away: %(names)s stays "
                "cited. Tick it again, or ask a publisher.",
                "Your account may cite sources but not take one away: %(names)s stay "
                "cited. Tick them again, or ask a publisher.",
                len(removed),
            )
        self.add_error(name, message % {"names": names})

    def clean(self):
        # A fact restored from its history after it was deleted (simple_history's
        # form gives its last version as if it were there) is being added again:
        # its links come back with it (services.restore_deleted_links()), and
        # what the form, opened without them, leaves unticked is not taken away.
        instance = self.instance
        self.adding = instance._state.adding or (
            not type(instance)._base_manager.filter(pk=instance.pk).exists()
        )
        cleaned_data = super().clean()
        if not self.adding and "cited" in cleaned_data:
            linked = {
                link.source_id: link.source
                for link in self.link_model.objects.filter(
                    **{self.link_name: self.instance}
                ).select_related("source")
            }
            self.refuse_removal("cited", self.link_model, linked, cleaned_data["cited"])
        return cleaned_data

    def _save_m2m(self):
        super()._save_m2m()
        chosen = {source.pk: source for source in self.cleaned_data.get("cited") or ()}
        links = self.link_model.objects.filter(**{self.link_name: self.instance})
        for link in links:
            if link.source_id not in chosen:
                if not getattr(self, "adding", False):
                    link._change_reason = services.UNTICKED  # not with its fact
                    link.delete()
            else:
                del chosen[link.source_id]
        for source in chosen.values():
            self.link_model.objects.create(**{self.link_name: self.instance, "source": source})


class FactPageForm(StaleEditProtectedForm):
    """A fact's own page (FactAdmin): refuses to save over another editor's
    save since it was opened, as every page does, and also over their change
    of the fact's sources or articles, which its own history does not hold
    (they are rows of their own, kept in step by FactForm._save_m2m)."""

    links_as_opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields["links_as_opened"].initial = self._links_now()

    def _links_now(self) -> str:
        """'sources=3,7;articles=2': the fact's links as the database holds them."""
        parts = [
            "sources="
            + ",".join(
                map(str, sorted(self.instance.source_links.values_list("source_id", flat=True)))
            )
        ]
        if hasattr(self.instance, "charge_links"):
            charges = sorted(self.instance.charge_links.values_list("charge_id", flat=True))
            parts.append("articles=" + ",".join(map(str, charges)))
        return ";".join(parts)

    def clean(self):
        cleaned_data = super().clean()  # with the fact's row locked until the save
        if (
            self.instance.pk is not None
            and cleaned_data.get("links_as_opened") != self._links_now()
        ):
            raise forms.ValidationError(
                _(
                    "Someone else changed the sources or articles of this fact since you "
                    "opened this form. Reload the page and make your changes again."
                )
            )
        return cleaned_data


class DetentionForm(FactForm):
    link_model, link_name = DetentionSource, "detention"
    released = forms.BooleanField(
        required=False,
        label=_("ended by a release: record “released” in the timeline too"),
        help_text=_(
            "At the end's date, for this person, citing the sources of the detention. "
            "Leave it unticked for a move to another kind of detention."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("released"):
            if not cleaned.get("end"):
                self.add_error(
                    "released", _("Give the end of the detention: the day of the release.")
                )
            if not cleaned.get("cited"):
                self.add_error(
                    "cited", _("Cite a source of the release: it goes in the timeline too.")
                )
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        if self.cleaned_data.get("released"):
            services.record_release(self.instance, sources=self.cleaned_data["cited"])

    class Meta:
        model = Detention
        fields = [
            "participant",
            "kind",
            "start",
            "start_precision",
            "may_have_begun_earlier",
            "end",
            "end_precision",
            "place",
            "note",
        ]


class VerdictForm(FactForm):
    link_model, link_name = VerdictSource, "verdict"
    convicted_on = forms.ModelMultipleChoiceField(
        queryset=Charge.objects.none(),
        required=False,
        label=_("articles convicted on"),
        help_text=_("Among the charges of the case."),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Verdict
        fields = [
            "participant",
            "outcome",
            "court",
            "date",
            "date_precision",
            "appeal_of",
            "sentence_kind",
            "term_years",
            "term_months",
            "term_days",
            "regime",
            "sentence_note",
            "sentence_start",
            "sentence_start_precision",
            "expected_release",
            "expected_release_precision",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        charges = self.fields["convicted_on"]
        charges.queryset = Charge.objects.filter(case_links__case=self.case).order_by("name")
        self.share_choices("convicted_on")
        earlier = self.fields["appeal_of"]
        earlier.queryset = Verdict.objects.filter(case=self.case).select_related(
            "participant__person"
        )
        earlier.label_from_instance = lambda v: f"{v.participant.person}: {v}"
        self.share_choices("appeal_of")
        if self.instance.pk is not None:
            self.fields["convicted_on"].initial = [
                link.charge_id for link in self.instance.charge_links.all()
            ]

    def clean(self):
        # A verdict added here goes in the timeline once saved (_save_m2m);
        # so does a deleted one restored from its history (FactForm.clean()):
        # its entry went with it (timeline.with_its_verdict()).
        cleaned_data = super().clean()
        if (
            not self.adding
        ):  # the verdict as it was (the form's values are set later), for its entry
            self.participant_before = self.instance.participant_id
            self.headline_before = services.verdict_headline(self.instance)
        if not self.adding and "convicted_on" in cleaned_data:
            # Only the articles the page offers (the case's charges) can be
            # unticked; one the case no longer has is not shown, and stays.
            linked = {
                link.charge_id: link.charge
                for link in self.charge_links_shown().select_related("charge")
            }
            self.refuse_removal("convicted_on", VerdictCharge, linked, cleaned_data["convicted_on"])
        return cleaned_data

    def charge_links_shown(self):
        """The verdict's articles that the page shows as boxes: those among the
        case's charges (a charge taken off the case since is not offered)."""
        return VerdictCharge.objects.filter(
            verdict=self.instance, charge__case_links__case=self.case
        ).distinct()

    def _save_m2m(self):
        super()._save_m2m()
        chosen = {charge.pk: charge for charge in self.cleaned_data.get("convicted_on") or ()}
        for link in self.charge_links_shown():
            if link.charge_id not in chosen:
                if not getattr(self, "adding", False):
                    link._change_reason = services.UNTICKED  # not with its fact
                    link.delete()
            else:
                del chosen[link.charge_id]
        for charge in chosen.values():
            VerdictCharge.objects.create(verdict=self.instance, charge=charge)
        if getattr(self, "adding", False):
            services.verdict_in_timeline(self.instance)
        elif hasattr(self, "participant_before"):
            services.verdict_corrected(
                self.instance,
                participant_before=self.participant_before,
                headline_before=self.headline_before,
            )


class FactInline(PageInline, LoadedAutocompleteMixin, admin.StackedInline):
    """New facts of the case: its recorded ones are in the table above
    (FactListInline), each corrected on its own page (FactAdmin)."""

    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(
            formset.form.__name__, (formset.form,), {"case": obj, "user": request.user}
        )
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).none()


class FactTableInline(PageInline, admin.TabularInline):
    """A case's facts of one kind as a table, each linked to its own page:
    no form for any of them (its formset has none, and adds none), so that
    a case held 90 times costs a table of 90 rows. COLUMNS: (heading, the
    cell of a fact)."""

    template = "admin/cases/fact/recorded.html"
    columns: list[tuple[str, object]]
    ordering: list[str]
    empty: str  # said when the case has none

    # Only a view of the facts: no form of this table adds, changes or
    # deletes one, even one posted by hand (each fact is changed on its own
    # page); without these permissions the admin gives it no form to add.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def recorded(self, case):
        return (
            self.model.objects.filter(case=case)
            .select_related("participant__person")
            .annotate(sources_cited=Count("source_links"))
            .order_by(*self.ordering)
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        inline = self

        class Recorded(formset):
            headings = [heading for heading, _cell in inline.columns]

            @classmethod
            def get_default_prefix(cls):
                # Named apart from the forms of new facts of the same kind.
                return f"{super().get_default_prefix()}-recorded"

            @cached_property
            def _no_forms(self):
                return self.model._default_manager.none()

            def get_queryset(self):
                # The same empty queryset each time it is counted (five
                # times a page), not a new one compiled for each count.
                return self._no_forms

            @cached_property
            def rows(self):
                """(the fact's page, its cells), read when the table is shown."""
                if self.instance.pk is None:
                    return []
                opts = inline.opts
                change = f"admin:{opts.app_label}_{opts.model_name}_change"
                return [
                    (reverse(change, args=[fact.pk]), [cell(fact) for _h, cell in inline.columns])
                    for fact in inline.recorded(self.instance)
                ]

            @cached_property
            def rows_html(self):
                """Each row of the table, written here rather than by the
                template engine (a case held 90 times has 90)."""
                change, label = conditional_escape(gettext("Change")), gettext("Change: %(person)s")
                rows = []
                for url, cells in self.rows:
                    shown = [conditional_escape(cell) for cell in cells]
                    rows.append(
                        ROW.format(
                            "".join(f"<td>{cell}</td>" for cell in shown),
                            conditional_escape(url),
                            label % {"person": shown[0]},  # as {% blocktranslate %} writes it
                            shown[1],
                            shown[2],
                            change,
                        )
                    )
                return [mark_safe(row) for row in rows]  # noqa: S308 (every value escaped above)

        return Recorded


# A row of the table of a case's facts (admin/cases/fact/recorded.html).
ROW = """
              <tr>
                {}
                <td><a href="{}" class="inlinechangelink" aria-label="{}, {}, {}">{}</a></td>
              </tr>
            """


def _person(fact):
    return fact.participant.person


def _citing(fact):
    if not fact.sources_cited:
        return _("none: cite one before publishing")
    return ngettext("%(count)d source", "%(count)d sources", fact.sources_cited) % {
        "count": fact.sources_cited
    }


class DetentionListInline(FactTableInline):
    model = Detention
    verbose_name_plural = _("detentions")
    empty = _("No detention recorded yet: record them below.")
    ordering = ["participant__person__name", "start", "pk"]
    columns = [
        (_("person"), _person),
        (_("kind"), Detention.get_kind_display),
        (_("when"), lambda detention: detention.period_display),
        (_("place"), lambda detention: detention.place or ""),
        (_("sources"), _citing),
    ]

    def recorded(self, case):
        return super().recorded(case).select_related("place")


class VerdictListInline(FactTableInline):
    model = Verdict
    verbose_name_plural = _("verdicts")
    empty = _("No verdict recorded yet: record them below.")
    ordering = ["participant__person__name", "date", "pk"]
    columns = [
        (_("person"), _person),
        (_("verdict"), lambda verdict: f"{verdict.get_outcome_display()}, {verdict.date_display}"),
        (_("sentence"), lambda verdict: verdict.sentence_display),
        (_("expected release"), lambda verdict: verdict.expected_release_display),
        (_("sources"), _citing),
    ]


DETENTION_FIELDSETS = [
    (
        None,
        {
            "fields": [
                ("participant", "kind"),
                ("start", "start_precision", "may_have_begun_earlier"),
                ("end", "end_precision"),
                "released",
                "place",
                "note",
                "cited",
            ]
        },
    )
]
VERDICT_FIELDSETS = [
    (
        None,
        {
            "fields": [
                ("participant", "outcome"),
                ("court", "date", "date_precision"),
                "appeal_of",
                "convicted_on",
            ]
        },
    ),
    (
        _("Sentence"),
        {
            "fields": [
                "sentence_kind",
                ("term_years", "term_months", "term_days"),
                "regime",
                "sentence_note",
                ("sentence_start", "sentence_start_precision"),
                ("expected_release", "expected_release_precision"),
                "cited",
            ]
        },
    ),
]


class DetentionInline(FactInline):
    model = Detention
    form = DetentionForm
    autocomplete_fields = ["place"]
    verbose_name_plural = _("new detentions")
    fieldsets = DETENTION_FIELDSETS


class VerdictInline(FactInline):
    model = Verdict
    form = VerdictForm
    autocomplete_fields = ["court"]
    verbose_name_plural = _("new verdicts")
    fieldsets = VERDICT_FIELDSETS


class CaseCategoryInline(LoadedAutocompleteMixin, LabelledTabularInline):
    model = CaseCategory
    autocomplete_fields = ["category"]
    extra = 0


class RecognitionInline(LoadedAutocompleteMixin, LabelledTabularInline):
    model = Recognition
    autocomplete_fields = ["organisation", "source"]
    fields = ["kind", "organisation", "date", "date_precision", "source"]
    extra = 0


class PlaceOfDetentionSourceInline(LoadedAutocompleteMixin, LabelledTabularInline):
    model = PlaceOfDetentionSource
    autocomplete_fields = ["source"]
    extra = 0
