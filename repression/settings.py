"""Settings for the repression tracker, read from environment variables.

Every value a deployment changes comes from the environment; the README
lists them all. Nothing machine-specific lives in code.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from repression.backends import cache_from_url, fragment_cache, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """The value of NAME, or the contents of the file named by NAME_FILE."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip() or None
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE names {path!r}, which cannot be read: {exc}"
            ) from exc
    return None


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable (or SECRET_KEY_FILE "
            "to a file holding it) to a long random string; it is required when DEBUG is off."
        )
    SECRET_KEY = "insecure-development-key-used-only-when-DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    # The project's own management commands: first, so that its loaddata is
    # the one manage.py runs rather than modeltranslation's, which it extends.
    "repression",
    # Prose fields held in each language (cases/translation.py); before the
    # admin, whose templates it extends.
    "modeltranslation",
    # Django's admin on our own site class: the second factor (cases/accounts/).
    "cases.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Full-text search on PostgreSQL (cases.search); harmless on SQLite.
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get the header too.
    "repression.resource_policy.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the address (/ru/, /kk/; English unprefixed); the API's
    # ?lang= or Accept-Language; the admin's Accept-Language (repression/languages.py).
    "repression.languages.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logs out sessions idle or old beyond STAFF_SESSION_IDLE_MINUTES / _MAX_HOURS.
    "cases.accounts.sessions.SessionLifetimeMiddleware",
    # request.user.is_verified(): logged in with a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the history of edits.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: refuses logins from locked-out users and addresses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "repression.urls"
# /benchmark/minimal/, the yardstick of `make bench` (repression/benchmark.py).
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS", default=False)
# Public pages kept in the cache until what they show is edited (cases/page_cache.py).
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", default=True)
# Seconds a reverse proxy may keep a public page without asking again (browsers ask each time).
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 60)
if PUBLIC_PAGE_MAX_AGE < 0:
    raise ImproperlyConfigured("PUBLIC_PAGE_MAX_AGE must be 0 (revalidate each time) or more.")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Widgets' commonest templates written in Python, the same bytes (repression/form_renderer.py).
FORM_RENDERER = "repression.form_renderer.FormRenderer"

WSGI_APPLICATION = "repression.wsgi.application"

