"""Forms of the editors' admin."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Case, CaseParticipant, DatePrecision, Source, Status, StatusChange
from .models.fields import WebAddressField


def lock_case_of(*objs) -> None:
    """Lock the cases of OBJS (rows with a `case`: an entry of the timeline, a
    verdict, a detention, a person in the case ...) until the end of the
    transaction, in the order of their ids: the one lock order of the site is
    the case first, then the rows of its timeline and facts."""
    pks = sorted({obj.case_id for obj in objs if getattr(obj, "case_id", None) is not None})
    if pks:
        list(Case.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))


class StaleEditProtectedForm(forms.ModelForm):
    """Refuses to save over what someone else saved since this form was opened.

    The form carries the number of the latest version in the object's
    history of edits when it was opened; if a newer version has changed any
    field of the form since, saving is refused with a message that says who
    changed what, and nothing is saved.
    """

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            latest = self._versions().first()
            self.fields["edit_version"].initial = latest.history_id if latest else None

    def _versions(self):
        return self.instance.history.order_by("-history_id")

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        # The check and the save are one step: the row stays locked until the
        # admin's transaction ends, so a second form saved at the same moment
        # waits, then finds this one's version and is refused.
        if transaction.get_connection().in_atomic_block:
            # The case first, as the services lock it before its timeline and
            # facts: a row of the case locked before it would deadlock with a
            # service (delete_verdicts()) holding the case and wanting the row.
            lock_case_of(self.instance)
            rows = type(self.instance)._base_manager.select_for_update().filter(pk=self.instance.pk)
            list(rows.values_list("pk"))
        opened = cleaned_data.get("edit_version")
        newer = self._versions()
        if opened is not None:
            newer = newer.filter(history_id__gt=opened)
        newer = list(newer.select_related("history_user"))
        if not newer:
            return cleaned_data
        if opened is None:
            raise ValidationError(
                _("This form is out of date. Reload the page and make your changes again.")
            )
        base = self.instance.history.filter(history_id=opened).first()
        changed = set()
        if base is not None:
            changed = {
                name for name in newer[0].diff_against(base).changed_fields if name in self.fields
            }
        if base is None or changed:
            who = sorted({str(v.history_user) for v in newer if v.history_user} or {_("someone")})
            labels = sorted(str(self.fields[name].label) for name in changed)
            raise ValidationError(
                _(
                    "%(who)s saved this %(model)s at %(when)s, after you opened it, and changed: "
                    "%(fields)s. Nothing you typed has been saved: copy it, reload the page, "
                    "and make your changes again."
                )
                % {
                    "who": ", ".join(who),
                    "model": self.instance._meta.verbose_name,
                    "when": date_format(
                        timezone.localtime(newer[0].history_date), "DATETIME_FORMAT"
                    ),
                    "fields": ", ".join(labels) or _("the record"),
                },
                code="stale",
            )
        return cleaned_data


class RecordStatusChangeForm(forms.Form):
    """One form for one entry of a case's timeline, for one, several or all of its people."""

    everyone = forms.BooleanField(
        label=_("All the people in the case"), required=False, initial=False
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("People concerned"),
        queryset=CaseParticipant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    date = forms.DateField(label=_("Date"), widget=AdminDateWidget)
    date_precision = forms.ChoiceField(
        label=_("The date is known to the"),
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        widget=forms.RadioSelect,
        help_text=_("Choose “month” when the source says only “in September 2011”."),
    )
    status = forms.ChoiceField(label=_("New status"), choices=[("", "---------"), *Status.choices])
    headline = forms.CharField(
        label=_("Headline"),
        max_length=StatusChange._meta.get_field("headline").max_length,
        help_text=_("One line, e.g. “Charged with samoupravstvo”."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    sources = forms.ModelMultipleChoiceField(
        label=_("Sources already recorded"), queryset=Source.objects.all(), required=False
    )
    new_source_url = WebAddressField().formfield(
        label=_("Or a new source: address (URL)"), required=False
    )
    new_source_title = forms.CharField(
        label=_("Title of the new source"),
        max_length=Source._meta.get_field("title").max_length,
        required=False,
    )
    new_source_publisher = forms.CharField(
        label=_("Publisher of the new source"),
        max_length=Source._meta.get_field("publisher").max_length,
        required=False,
    )

    def __init__(self, *args, case, admin_site=admin.site, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        participants = self.fields["participants"]
        participants.queryset = case.participants.select_related("person").order_by("pk")
        participants.label_from_instance = self._participant_label
        sources = self.fields["sources"]
        sources.widget = AutocompleteSelectMultiple(
            StatusChange._meta.get_field("sources"), admin_site
        )
        sources.queryset = sources.queryset  # gives the new widget its choices

    def sections(self):
        """The fields after “who”, in the groups the template shows them in."""
        groups = [
            (
                _("What happened, and when"),
                ["date", "date_precision", "status", "headline", "description"],
            ),
            (
                _("Sources"),
                ["sources", "new_source_url", "new_source_title", "new_source_publisher"],
            ),
        ]
        return [(title, [self[name] for name in names]) for title, names in groups]

    @staticmethod
    def _participant_label(participant):
        label = f"{participant.person} ({participant.get_role_display()})"
        if participant.current_status:
            label += " — " + str(
                _("now: %(status)s") % {"status": participant.get_current_status_display()}
            )
        return label

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return date

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("everyone"):
            cleaned_data["participants"] = list(self.fields["participants"].queryset)
        if not cleaned_data.get("participants"):
            self.add_error(
                "participants",
                _("Choose the people the status change concerns, or “All the people in the case”."),
            )

        url = cleaned_data.get("new_source_url")
        existing = Source.objects.filter(url=url).first() if url else None
        if url and existing is None and not cleaned_data.get("new_source_title"):
            self.add_error("new_source_title", _("Give the title of the new source."))
        if cleaned_data.get("new_source_title") and not url:
            self.add_error("new_source_url", _("Give the address of the new source."))
        self.existing_new_source = existing
        if not cleaned_data.get("sources") and not url and "new_source_url" not in self.errors:
            self.add_error(
                "sources", _("Cite at least one source: pick one, or add the address of a new one.")
            )
        return cleaned_data

    def sources_to_cite(self) -> list[Source]:
        """The sources picked, and the new one, created unless its address is known."""
        sources = list(self.cleaned_data["sources"])
        url = self.cleaned_data.get("new_source_url")
        if url:
            new = self.existing_new_source
            if new is None:
                new = Source(
                    url=url,
                    title=self.cleaned_data["new_source_title"],
                    publisher=self.cleaned_data["new_source_publisher"],
                )
                new.full_clean()
                new.save()
            sources.append(new)
        return sources
