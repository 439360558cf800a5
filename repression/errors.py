"""The page for a database that is unavailable for a moment: 503, not 500.

A database that is restarting, down, or too slow to answer (no connection
from the pool within DATABASE_POOL_TIMEOUT, a query past the statement
timeout, SQLite's lock wait running out) is a passing state, not a bug in
the site. Visitors get a short "temporarily unavailable" page with
Retry-After, which load balancers and crawlers understand as "come back",
rather than "something went wrong"; the error is still logged with its
traceback, as Django logs every uncaught exception.

Django calls handler500 for an uncaught exception from any view or
middleware, inside its except block, so one handler sees every path and the
exception is at hand in sys.exc_info(). With DEBUG on Django shows its
technical page instead, as for any error.
"""

import sys

from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

# What Retry-After says: a restart takes a few seconds.
RETRY_AFTER_SECONDS = 10


def server_error(request):
    """503 with templates/503.html when the database is unavailable, otherwise
    Django's own 500 with templates/500.html.

    Template: 503.html, with no context: it is rendered without the database,
    and shows nothing of the server or of the error.
    """
    if isinstance(sys.exc_info()[1], OperationalError):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request):
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Not kept by a proxy or the browser: the site is back in a few seconds.
    add_never_cache_headers(response)
    return response
