"""A person's deprivation of liberty in a case, episode by episode.

An episode is one kind of detention from its start to its end: arrested on
14 September, in pre-trial detention from 16 September, imprisoned after the
verdict. Its dates are partial (cases.models.partial_dates), its place is
known or not (most of the time it is not). Whether someone is held now
follows from the episodes alone: see held_now().
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case, CaseParticipant
from .fields import label_of
from .partial_dates import (
    DatePrecision,
    format_partial_date,
    iso_partial_date,
    last_day,
    precision_constraint,
    truncate,
)
from .places import PlaceOfDetention
from .publication import published
from .sources import Source
from .statuses import ENDS_DETENTION


def held_now(prefix: str = "", *, today: datetime.date | None = None) -> Q:
    """Detention episodes (reached through PREFIX) that hold someone today.

    THE definition of "held now", used by every page, filter, figure and
    download: a person is held now when one of their detention episodes has
    begun (its start is not after today) and has no end recorded. Every kind
    of episode counts, house arrest too (it is a deprivation of liberty in
    law, and registers list it); the pages say which kind it is. An end is
    recorded only once it is known, never in advance: the end a sentence is
    expected to have is the verdict's expected release, which does not
    release anyone by itself. What the public may know is the episodes of
    published cases: combine with published("...case__"), as
    Detention.objects.published().held_now() and Person.objects.held_now() do.
    """
    today = today or timezone.localdate()
    return Q(**{f"{prefix}end__isnull": True, f"{prefix}start__lte": today})


class DetentionQuerySet(models.QuerySet):
    def published(self):
        """Episodes in published cases."""
        return self.filter(published("case__"))

    def held_now(self):
        """Episodes that hold their person today (see held_now())."""
        return self.filter(held_now())

    def chronological(self):
        return self.order_by("start", "pk")


class Detention(models.Model):
    """One episode of a person's deprivation of liberty in a case."""

    class Kind(models.TextChoices):
        ARREST = "arrest", _("arrest (police custody)")
        ADMINISTRATIVE = "administrative", _("administrative detention")
        PRE_TRIAL = "pre_trial", _("pre-trial detention")
        HOUSE_ARREST = "house_arrest", _("house arrest")
        PRISON = "prison", _("imprisonment (serving a sentence)")
        PSYCHIATRIC = "psychiatric", _("compulsory psychiatric treatment")
        OTHER = "other", _("other deprivation of liberty")

    # The case, for the inlines of the case's form (an inline needs a key to
    # the row it is edited under); always the participant's case (clean(), save()).
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="detentions", verbose_name=_("case")
    )
    participant = models.ForeignKey(
        CaseParticipant,
        # A person cannot leave a case while an episode names them there;
        # deleting the whole case takes both away.
        on_delete=models.RESTRICT,
        related_name="detentions",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    start = models.DateField(_("from"))
    start_precision = models.CharField(
        _("start known to the"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    may_have_begun_earlier = models.BooleanField(
        _("held by then, may have begun earlier"),
        default=False,
        help_text=_(
            "Tick when the source says only that the person was held at that date "
            "(“the continuing imprisonment of …”), not when it began."
        ),
    )
    end = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty while the person is held: this is the release or the move to "
            "another kind of detention, once it has happened."
        ),
    )
    end_precision = models.CharField(
        _("end known to the"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    place = models.ForeignKey(
        PlaceOfDetention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="detentions",
        verbose_name=_("place"),
        help_text=_("Leave empty when sources do not say where."),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Needed when the place is in another country than the case (extradition …)."),
    )
    sources = models.ManyToManyField(
        Source, through="DetentionSource", related_name="detentions", verbose_name=_("sources")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = DetentionQuerySet.as_manager()

    class Meta:
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        ordering = ["participant", "start", "pk"]
        constraints = [
            precision_constraint("start", "start_precision", "detention_start_precision"),
            precision_constraint("end", "end_precision", "detention_end_precision"),
            # clean() compares the last day the end may stand for with the
            # start; the database can hold the weaker half of that rule.
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(end__gte=F("start"))
                | (~Q(end_precision=DatePrecision.DAY) & Q(end__year__gte=ExtractYear("start"))),
                name="detention_ends_after_it_starts",
                violation_error_message=_("A detention cannot end before it starts."),
            ),
        ]
        indexes = [
            # Who is held now: the open episodes.
            models.Index(fields=["start"], condition=Q(end__isnull=True), name="detention_open"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.period_display}"

    def save(self, *args, **kwargs):
        check_case_of_participant(self)
        super().save(*args, **kwargs)

    def get_kind_display(self):
        return label_of(self.Kind, self.kind)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.start:
            self.start = truncate(self.start, self.start_precision)
            if self.start > today:
                errors["start"] = _("A detention cannot start in the future.")
        if self.end:
            self.end = truncate(self.end, self.end_precision)
            if self.end > today:
                errors["end"] = _(
                    "The end is recorded once it has happened; an expected release "
                    "belongs to the verdict."
                )
            elif self.start and last_day(self.end, self.end_precision) < self.start:
                errors["end"] = _(
                    "The release (%(end)s) cannot be before the start of the detention (%(start)s)."
                ) % {"end": self.end_display, "start": self.start_display}
        case = case_of_participant(self, errors)
        if case is not None and "end" not in errors and "start" not in errors:
            errors.update(self._released_errors())
        if case is not None and held_abroad(self.place, case.country) and not self.note.strip():
            errors["note"] = _(
                "%(place)s is in %(country)s, not in the country of the case: say in the note "
                "why (extradition, transfer …)."
            ) % {"place": self.place, "country": self.place.country.name}
        if errors:
            raise ValidationError(errors)

    def _released_errors(self) -> dict:
        """An open detention that began by the date of the person's latest
        timeline entry, when that entry says they were released (acquitted,
        died ...: statuses.ENDS_DETENTION), would have the site say "held now"
        of someone the timeline says is free: it needs its end. One that
        began after that date is a new arrest, and is recorded as it is: the
        detention is the newer fact, and "held now" follows it (held_now());
        the editor records the arrest in the timeline too."""
        if self.end is not None or not self.start:
            return {}
        latest = release_that_ends(self.participant_id, self.start)
        if latest is None:
            return {}
        return {
            "end": _(
                "The timeline says that %(person)s was %(status)s on %(date)s: give the end "
                "of this detention (that date at the latest), or a start after it if this "
                "is a new arrest."
            )
            % {
                "person": self.participant.person,
                "status": latest.get_status_display(),
                "date": latest.date_display,
            }
        }

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def start_display(self) -> str:
        return format_partial_date(self.start, self.start_precision)

    @property
    def end_display(self) -> str:
        return format_partial_date(self.end, self.end_precision)

    @property
    def start_iso(self) -> str:
        return iso_partial_date(self.start, self.start_precision)

    @property
    def end_iso(self) -> str:
        return iso_partial_date(self.end, self.end_precision)

    @property
    def period_display(self) -> str:
        if self.end is None:
            return _("since %(start)s") % {"start": self.start_display}
        return _("%(start)s – %(end)s") % {"start": self.start_display, "end": self.end_display}


def release_that_ends(participant_id, start: datetime.date):
    """The status change that ends a detention of the participation
    PARTICIPANT_ID begun on START, or None: the person's latest entry in the
    timeline, when it says they are free (statuses.ENDS_DETENTION) at a date
    the start is not after. A detention recorded open while this is not None
    is refused (Detention.clean()); a list that gives the release and not the
    detention's end is read as ending it there (the import)."""
    from .timeline import StatusChange

    latest = (
        StatusChange.objects.filter(participant_links__participant=participant_id)
        .latest_first()
        .only("status", "date", "date_precision", "headline")
        .first()
    )
    if latest is None or latest.status not in ENDS_DETENTION or start > latest.last_day:
        return None
    return latest


def held_abroad(place, country) -> bool:
    """Whether PLACE is in another country than COUNTRY (a case's): the
    register then asks why, in the detention's note."""
    return bool(place is not None and place.country and country and place.country != country)


def case_of_participant(fact, errors: dict):
    """The case of FACT (a detention or a verdict) and its participant's, or
    None; adds an error to ERRORS when the participant is in another case."""
    try:
        participant = fact.participant
    except ObjectDoesNotExist:
        return None
    if fact.case_id is None:
        fact.case = participant.case
    elif participant.case_id != fact.case_id:
        errors["participant"] = _("%(person)s is not in this case.") % {
            "person": participant.person
        }
        return None
    return fact.case


def check_case_of_participant(fact) -> None:
    """Every save of a detention or a verdict meets this: its case is its
    participant's. A form says so in words first (case_of_participant)."""
    case_id = fact.participant.case_id
    if fact.case_id is None:
        fact.case_id = case_id
    elif fact.case_id != case_id:
        raise ValueError(f"{fact!r}: the person is in another case than the fact.")


class DetentionSource(models.Model):
    detention = models.ForeignKey(
        Detention,
        on_delete=models.CASCADE,
        related_name="source_links",
        verbose_name=_("detention"),
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="detention_links", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("source of the detention")
        verbose_name_plural = _("sources of the detention")
        ordering = ["detention", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["detention", "source"],
                name="detention_source_unique",
                violation_error_message=_("This source is already cited."),
            ),
        ]

    def __str__(self):
        return str(self.source)
