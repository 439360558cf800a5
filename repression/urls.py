from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView
from django.views.i18n import set_language

from cases.sitemaps import SITEMAPS, cached_sitemap

from .benchmark import minimal
from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("benchmark/minimal/", minimal, name="benchmark_minimal"),  # only with BENCHMARK_VIEWS
    path("admin/", admin.site.urls),
    # Django's set_language: the admin's language switcher posts to it, and it
    # keeps the editor's choice in the language cookie that the admin follows;
    # other methods than POST are refused (405), as on every public address.
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    path("api/v1/", include("cases.api.urls")),
    path(
        "robots.txt",
        require_safe(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
        name="robots_txt",
    ),
    path(
        "sitemap.xml",
        require_safe(cached_sitemap(sitemap_views.index)),  # any method otherwise
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(cached_sitemap(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # The public site, feeds and downloads in each language: English at the
    # addresses it has always had, Russian and Kazakh under /ru/ and /kk/.
    *i18n_patterns(path("", include("cases.urls")), prefix_default_language=False),
]

if settings.DEBUG:
    # Uploaded pictures, in development only; in production the web server
    # or the object store serves MEDIA_URL (see the README).
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database that is restarting or down gets a 503 "try again" page, not a 500.
handler500 = "repression.errors.server_error"
