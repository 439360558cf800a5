"""/healthz: whether this app server can answer, for load balancers and monitors."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# A load balancer's probe gives up after a few seconds, and must learn that
# the database is down before it does; pages wait DATABASE_POOL_TIMEOUT.
POOL_WAIT_SECONDS = 0.5


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers a query, 503 when it does not. Says nothing
    else: no versions, no settings, no error text. Answers within a second,
    also while the database is down."""
    try:
        _query_the_database()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _query_the_database():
    """SELECT 1, through the connection pool where there is one (PostgreSQL).

    A page asks the pool for a connection through Django, and may wait for
    one as long as the pool's timeout; this takes one straight from the
    pool, waiting at most POOL_WAIT_SECONDS. The pool checks the connection
    before handing it out, as it does for pages.
    """
    pool = getattr(connection, "pool", None)
    if pool is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return
    with connection.wrap_database_errors:
        pool.open()
        with pool.connection(timeout=POOL_WAIT_SECONDS) as pooled:
            pooled.execute("SELECT 1").fetchone()
