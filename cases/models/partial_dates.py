"""Dates known to the day, the month or only the year.

Sources say "on 14 September", "in September 2011" or "in 2011"; a date is
stored as its first possible day together with its precision, so that
"September 2011" is never shown as "1 September 2011".
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def truncate(date: datetime.date, precision: str) -> datetime.date:
    """The first day of the month or year that DATE falls in, as PRECISION asks."""
    if precision == DatePrecision.MONTH:
        return date.replace(day=1)
    if precision == DatePrecision.YEAR:
        return date.replace(month=1, day=1)
    return date


def last_day(date: datetime.date, precision: str) -> datetime.date:
    """The last day that DATE, known to PRECISION, may stand for: 30 September
    for "September 2011", 31 December for "2011"."""
    if precision == DatePrecision.YEAR:
        return date.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        following = date.replace(day=28) + datetime.timedelta(days=4)
        return following - datetime.timedelta(days=following.day)
    return date


def format_partial_date(date: datetime.date | None, precision: str) -> str:
    """'14 September 2011', 'September 2011' or '2011', in the active language."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return date_format(date, "YEAR_MONTH_FORMAT")
    return date_format(date, "DATE_FORMAT")


def iso_partial_date(date: datetime.date | None, precision: str) -> str:
    """The value for <time datetime>: '2011-09-14', '2011-09' or '2011'."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def precision_constraint(
    date_field: str, precision_field: str, name: str
) -> models.CheckConstraint:
    """A month-precise date falls on the 1st; a year-precise one on 1 January."""
    day_is_first = Q(**{f"{date_field}__day": 1})
    return models.CheckConstraint(
        condition=Q(**{f"{date_field}__isnull": True})
        | Q(**{precision_field: DatePrecision.DAY})
        | (Q(**{precision_field: DatePrecision.MONTH}) & day_is_first)
        | (
            Q(**{precision_field: DatePrecision.YEAR})
            & day_is_first
            & Q(**{f"{date_field}__month": 1})
        ),
        name=name,
        violation_error_message=_(
            "A date known only to the month must be the 1st of that month, "
            "and one known only to the year must be 1 January."
        ),
    )