# The embedded default is an SQLite file in the project folder; production
# and CI set DATABASE_URL to a PostgreSQL server (postgres://user:pass@host/db).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's connection pool, through Django (CONN_MAX_AGE must stay 0).
    # A database that is restarted or down must cost visitors a quick "try
    # again" page (repression/errors.py), not a 500 or a minute's wait:
    # - CONN_HEALTH_CHECKS: the pool checks a connection before handing it out
    #   (psycopg_pool's check_connection), so one that a restart broke is
    #   replaced, not given to a request;
    # - timeout: how long a request waits for a connection from the pool
    #   (psycopg_pool's default is 30 s, as long as gunicorn's worker timeout);
    # - reconnect_timeout: how long the pool retries a failed connection, with
    #   a delay that doubles each time (psycopg_pool's default, 5 minutes, lets
    #   the delay grow so long that the site stays down for many seconds after
    #   the database is back). No request waits longer than `timeout` for it;
    #   after that the next request that needs a connection tries afresh;
    # - connect_timeout: how long opening a connection may take;
    # - statement_timeout: the longest query, below gunicorn's 30 s, so a
    #   stuck query ends with an error the site can answer rather than a
    #   killed worker. 0 turns it off (a long migration, say).
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    pool_timeout = env_int("DATABASE_POOL_TIMEOUT", 2)
    database_options["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
        "timeout": pool_timeout,
        "reconnect_timeout": pool_timeout,
    }
    database_options["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT", 20)
    database_options["options"] = " ".join(
        filter(
            None, [database_options.get("options"), f"-c statement_timeout={statement_timeout}s"]
        )
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Editors saving at once must wait their turn, not get "database is
    # locked". IMMEDIATE takes the write lock when a transaction begins: a
    # transaction that read first and then wants to write cannot wait for the
    # lock (SQLite refuses it at once to avoid a deadlock), one that asks
    # first waits up to `timeout` seconds. WAL lets pages be read while an
    # edit is being written; synchronous=NORMAL is safe with WAL (a power cut
    # may lose the last commits, never corrupt the file). An in-memory
    # database (the tests') ignores journal_mode=WAL and stays in memory.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("DATABASE_LOCK_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: counts failed logins and refuses locked-out ones.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Editors write prose in English, the original; Russian and Kazakh are
# translations of it, shown where they exist (cases/translation.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ru", "kk")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# "Summary (Russian)" in the admin's forms, rather than "summary [ru]".
MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = lambda name, code: format_lazy(  # noqa: E731
    "{} ({})", name, dict(LANGUAGES)[code]
)
FORMAT_MODULE_PATH = ["repression.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# The cache of pages and counts (cases/page_cache.py, cases/facets.py): each
# process's memory by default; Redis or Memcached shared by several app
# servers (CACHE_URL; repression/backends.py).
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}
# Fragments of pages (cases' cards, cases/cards.py; long timelines, {% cache %}):
# many small entries, kept apart from whole pages in a process's memory, whose
# 300 entries they would otherwise push out; in the shared cache with the rest.
CACHES["template_fragments"] = fragment_cache(CACHES["default"])

# Static files are served by WhiteNoise, with hashed names and long cache
# lifetimes; media (uploads) through Django's storage API: files in
# MEDIA_ROOT by default, an S3 bucket shared by several app servers when
# MEDIA_S3_BUCKET is set (repression/backends.py).
MEDIA_ORIGINS: list[str] = []
if MEDIA_S3_BUCKET := os.environ.get("MEDIA_S3_BUCKET", "").strip():
    MEDIA_STORAGE, MEDIA_ORIGINS = s3_storage(
        bucket=MEDIA_S3_BUCKET,
        endpoint_url=os.environ.get("MEDIA_S3_ENDPOINT_URL", "").strip(),
        region=os.environ.get("MEDIA_S3_REGION", "").strip(),
        public_url=os.environ.get("MEDIA_S3_PUBLIC_URL", "").strip(),
        access_key=env_secret("MEDIA_S3_ACCESS_KEY_ID"),
        secret_key=env_secret("MEDIA_S3_SECRET_ACCESS_KEY"),
    )
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Security. Production (DEBUG off) gets the strict defaults; each can be
# relaxed through its variable where a deployment needs it.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Only behind a proxy that sets X-Forwarded-Proto itself, and strips it
    # from what clients send.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Other sites may not embed our responses, but for open data (the API, feeds,
# downloads), which is cross-origin: see repression/resource_policy.py.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# __Host- cookies are sent only over HTTPS, to this host, for every path.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The admin sets style attributes; scripts stay strict.
        "style-src": [SELF, "'unsafe-inline'"],
        # Photos come from the object store when media is in one.
        "img-src": [SELF, "data:", *MEDIA_ORIGINS, *env_list("CSP_IMG_SRC", default=[])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Brute-force protection of the admin login (django-axes). AXES_FAILURE_LIMIT
# failures for one username, from any number of addresses, lock that username;
# as many from one address, for any usernames, lock that address. Either is
# refused with 429 until AXES_COOLOFF_MINUTES after the failure that locked it:
# attempts during a lockout do not prolong it, so an attacker cannot keep an
# editor out for longer than that by hammering. A wrong second-factor code
# counts as a failure too (cases/accounts/views.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
# Every failure is kept (AccessFailureLog), as every login is (AccessLog):
# publishers read both in the admin.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Masked in the log's copy of what was posted (and in log lines): besides the
# password, which always is, second-factor codes and the CSRF token.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]

# Two-factor authentication (django-otp; cases/accounts/two_factor.py): who
# must use it, and the name authenticator apps show for this site's codes.
OTP_TOTP_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Repression tracker")
# Superusers see editors' devices in the admin, but never their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Staff sessions (cases/accounts/sessions.py): logged out after
# STAFF_SESSION_IDLE_MINUTES without a request, and STAFF_SESSION_MAX_HOURS
# after logging in, whatever happens in between. The session cookie and row
# last no longer than that either.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 120)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12)
if STAFF_SESSION_IDLE_MINUTES < 1 or STAFF_SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured(
        "STAFF_SESSION_IDLE_MINUTES and STAFF_SESSION_MAX_HOURS must be at least 1."
    )
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 3600

# The read-only open-data API at /api/v1/ (cases/api/). It is public and
# shows only published data, so it needs no login: no authentication means
# no session and no CSRF token either. JSON first; the browsable HTML view
# loads its scripts from our own static files, as the CSP requires.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cases.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "cases.api.schema.LanguageAwareSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("Repression tracker API"),
    "DESCRIPTION": _(
        "Published cases of political repression, with their people, charges, "
        "organisations and timelines. Read-only; only published data. Ask for the "
        "words in Russian or Kazakh with ?lang=ru or ?lang=kk (or Accept-Language)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI (the only documentation page routed, /api/v1/docs/) from our own
    # static files (drf-spectacular-sidecar), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Two vocabularies are both called "role": name their enums apart.
    "ENUM_NAME_OVERRIDES": {
        "ParticipantRoleEnum": "cases.models.CaseParticipant.Role",
        "OrganisationRoleEnum": "cases.models.CaseOrganisation.Role",
        "ParticipantKindEnum": "cases.models.CaseParticipant.Kind",
        "PlaceOfDetentionKindEnum": "cases.models.PlaceOfDetention.Kind",
        "DetentionKindEnum": "cases.models.Detention.Kind",
        "RecognitionKindEnum": "cases.models.Recognition.Kind",
    },
}
