import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case, CaseParticipant
from .fields import label_of, random_public_id
from .partial_dates import (
    DatePrecision,
    format_partial_date,
    iso_partial_date,
    last_day,
    precision_constraint,
    truncate,
)
from .publication import published
from .sources import Source
from .statuses import Status
from .verdicts import VerdictSource


def with_its_verdict(collector, field, sub_objs, using):
    """on_delete of StatusChange.verdict: a verdict's entry in the timeline
    goes with the verdict, wherever it is deleted from (its page, a list's
    action, the shell), and the admin's confirmation page lists it. An entry
    that says more than the verdict did (it concerns other people too, or
    cites a source the verdict does not) is not deleted with it: deleting the
    verdict alone is refused, naming the entry, so that an editor decides what
    becomes of it (deleting the whole case still takes both away). Current
    statuses follow in cases.services.delete_verdicts()."""
    entries = list(sub_objs)
    if not entries:
        return
    other_person = StatusChangeParticipant.objects.filter(status_change=OuterRef("pk")).exclude(
        participant=OuterRef("verdict__participant")
    )
    cited_by_verdict = VerdictSource.objects.filter(
        verdict=OuterRef(OuterRef("verdict")), source=OuterRef("source")
    )
    other_source = StatusChangeSource.objects.filter(status_change=OuterRef("pk")).filter(
        ~Exists(cited_by_verdict)
    )
    saying_more = set(
        StatusChange.objects.filter(pk__in=[entry.pk for entry in entries])
        .filter(Exists(other_person) | Exists(other_source))
        .values_list("pk", flat=True)
    )
    kept = [entry for entry in entries if entry.pk in saying_more]
    if kept:
        models.RESTRICT(collector, field, kept, using)
    removed = [entry for entry in entries if entry.pk not in saying_more]
    if removed:
        models.CASCADE(collector, field, removed, using)


class StatusChangeQuerySet(models.QuerySet):
    def published(self):
        """Status changes of published cases."""
        return self.filter(published("case__"))

    def chronological(self):
        """In the order of their case's timeline (see StatusChange.position)."""
        return self.order_by("case", "position", "pk")

    def latest_first(self):
        """A case's timeline, its latest entry first."""
        return self.order_by("case", "-position", "-pk")

    def recent(self):
        """Entries of many cases, the latest first: by date, then as each
        case's timeline orders them."""
        return self.order_by("-date", "-position", "-pk")

    def with_people(self):
        """Prefetch the people each entry concerns."""
        return self.prefetch_related(
            models.Prefetch(
                "participant_links",
                queryset=StatusChangeParticipant.objects.select_related(
                    "participant__person"
                ).order_by("participant_id"),
            )
        )

    def for_timeline(self):
        """Prefetch what a timeline shows of each entry: its people and its sources."""
        return self.with_people().prefetch_related(
            models.Prefetch(
                "source_links",
                queryset=StatusChangeSource.objects.select_related("source").order_by("pk"),
            )
        )


