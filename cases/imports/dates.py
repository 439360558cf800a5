"""Dates as lists write them, read with the precision they are known to.

One column of one list holds "22 November 2013", "July 23rd, 2014",
"March13, 2007", "October 5 2012", "2011-09", "14.04.2014", "в сентябре
2011" and "Pretrial detention decision was made on 14 April 2014". Each is
read as its first possible day and a precision (models.partial_dates), never
as a day that nobody wrote: "September 2011" stays a month. A cell made of
digits alone must be one whole date ("1952-08021" is refused, not read as
1952); in prose, the first date found is taken.
"""

import datetime
import re

from django.utils.translation import gettext as _

from ..models.partial_dates import DatePrecision

_MONTHS = {
    # Russian and Kazakh months by their stems (English ones by _ENGLISH).
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "мая": 5, "май": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6,
    "шілде": 7, "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}  # fmt: skip
_MONTH = r"(?P<month>[^\W\d_]{3,})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# Cells of digits alone: one whole date, day first where the day is written first.
_NUMERIC = (
    (re.compile(rf"{_YEAR}-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})"), DatePrecision.DAY),
    (re.compile(rf"(?P<day>\d{{1,2}})[./-](?P<month>\d{{1,2}})[./-]{_YEAR}"), DatePrecision.DAY),
    (re.compile(rf"{_YEAR}-(?P<month>\d{{1,2}})"), DatePrecision.MONTH),
    (re.compile(rf"(?P<month>\d{{1,2}})[./]{_YEAR}"), DatePrecision.MONTH),
    (re.compile(_YEAR), DatePrecision.YEAR),
)
# Dates in words, found anywhere in the cell.
_WORDED = (
    (re.compile(rf"\b{_DAY}\s*(?:of\s+)?{_MONTH}\.?,?\s*{_YEAR}\b"), DatePrecision.DAY),
    (re.compile(rf"\b{_MONTH}\.?\s*{_DAY},?\s+{_YEAR}\b"), DatePrecision.DAY),
    (re.compile(rf"\b{_YEAR}-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})\b"), DatePrecision.DAY),
    (re.compile(rf"\b(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.{_YEAR}\b"), DatePrecision.DAY),
    (re.compile(rf"\b{_MONTH}\.?,?\s+(?:of\s+)?{_YEAR}\b"), DatePrecision.MONTH),
)
_ONE_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_DIGITS_ONLY = re.compile(r"[\d\s./-]+")


class UnreadableDate(ValueError):
    """A cell that holds no date this module can read, with the reason."""


_ENGLISH = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def month_number(word: str) -> int | None:
    """1 for "January", "Jan", "января", "қаңтар"; None for a word that names no month."""
    word = word.lower()
    for number, name in enumerate(_ENGLISH, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    for stem, number in _MONTHS.items():
        if word.startswith(stem):
            return number
    return None


def read_date(text: str) -> tuple[datetime.date, str] | None:
    """(first day, precision) of the date in TEXT; None for an empty cell.
    Raises UnreadableDate with words an editor can act on."""
    text = " ".join(str(text).split())
    if not text:
        return None
    if _DIGITS_ONLY.fullmatch(text):
        for pattern, precision in _NUMERIC:
            if match := pattern.fullmatch(text):
                return _made(match, precision, text)
        raise UnreadableDate(
            _("“%(text)s” is not a date: write it as 2011-09-14, 2011-09 or 2011.") % {"text": text}
        )
    for pattern, precision in _WORDED:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = groups.get("month") or "1"
            if not month.isdigit() and month_number(month) is None:
                continue
            return _made(match, precision, text)
    years = _ONE_YEAR.findall(text)
    if len(years) == 1 and not re.search(r"\d", _ONE_YEAR.sub("", text)):
        return _checked(int(years[0]), 1, 1, DatePrecision.YEAR, text)
    raise UnreadableDate(
        _("No date could be read in “%(text)s”: write it as 2011-09-14, 2011-09 or 2011.")
        % {"text": text}
    )


def _made(match, precision, text):
    groups = match.groupdict()
    month = groups.get("month") or "1"
    month = int(month) if month.isdigit() else month_number(month)
    return _checked(int(groups["year"]), month, int(groups.get("day") or 1), precision, text)


def _checked(year, month, day, precision, text):
    if not 1800 <= year <= 2100:
        raise UnreadableDate(
            _("“%(text)s”: the year %(year)s is not likely; check the date.")
            % {"text": text, "year": year}
        )
    try:
        return datetime.date(year, month, day), precision
    except ValueError:
        raise UnreadableDate(
            _("“%(text)s” is not a day of the calendar; check the date.") % {"text": text}
        ) from None
