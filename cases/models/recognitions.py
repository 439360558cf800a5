"""Recognitions: a named organisation declaring a person a prisoner of
conscience, a political prisoner, arbitrarily detained. Readers and
diplomats cite them; each is dated and backed by the organisation's own
statement."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import label_of
from .organisations import Organisation
from .partial_dates import DatePrecision, format_partial_date, precision_constraint, truncate
from .people import Person
from .sources import Source


class Recognition(models.Model):
    class Kind(models.TextChoices):
        PRISONER_OF_CONSCIENCE = "prisoner_of_conscience", _("prisoner of conscience")
        POLITICAL_PRISONER = "political_prisoner", _("political prisoner")
        ARBITRARILY_DETAINED = "arbitrarily_detained", _("arbitrarily detained")
        PERSECUTED = "persecuted", _("politically persecuted")
        HUMAN_RIGHTS_DEFENDER = "human_rights_defender", _("human rights defender at risk")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="recognitions", verbose_name=_("person")
    )
    kind = models.CharField(_("recognised as"), max_length=30, choices=Kind)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recognitions",
        verbose_name=_("recognised by"),
        help_text=_(
            "e.g. Amnesty International, Memorial, the UN Working Group on Arbitrary Detention."
        ),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date known to the"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions",
        verbose_name=_("source"),
        help_text=_(
            "The organisation's statement. A case cannot be published while this is empty."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["person", "date", "pk"]
        constraints = [
            precision_constraint("date", "date_precision", "recognition_date_precision"),
            models.UniqueConstraint(
                fields=["person", "kind", "organisation"],
                name="recognition_unique",
                violation_error_message=_(
                    "This organisation's recognition of this person is already recorded."
                ),
            ),
        ]

    def __str__(self):
        return _("%(kind)s (%(organisation)s)") % {
            "kind": self.get_kind_display(),
            "organisation": self.organisation,
        }

    def get_kind_display(self):
        return label_of(self.Kind, self.kind)

    def clean(self):
        if self.date:
            self.date = truncate(self.date, self.date_precision)

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)
