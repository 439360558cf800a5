"""Template helpers of the public site: {% load public_site %}."""

from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html

from cases.models.partial_dates import DatePrecision, format_partial_date, iso_partial_date

register = template.Library()


@register.simple_tag
def partial_date(date, precision):
    """A date as precisely as it is known: '<time datetime="2011-09">September 2011</time>'.

    Empty when there is no date. Without a precision the date is shown only
    to the year, rather than with a day or month that may be invented.
    """
    if not date:
        return ""
    precision = precision or DatePrecision.YEAR
    return format_html(
        '<time datetime="{}">{}</time>',
        iso_partial_date(date, precision),
        format_partial_date(date, precision),
    )


@register.filter
def web_address(url):
    """URL if it is an http(s) address, else ''. Links to sources and websites
    go through this, so that a stored "javascript:" address is never a link."""
    url = str(url or "")
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in {"http", "https"} else ""
