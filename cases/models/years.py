from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class CaseYear(models.Model):
    """A year in which a case started or had a status change: each such
    (case, year) once, for the count of cases by year (cases.facets).

    Kept by the database itself, in the transaction of the edit, whatever
    path writes (services, admin, import, bulk writes, the synthetic
    generator, a restore of history): triggers on the status changes' date
    and case and on the case's start date (migration 0031). Nothing in
    Python writes it. A pair goes when no status change of its case nor its
    start date falls in that year any more.
    """

    pk = models.CompositePrimaryKey("case", "year")
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="years",
        verbose_name=_("case"),
        db_index=False,  # the primary key starts with it
    )
    year = models.IntegerField(_("year"))

    class Meta:
        verbose_name = _("year of a case")
        verbose_name_plural = _("years of cases")
        indexes = [
            # The case list's filter by year (CaseFilter.filter_year): the cases
            # of a year, read from the index alone.
            models.Index(fields=["year", "case"], name="case_year_by_year"),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.year}"
