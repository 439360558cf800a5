"""The Cross-Origin-Resource-Policy header on every response.

Django's SecurityMiddleware sets Cross-Origin-Opener-Policy but not this one,
and neither django-csp nor WhiteNoise does. It tells browsers whether another
site's page may load a response with a plain <img>, <script> or fetch() in
no-cors mode: same-origin keeps our pages, pictures of people at risk and
admin answers from being embedded or probed by other sites (Spectre-style
reads, or "is this logged-in editor's page there?").

Open data is meant to be fetched by others, so the API, the Atom feeds and
the downloads are sent with cross-origin instead: they hold published data
only and depend on no cookie. Any other response, static files included
(this middleware runs before WhiteNoise's), is same-origin.
"""

from django.conf import settings

OPEN_DATA_URL_NAMESPACES = {"api"}
OPEN_DATA_URL_NAMES = {
    "feed",
    "case_feed",
    "country_feed",
    "charge_feed",
    "cases_export_csv",
    "cases_export_json",
}


class CrossOriginResourcePolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cross-Origin-Resource-Policy" not in response:
            response["Cross-Origin-Resource-Policy"] = (
                "cross-origin" if is_open_data(request) else settings.CROSS_ORIGIN_RESOURCE_POLICY
            )
        return response


def is_open_data(request) -> bool:
    match = request.resolver_match
    if match is None:  # static files, or no view was found
        return False
    return bool(OPEN_DATA_URL_NAMESPACES & set(match.namespaces)) or (
        match.url_name in OPEN_DATA_URL_NAMES
    )
