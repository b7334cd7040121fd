"""WSGI entry point: pages, the API and static files (granian's WSGI interface).

Static files are answered by servestatic in front of Django, so they never touch middleware,
and Django itself stays fully synchronous (no async_to_sync hop per request).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from servestatic import ServeStatic

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
django_application = get_wsgi_application()
application = ServeStatic(
    django_application,
    root=settings.STATIC_ROOT,
    prefix=settings.STATIC_URL,
    autorefresh=settings.DEBUG,
    # Hashed names (production's manifest storage) never change: cache them for a year.
    max_age=3600,
)
