"""Template helpers of the public site: {% load public_site %}."""

import hashlib
from urllib.parse import urlsplit

from django import template
from django.core.cache import cache
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cases import release
from cases.models.partial_dates import DatePrecision, format_partial_date, iso_partial_date

register = template.Library()

FACET_SECONDS = 24 * 60 * 60  # kept for a version of the counts; the next has other keys


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


@register.simple_tag(takes_context=True)
def canonical_address(context, address=""):
    """The page's full address for rel=canonical and og:url: ADDRESS where the
    page gives one (a filtered list, whose query string matters), else its
    address without the query string."""
    request = context["request"]
    return address or f"{request.scheme}://{request.get_host()}{request.path}"


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


@register.simple_tag
def facet_choices(field, version=""):
    """The checkboxes of a filter of the case list, each in its <li>, ticked when chosen:
    what {% for option in field %}{{ option.tag }} ... renders, written out here.

    A filter may offer hundreds of choices (charges, organisations), and the
    widget's templates take about 0.1 ms for each, format_html() 15 µs: a
    cost paid on every list page. Given the VERSION of the counts the choices
    come from (cases.facets), the HTML is made once for each version, language
    and set of ticked values, and kept: 10% of a list page's CPU time (issue 18).
    """
    chosen = {str(value) for value in field.value() or []}
    if not version:
        return _facet_choices(field, chosen)
    shown = repr((field.html_name, field.auto_id, sorted(chosen)))
    # The release too: this HTML is written by the code of the release that kept it.
    shown = hashlib.sha256(shown.encode()).hexdigest()
    key = f"cases:facet-html:{release.current()}:{version}:{get_language()}:{shown}"
    html = cache.get(key)
    if html is None:
        html = _facet_choices(field, chosen)
        cache.set(key, html, FACET_SECONDS)
    return mark_safe(html)  # noqa: S308 (made by _facet_choices, every value escaped)


def _facet_choices(field, chosen: set[str]):
    name = escape(field.html_name)
    lines = []
    for index, (value, label) in enumerate(field.field.choices):
        id_ = escape(f"{field.auto_id}_{index}")
        checked = " checked" if str(value) in chosen else ""
        lines.append(
            f'<li><label for="{id_}"><input type="checkbox" name="{name}" '
            f'value="{escape(value)}" id="{id_}"{checked}> <bdi>{escape(label)}</bdi></label></li>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 (every value is escaped above)


@register.simple_tag
def people_links(links):
    """Links to the people of LINKS (StatusChangeParticipant), separated by commas:
    what {% for link in links %}<a href="…">{{ name }}</a>, … renders, written out here.

    A long timeline names its people hundreds of times, and the template
    engine takes some 30 µs to resolve each name and address; each person's
    link is built once per page instead (reverse() alone costs 10 µs), kept on
    the person, which the page's entries share (views.render_case_page).
    """
    return mark_safe(", ".join(_person_link(link.participant.person) for link in links))  # noqa: S308


def _person_link(person) -> str:
    """<a href="…"><bdi>name</bdi></a>, escaped; built once per person object."""
    try:
        return person.__dict__["_public_link"]
    except KeyError:
        link = f'<a href="{escape(person.get_absolute_url())}"><bdi>{escape(person.name)}</bdi></a>'
        person.__dict__["_public_link"] = link
        return link
