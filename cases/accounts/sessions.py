"""How long a staff session lasts.

A laptop left open in an office, or a session cookie copied from it, should
not open the admin for two weeks. Every session is logged out after
STAFF_SESSION_IDLE_MINUTES without a request, and STAFF_SESSION_MAX_HOURS
after the login, whatever happens in between. Only logged-in users have
sessions here, so this is about staff.

Both times are kept in the session itself. The time of the last request is
written at most once a minute, so that a page's requests do not each write
the session row.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

LOGGED_IN_AT = "staff_logged_in_at"
LAST_SEEN_AT = "staff_last_seen_at"
# The idle time is measured to within this many seconds.
LAST_SEEN_PRECISION = 60


def _now() -> float:
    return timezone.now().timestamp()


def record_login(sender, request, user, **kwargs):
    """On login (user_logged_in): the session's lifetimes start now."""
    now = _now()
    request.session[LOGGED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def has_expired(session) -> bool:
    logged_in_at = session.get(LOGGED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if logged_in_at is None or last_seen_at is None:
        # A session from before these rules: it is as old as can be.
        return True
    now = _now()
    return (
        now - last_seen_at > settings.STAFF_SESSION_IDLE_MINUTES * 60
        or now - logged_in_at > settings.STAFF_SESSION_MAX_HOURS * 3600
    )


class SessionLifetimeMiddleware:
    """Logs out a session that has been idle or open for too long; the admin
    then asks for the login again, and public pages show as to anyone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is logged in: reading request.user
        # would only mark the session read, and public responses "Vary: Cookie".
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            if has_expired(request.session):
                logout(request)
            elif _now() - request.session[LAST_SEEN_AT] > LAST_SEEN_PRECISION:
                request.session[LAST_SEEN_AT] = _now()
        return self.get_response(request)
