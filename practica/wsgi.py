"""WSGI entry point: pages and the JSON API (granian's WSGI interface, see docs/architecture.md)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
application = get_wsgi_application()
