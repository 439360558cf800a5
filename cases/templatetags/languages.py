"""The same page in each of the site's languages: the switcher and hreflang links."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.translation import get_language

from repression.languages import OWN_NAMES, has_versions, path_in

register = template.Library()

LONGEST_QUERY = 2000


@dataclass(frozen=True)
class Version:
    language: str
    name: str  # in its own language: "Русский", "Қазақша"
    address: str  # absolute, with the query string: filters are kept
    current: bool


@register.simple_tag(takes_context=True)
def page_versions(context) -> list[Version]:
    """This page in every language, or none where the page has no versions
    (the admin, the API), so that no link leads to a page that is not there."""
    request = context.get("request")
    if request is None or not has_versions(request.path):
        return []
    query = request.META.get("QUERY_STRING", "")
    if len(query) > LONGEST_QUERY:
        # Filters are short; a query this long is an error page's (a 10 kB
        # ?q=), which need not repeat it seven times in its links.
        query = ""
    current = get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        path = path_in(code, request.path)
        address = request.build_absolute_uri(f"{path}?{query}" if query else path)
        versions.append(Version(code, OWN_NAMES[code], address, code == current))
    return versions


@register.simple_tag(takes_context=True)
def default_version(context) -> str:
    """The address for x-default: the English page, where the site began."""
    for version in page_versions(context):
        if version.language == settings.LANGUAGE_CODE:
            return version.address
    return ""


@register.simple_tag
def languages_by_own_name() -> list[tuple[str, str, bool]]:
    """[(code, name in itself, whether it is the active language)]: what the
    admin's switcher offers, named as the public site's switcher names them."""
    current = get_language()
    return [(code, OWN_NAMES[code], code == current) for code, _name in settings.LANGUAGES]
