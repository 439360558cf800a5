"""Verdicts and the sentences they pass, first instance and appeals.

A verdict concerns one person in a case (in a group case each defendant has
their own sentence). An appeal is a further verdict that points to the one
it reviewed, so the chain stays readable: convicted, upheld, changed. The
expected release is derived from the term and its start when both are known,
at the precision the start allows (see expected_release_of()).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .cases import Case, CaseParticipant
from .charges import Charge
from .detentions import case_of_participant, check_case_of_participant
from .fields import label_of
from .organisations import Organisation
from .partial_dates import (
    DatePrecision,
    format_partial_date,
    iso_partial_date,
    precision_constraint,
    truncate,
)
from .places import Regime
from .publication import published
from .sources import Source

# The longest term recorded in each unit (a hundred years): more is a typing
# error, refused in words, and would give a release beyond the calendar.
MAX_TERM = {"years": 100, "months": 1200, "days": 36600}


_TERM_TOO_LONG = {
    "years": _("A term of more than %(limit_value)s years is a typing error: correct it."),
    "months": _("A term of more than %(limit_value)s months is a typing error: correct it."),
    "days": _("A term of more than %(limit_value)s days is a typing error: correct it."),
}


def _term_limit(unit: str) -> MaxValueValidator:
    return MaxValueValidator(MAX_TERM[unit], message=_TERM_TOO_LONG[unit])


def expected_release_of(
    start: datetime.date | None,
    start_precision: str,
    years: int | None,
    months: int | None,
    days: int | None,
) -> tuple[datetime.date, str] | None:
    """(date, precision) when a term of YEARS, MONTHS and DAYS counted from
    START runs out, or None when it cannot be said at a precision.

    The release is the start plus the term, at the start's precision: a
    five-year term from September 2011 ends in September 2016. A term that
    is finer than its start is known (15 days from "September 2011", 6
    months from "2011") could end in either of two months or years, so no
    date is given rather than a wrong one.
    """
    if start is None or not (years or months or days):
        return None
    if any(
        (term or 0) > MAX_TERM[unit]
        for unit, term in zip(MAX_TERM, (years, months, days), strict=True)
    ):
        return None  # a typing error, which the term's own field refuses
    if start_precision == DatePrecision.MONTH and days:
        return None
    if start_precision == DatePrecision.YEAR and (months or days):
        return None
    end = start + relativedelta(years=years or 0, months=months or 0, days=days or 0)
    return truncate(end, start_precision), start_precision


class VerdictQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published("case__"))

    def chronological(self):
        return self.order_by("date", "pk")

    def delete(self):
        """Delete these verdicts as services.delete_verdicts() does, from a
        script or the shell too: their entries go with them, and the current
        statuses of their cases follow what the timelines then say."""
        from ..services import delete_verdicts

        return delete_verdicts(self)

    delete.alters_data = True
    delete.queryset_only = True


class Verdict(models.Model):
    class Outcome(models.TextChoices):
        CONVICTED = "convicted", _("convicted")
        ACQUITTED = "acquitted", _("acquitted")
        UPHELD = "upheld", _("upheld on appeal")
        CHANGED = "changed", _("sentence changed on appeal")
        QUASHED = "quashed", _("quashed on appeal")

    class SentenceKind(models.TextChoices):
        IMPRISONMENT = "imprisonment", _("imprisonment")
        SUSPENDED = "suspended", _("suspended sentence")
        RESTRICTION_OF_FREEDOM = "restriction_of_freedom", _("restriction of freedom")
        CORRECTIVE_LABOUR = "corrective_labour", _("corrective labour")
        COMPULSORY_TREATMENT = "compulsory_treatment", _("compulsory psychiatric treatment")
        FINE = "fine", _("fine")
        LIFE = "life", _("life imprisonment")
        DEATH = "death", _("death penalty")

    # Kinds whose length is a term; the others have none.
    WITH_TERM = {
        SentenceKind.IMPRISONMENT,
        SentenceKind.SUSPENDED,
        SentenceKind.RESTRICTION_OF_FREEDOM,
        SentenceKind.CORRECTIVE_LABOUR,
        SentenceKind.COMPULSORY_TREATMENT,
    }
    # Outcomes of an appeal, which review an earlier verdict.
    ON_APPEAL = {Outcome.UPHELD, Outcome.CHANGED, Outcome.QUASHED}
    # Outcomes that pass a sentence (an upheld verdict keeps the earlier one).
    SENTENCING = {Outcome.CONVICTED, Outcome.CHANGED}

    # The case, for the inlines of the case's form (an inline needs a key to
    # the row it is edited under); always the participant's case (clean(), save()).
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="verdicts", verbose_name=_("case")
    )
    participant = models.ForeignKey(
        CaseParticipant,
        on_delete=models.RESTRICT,
        related_name="verdicts",
        verbose_name=_("person"),
    )
    court = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdicts",
        verbose_name=_("court"),
        limit_choices_to={"kind": Organisation.Kind.COURT},
        help_text=_("An organisation of the kind “court”. Leave empty when sources do not say."),
    )
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date known to the"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    appeal_of = models.ForeignKey(
        "self",
        # Not while an appeal names it; deleting the whole case takes both away.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("appeal against"),
        help_text=_("For a verdict on appeal: the earlier verdict it reviewed."),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    charges = models.ManyToManyField(
        Charge,
        through="VerdictCharge",
        related_name="verdicts",
        verbose_name=_("articles convicted on"),
    )
    sentence_kind = models.CharField(
        _("sentence"),
        max_length=30,
        choices=SentenceKind,
        blank=True,
        help_text=_("Leave empty with a term to mean imprisonment."),
    )
    term_years = models.PositiveSmallIntegerField(
        _("years"), null=True, blank=True, validators=[_term_limit("years")]
    )
    term_months = models.PositiveSmallIntegerField(
        _("months"), null=True, blank=True, validators=[_term_limit("months")]
    )
    term_days = models.PositiveSmallIntegerField(
        _("days"), null=True, blank=True, validators=[_term_limit("days")]
    )
    regime = models.CharField(_("regime"), max_length=30, choices=Regime, blank=True)
    sentence_note = models.CharField(
        _("further penalties"),
        max_length=300,
        blank=True,
        help_text=_("In the court's words: the amount of a fine, a ban on activity, …"),
    )
    sentence_start = models.DateField(
        _("term counted from"),
        null=True,
        blank=True,
        help_text=_("Often the day of arrest, when time in pre-trial detention counts."),
    )
    sentence_start_precision = models.CharField(
        _("term's start known to the"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    expected_release = models.DateField(
        _("expected release"),
        null=True,
        blank=True,
        help_text=_(
            "Filled in from the term and its start when both are known; "
            "give it yourself only when a source states it and the term is not known."
        ),
    )
    expected_release_precision = models.CharField(
        _("expected release known to the"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    sources = models.ManyToManyField(
        Source, through="VerdictSource", related_name="verdicts", verbose_name=_("sources")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = VerdictQuerySet.as_manager()

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["participant", "date", "pk"]
        constraints = [
            precision_constraint("date", "date_precision", "verdict_date_precision"),
            precision_constraint(
                "sentence_start", "sentence_start_precision", "verdict_sentence_start_precision"
            ),
            precision_constraint(
                "expected_release", "expected_release_precision", "verdict_release_precision"
            ),
            # A NULL term makes its comparison unknown, which a CHECK lets pass:
            # hence the isnull=False beside each.
            models.CheckConstraint(
                condition=~Q(outcome__in=["convicted", "changed"])
                | ~Q(sentence_kind="")
                | Q(term_years__isnull=False, term_years__gt=0)
                | Q(term_months__isnull=False, term_months__gt=0)
                | Q(term_days__isnull=False, term_days__gt=0),
                name="verdict_sentence_has_term_or_kind",
                violation_error_message=_(
                    "A sentence needs its term or its kind (life, a fine, …)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(pk=models.F("appeal_of")),
                name="verdict_not_appeal_of_itself",
                violation_error_message=_("A verdict cannot be an appeal against itself."),
            ),
        ]

    def __str__(self):
        parts = [self.get_outcome_display(), self.date_display]
        if self.sentence_display:
            parts.append(self.sentence_display)
        return ", ".join(str(part) for part in parts)

    def save(self, *args, **kwargs):
        check_case_of_participant(self)
        super().save(*args, **kwargs)

    def delete(self, using=None, keep_parents=False):
        """As VerdictQuerySet.delete(): its entry goes with it, and the
        statuses follow (services.delete_verdicts())."""
        from ..services import delete_verdicts

        return delete_verdicts([self])

    delete.alters_data = True

    def get_outcome_display(self):
        return label_of(self.Outcome, self.outcome)

    def get_sentence_kind_display(self):
        return label_of(self.SentenceKind, self.sentence_kind)

    def get_regime_display(self):
        return label_of(Regime, self.regime)

    @property
    def has_term(self) -> bool:
        return bool(self.term_years or self.term_months or self.term_days)

    def clean(self):
        errors = {}
        case_of_participant(self, errors)
        if self.date:
            self.date = truncate(self.date, self.date_precision)
            if self.date > timezone.localdate():
                errors["date"] = _("The date cannot be in the future.")
        if self.sentence_start:
            self.sentence_start = truncate(self.sentence_start, self.sentence_start_precision)
        if self.expected_release:
            self.expected_release = truncate(self.expected_release, self.expected_release_precision)
        if self.court_id and self.court.kind != Organisation.Kind.COURT:
            errors["court"] = _("%(organisation)s is not recorded as a court.") % {
                "organisation": self.court
            }
        errors.update(self._appeal_errors())
        errors.update(self.sentence_errors())
        if errors:
            raise ValidationError(errors)

    def _appeal_errors(self) -> dict:
        if (
            self.pk is not None
            and Verdict.objects.filter(pk=self.pk).exclude(participant=self.participant_id).exists()
            and self.appeals.exists()
        ):
            return {
                "participant": _(
                    "An appeal reviews this verdict: it stays the verdict on the same person. "
                    "Correct the person of the appeal first, or record another verdict."
                )
            }
        if self.appeal_of_id is None:
            if self.outcome in self.ON_APPEAL:
                return {"appeal_of": _("Choose the earlier verdict that this appeal reviewed.")}
            return {}
        earlier = self.appeal_of
        if self.pk is not None and earlier.pk == self.pk:
            return {"appeal_of": _("A verdict cannot be an appeal against itself.")}
        if earlier.participant_id != self.participant_id:
            return {
                "appeal_of": _("The earlier verdict must concern the same person in the same case.")
            }
        if self.date and earlier.date and self.date < earlier.date:
            return {"date": _("An appeal cannot be decided before the verdict it reviews.")}
        return {}

    def sentence_errors(self) -> dict:
        """{field: words} of what is wrong with the sentence (imports ask it too)."""
        has_sentence = (
            self.has_term
            or self.sentence_kind
            or self.regime
            or self.sentence_start
            or self.expected_release
        )
        if self.outcome in (self.Outcome.ACQUITTED, self.Outcome.QUASHED):
            if has_sentence:
                return {
                    "sentence_kind": _(
                        "An acquittal or a quashed verdict passes no sentence: leave the "
                        "sentence, its term and its dates empty."
                    )
                }
            return {}
        if self.has_term and not self.sentence_kind:
            self.sentence_kind = self.SentenceKind.IMPRISONMENT
        if self.outcome in self.SENTENCING and not self.sentence_kind:
            return {
                "sentence_kind": _(
                    "Give the sentence: its term in years, months or days, or its kind "
                    "(life, death, a fine, …)."
                )
            }
        if self.sentence_kind and self.sentence_kind not in self.WITH_TERM and self.has_term:
            return {
                "term_years": _("A sentence of %(kind)s has no term.")
                % {"kind": self.get_sentence_kind_display()}
            }
        if (
            self.sentence_kind in (self.SentenceKind.LIFE, self.SentenceKind.DEATH)
            and self.expected_release
        ):
            return {
                "expected_release": _("A sentence of %(kind)s has no expected release.")
                % {"kind": self.get_sentence_kind_display()}
            }
        derived = expected_release_of(
            self.sentence_start,
            self.sentence_start_precision,
            self.term_years,
            self.term_months,
            self.term_days,
        )
        if derived is not None:
            date, precision = derived
            if self.expected_release and (
                self.expected_release != date or self.expected_release_precision != precision
            ):
                return {
                    "expected_release": _(
                        "The term and its start give %(date)s: leave the expected release "
                        "empty, or correct the term or its start."
                    )
                    % {"date": format_partial_date(date, precision)}
                }
            self.expected_release, self.expected_release_precision = date, precision
        if (
            self.expected_release
            and self.sentence_start
            and self.expected_release < self.sentence_start
        ):
            return {
                "expected_release": _("The expected release cannot be before the term's start.")
            }
        return {}

    @property
    def term_display(self) -> str:
        parts = []
        if self.term_years:
            parts.append(
                ngettext("%(count)d year", "%(count)d years", self.term_years)
                % {"count": self.term_years}
            )
        if self.term_months:
            parts.append(
                ngettext("%(count)d month", "%(count)d months", self.term_months)
                % {"count": self.term_months}
            )
        if self.term_days:
            parts.append(
                ngettext("%(count)d day", "%(count)d days", self.term_days)
                % {"count": self.term_days}
            )
        return " ".join(parts)

    @property
    def sentence_display(self) -> str:
        """'imprisonment, 5 years 6 months, strict regime', 'life imprisonment', ''."""
        parts = [
            str(self.get_sentence_kind_display()) if self.sentence_kind else "",
            self.term_display,
            str(self.get_regime_display()) if self.regime else "",
        ]
        return ", ".join(part for part in parts if part)

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)

    @property
    def date_iso(self) -> str:
        return iso_partial_date(self.date, self.date_precision)

    @property
    def expected_release_display(self) -> str:
        return format_partial_date(self.expected_release, self.expected_release_precision)

    @property
    def expected_release_iso(self) -> str:
        return iso_partial_date(self.expected_release, self.expected_release_precision)


class VerdictCharge(models.Model):
    """An article a verdict convicted on: one of the charges of its case."""

    verdict = models.ForeignKey(
        Verdict, on_delete=models.CASCADE, related_name="charge_links", verbose_name=_("verdict")
    )
    charge = models.ForeignKey(
        Charge, on_delete=models.PROTECT, related_name="verdict_links", verbose_name=_("charge")
    )

    class Meta:
        verbose_name = _("article convicted on")
        verbose_name_plural = _("articles convicted on")
        ordering = ["verdict", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["verdict", "charge"],
                name="verdict_charge_unique",
                violation_error_message=_("This article is already named in the verdict."),
            ),
        ]

    def __str__(self):
        return str(self.charge)

    def clean(self):
        try:
            verdict, charge = self.verdict, self.charge
        except ObjectDoesNotExist:
            return
        case = verdict.participant.case
        if not case.charge_links.filter(charge=charge).exists():
            raise ValidationError(
                {
                    "charge": _(
                        "%(charge)s is not among the charges of the case: add it to the case first."
                    )
                    % {"charge": charge}
                }
            )


class VerdictSource(models.Model):
    verdict = models.ForeignKey(
        Verdict, on_delete=models.CASCADE, related_name="source_links", verbose_name=_("verdict")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="verdict_links", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("source of the verdict")
        verbose_name_plural = _("sources of the verdict")
        ordering = ["verdict", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["verdict", "source"],
                name="verdict_source_unique",
                violation_error_message=_("This source is already cited."),
            ),
        ]

    def __str__(self):
        return str(self.source)
