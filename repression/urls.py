from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cases.api.urls")),
    path("", include("cases.urls")),
]

if settings.DEBUG:
    # Uploaded pictures, in development only; in production the web server
    # or the object store serves MEDIA_URL (see the README).
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