class StatusChange(models.Model):
    """An entry in a case's timeline: on DATE, the people it concerns became STATUS.

    Recorded through cases.services.record_status_change(), which also brings
    the current status of those people and of the case up to date.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("case")
    )
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date known to the"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("Choose “month” when the source says only “in September 2011”."),
    )
    status = models.CharField(_("new status"), max_length=30, choices=Status)
    headline = models.CharField(_("headline"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    participants = models.ManyToManyField(
        CaseParticipant,
        through="StatusChangeParticipant",
        related_name="status_changes",
        verbose_name=_("people concerned"),
    )
    sources = models.ManyToManyField(
        Source,
        through="StatusChangeSource",
        related_name="status_changes",
        verbose_name=_("sources"),
    )
    # The verdict this entry tells of, for a verdict's entry in the timeline
    # and the feeds (cases.services.verdict_in_timeline()): one entry per
    # verdict, so that recording it again, or by hand, adds no second one.
    # Deleted with its verdict (with_its_verdict()).
    verdict = models.OneToOneField(
        "cases.Verdict",
        on_delete=with_its_verdict,
        null=True,
        blank=True,
        editable=False,
        related_name="status_change",
        verbose_name=_("verdict"),
    )
    # The place of the entry in its case's timeline, from 1. Entries whose
    # dates cannot overlap are in the order of the calendar; entries whose
    # dates overlap at their precision (September 2011 and 14 September 2011)
    # are in the order they were recorded, unless an editor moved one. Kept by
    # cases.services, and left out of the history of edits.
    position = models.PositiveIntegerField(_("place in the timeline"), default=0, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # What the public sees of its identity (anchors, feeds, the API); see random_public_id.
    public_id = models.CharField(
        _("public id"), max_length=16, unique=True, default=random_public_id, editable=False
    )

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["case", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(headline=""),
                name="status_change_headline_not_empty",
                violation_error_message=_("A status change needs a headline."),
            ),
            precision_constraint("date", "date_precision", "status_change_date_precision"),
        ]
        indexes = [
            # The latest changes (home page, feeds) in their order, recent(): read
            # from the index's end, however many entries share the latest date.
            models.Index(fields=["date", "position", "id"], name="status_change_recent"),
            models.Index(fields=["case", "position"], name="status_change_timeline"),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.headline}"

    def get_absolute_url(self):
        """The entry on its case's page."""
        return f"{self.case.get_absolute_url()}#{self.anchor}"

    def get_status_display(self):
        return label_of(Status, self.status)

    @property
    def anchor(self) -> str:
        """The id of the entry on its case's page, for links to it (feeds, the API)."""
        return f"status-change-{self.public_id}"

    def clean(self):
        if self.date:
            self.date = truncate(self.date, self.date_precision)
            if self.date > timezone.localdate():
                raise ValidationError({"date": _("The date cannot be in the future.")})

    @property
    def last_day(self) -> datetime.date:
        """The last day the entry's date may stand for (30 September for September 2011)."""
        return last_day(self.date, self.date_precision)

    def overlaps(self, other: "StatusChange") -> bool:
        """Whether the dates of the two entries may be the same day, at their precision."""
        return self.date <= other.last_day and other.date <= self.last_day

    @property
    def date_is_partial(self) -> bool:
        return self.date_precision != DatePrecision.DAY

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)

    @property
    def date_iso(self) -> str:
        return iso_partial_date(self.date, self.date_precision)


class StatusChangeParticipant(models.Model):
    """That a status change concerns a person in its case.

    The database refuses a row whose person is in another case (the
    triggers named status_change_participant_in_case_*, see migration 0002).
    """

    status_change = models.ForeignKey(
        StatusChange,
        on_delete=models.CASCADE,
        related_name="participant_links",
        verbose_name=_("status change"),
    )
    # RESTRICT: a person cannot leave a case while its timeline names them,
    # but deleting the whole case takes both away.
    participant = models.ForeignKey(
        CaseParticipant,
        on_delete=models.RESTRICT,
        related_name="status_change_links",
        verbose_name=_("person concerned"),
    )

    class Meta:
        verbose_name = _("person concerned")
        verbose_name_plural = _("people concerned")
        constraints = [
            models.UniqueConstraint(
                fields=["status_change", "participant"],
                name="status_change_participant_unique",
                violation_error_message=_("This person is already named in the status change."),
            ),
        ]

    def __str__(self):
        return str(self.participant.person)

    def clean(self):
        # Also runs for a status change that is not saved yet (the admin's
        # add form), so compare the objects, not their ids in the database.
        try:
            change, participant = self.status_change, self.participant
        except ObjectDoesNotExist:
            return
        if participant.case_id != change.case_id:
            raise ValidationError(
                {"participant": _("A status change can only concern people in its own case.")}
            )


class StatusChangeSource(models.Model):
    status_change = models.ForeignKey(
        StatusChange,
        on_delete=models.CASCADE,
        related_name="source_links",
        verbose_name=_("status change"),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="status_change_links",
        verbose_name=_("source"),
    )

    class Meta:
        verbose_name = _("source of the status change")
        verbose_name_plural = _("sources of the status change")
        ordering = ["status_change", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_change", "source"],
                name="status_change_source_unique",
                violation_error_message=_("This source is already cited."),
            ),
        ]

    def __str__(self):
        return str(self.source)
