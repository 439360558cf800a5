from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .people import Person


class ExternalId(models.Model):
    """The id that another list (a spreadsheet an organisation kept for years)
    gives a person in a case, or a case: "ESI-2014:42".

    Kept so that importing a corrected version of the same list updates what
    the first import made instead of making it again (cases.imports). An id
    of a row names the person and the case; an id of a group of rows, the case
    alone.
    """

    value = models.CharField(_("id in the imported list"), max_length=200)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="external_ids", verbose_name=_("case")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="external_ids",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("id in an imported list")
        verbose_name_plural = _("ids in imported lists")
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(
                fields=["value"],
                condition=Q(person__isnull=False),
                name="external_id_of_person_unique",
                violation_error_message=_("This id of a list already names a person in a case."),
            ),
            models.UniqueConstraint(
                fields=["value"],
                condition=Q(person__isnull=True),
                name="external_id_of_case_unique",
                violation_error_message=_("This id of a list already names a case."),
            ),
        ]

    def __str__(self):
        return self.value
