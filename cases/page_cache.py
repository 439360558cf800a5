"""Whole public pages, kept in the cache until the next edit.

A public page depends only on its address (with scheme and host: pages hold
their canonical address), the language and the published data. So once
rendered it is kept in the cache under the version of the public data
(PublicDataVersion, raised in the transaction of every edit): after an edit,
each page is rendered afresh on its next request, on every process and
server. A request served from the cache costs one small query (the version).
A version is never reused, not even after a restored backup: see
PublicDataVersion.

Kept: 200 responses to GET and HEAD from visitors without a session cookie.
Not kept: errors and 404s (a made-up address should not take a place in the
cache), and requests of editors (they have a session; they see their edits
at once, as everyone does). Pages are stored as they are sent, not
compressed: serving one from the cache then costs about as much as serving
a few bytes (the benchmark's yardstick). Django's default memory cache holds
300 entries at most, some 30 MB of pages per process.

PUBLIC_PAGE_CACHE=0 turns it off (make bench measures pages both ways).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

from .facets import CACHE_SECONDS
from .models import PublicDataVersion


def cached_page(view):
    """Serve VIEW's page from the cache when it can; see the module's docstring."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if (
            not settings.PUBLIC_PAGE_CACHE
            or request.method not in {"GET", "HEAD"}
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return view(request, *args, **kwargs)
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"cases:page:{PublicDataVersion.current()}:{get_language()}:{address}"
        kept = cache.get(key)
        if kept is not None:
            content_type, content = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response["Content-Type"], response.content), CACHE_SECONDS)
        return response

    return cached_view
