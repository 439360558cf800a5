from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import WebAddressField
from .partial_dates import DatePrecision, format_partial_date, precision_constraint, truncate


class Source(models.Model):
    """A published document that backs facts: an article, a court ruling, a report."""

    url = WebAddressField(
        _("address (URL)"),
        max_length=1000,
        blank=True,
        help_text=_("Leave empty only if the source is not online."),
    )
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_on = models.DateField(_("published"), null=True, blank=True)
    published_on_precision = models.CharField(
        _("publication date known to the"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    archive_url = WebAddressField(
        _("archived copy (URL)"),
        max_length=1000,
        blank=True,
        help_text=_("A copy in a web archive, in case the original disappears."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="source_title_not_empty",
                violation_error_message=_("A source needs a title."),
            ),
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique",
                violation_error_message=_("A source with this address is already recorded."),
            ),
            precision_constraint("published_on", "published_on_precision", "source_date_precision"),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def clean(self):
        if self.published_on:
            self.published_on = truncate(self.published_on, self.published_on_precision)

    @property
    def published_on_display(self) -> str:
        return format_partial_date(self.published_on, self.published_on_precision)
