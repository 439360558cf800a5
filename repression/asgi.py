"""ASGI entry point, for uvicorn, daphne and other ASGI servers."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repression.settings")

application = get_asgi_application()
