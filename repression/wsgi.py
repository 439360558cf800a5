"""WSGI entry point, for gunicorn and other WSGI servers."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repression.settings")

application = get_wsgi_application()

# What is made at start (Django, the project's modules and settings) lives as
# long as the process: kept out of the garbage collector's full passes, which
# otherwise walk it all again and again (60-190 ms, on about one request in
# six of the admin's longest page, at 100,000 cases: issue 18).
gc.collect()
gc.freeze()
