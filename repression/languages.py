"""Which language a request is answered in, and the same page's address in the others.

The public site (pages, feeds, downloads) takes its language from the address
alone: English at the addresses it has always had, Russian under /ru/ and
Kazakh under /kk/ (i18n_patterns without a prefix for English). Addresses are
shared publicly, so an unprefixed one serves English whatever the browser
asks for, and the `lang` of a page and its Content-Language always name the
language of its text.

The API has one address per resource (clients and caches key on it), so it
takes the language from ?lang=, else Accept-Language; the admin follows the
language cookie, which its switcher sets (Django's set_language), else the
editor's browser (Accept-Language). Only these answers vary with
Accept-Language and the cookie, and say so in Vary.
"""

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Addresses outside the language prefixes (repression/urls.py): these are
# never prefixed, and have no version in another language at another address.
API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"
UNPREFIXED = (
    API_PREFIX,
    ADMIN_PREFIX,
    "/healthz",
    "/i18n/",  # set_language, which the admin's switcher posts to
    "/robots.txt",
    "/sitemap",
    "/static/",
    "/media/",
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# Each language's name in itself, as the switcher offers it: a reader looks for
# their own language's name, not its name in the language of the page.
OWN_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


def language_of_api_request(request) -> str:
    """?lang= when it names one of the site's languages, else Accept-Language."""
    asked = request.GET.get("lang", "")
    if asked in LANGUAGE_CODES:
        return asked
    return translation.get_language_from_request(request)


def follows_visitor(path: str) -> bool:
    """Whether the answer at PATH is in the visitor's language rather than the address's."""
    return path.startswith((API_PREFIX, ADMIN_PREFIX))


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but for the API and the admin (see the module)."""

    def process_request(self, request):
        path = request.path_info
        if path.startswith(API_PREFIX):
            language = language_of_api_request(request)
        elif path.startswith(ADMIN_PREFIX):
            language = translation.get_language_from_request(request)
        else:
            # A prefixed address's language, else English (prefix_default_language=False).
            return super().process_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if follows_visitor(request.path_info):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@receiver(request_finished, dispatch_uid="no_language_left_active_after_a_request")
def _no_language_left_active(sender, **kwargs):
    """The middleware activates the request's language in its thread (as
    Django's does), and nothing undid it: what the thread ran next, before
    the next request's own language (the middlewares before this one, a
    test's next lines and the tests after it), ran in Russian after a request
    in Russian. Once the response is closed (a streamed download after its
    last piece, so that all of it is in its language), none is left active."""
    translation.deactivate()


def path_without_language(path: str) -> str:
    """/ru/cases/ -> /cases/; /cases/ stays."""
    for code in LANGUAGE_CODES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def path_in(language: str, path: str) -> str:
    """PATH (in any language) in LANGUAGE: /cases/ -> /kk/cases/."""
    path = path_without_language(path)
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


def has_versions(path: str) -> bool:
    """Whether PATH is a public page, found at the same path in every language."""
    return not path_without_language(path).startswith(UNPREFIXED)
