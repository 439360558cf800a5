"""The case form's inlines for detentions and verdicts, and the person
form's for recognitions: issue 15's facts, where editors already keep a case.

Each fact cites its sources in the same row (a searchable multiple choice),
so that an editor who records a detention does not go to another page to
cite it; the rows of the link tables are kept in step when the form saves.
The choices that depend on the case (its people, its charges, its earlier
verdicts) are read once for the whole form, not once for each row.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_inlines import LabelledTabularInline, LoadedAutocompleteMixin, LoadedAutocompleteSelect
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
    yet: people are added and saved first)."""

    case = None
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
            kept[key] = list(field.choices)
        widget = getattr(field.widget, "widget", field.widget)  # inside "add another"
        widget.choices = kept[key]

    def _save_m2m(self):
        super()._save_m2m()
        chosen = {source.pk: source for source in self.cleaned_data.get("cited") or ()}
        links = self.link_model.objects.filter(**{self.link_name: self.instance})
        for link in links:
            if link.source_id not in chosen:
                link.delete()
            else:
                del chosen[link.source_id]
        for source in chosen.values():
            self.link_model.objects.create(**{self.link_name: self.instance, "source": source})


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
        # A verdict added here goes in the timeline once saved (_save_m2m).
        self.adding = self.instance._state.adding
        return super().clean()

    def _save_m2m(self):
        super()._save_m2m()
        chosen = {charge.pk: charge for charge in self.cleaned_data.get("convicted_on") or ()}
        for link in VerdictCharge.objects.filter(verdict=self.instance):
            if link.charge_id not in chosen:
                link.delete()
            else:
                del chosen[link.charge_id]
        for charge in chosen.values():
            VerdictCharge.objects.create(verdict=self.instance, charge=charge)
        if getattr(self, "adding", False):
            services.verdict_in_timeline(self.instance)


class FactInline(LoadedAutocompleteMixin, admin.StackedInline):
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"case": obj})
        return formset

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("participant__person")
            .prefetch_related(
                Prefetch("source_links", queryset=self.source_links.select_related("source"))
            )
        )


class DetentionInline(FactInline):
    model = Detention
    form = DetentionForm
    autocomplete_fields = ["place"]
    source_links = DetentionSource.objects.order_by("pk")
    fieldsets = [
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


class VerdictInline(FactInline):
    model = Verdict
    form = VerdictForm
    autocomplete_fields = ["court"]
    source_links = VerdictSource.objects.order_by("pk")
    fieldsets = [
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

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("charge_links")


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
