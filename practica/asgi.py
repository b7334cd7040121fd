"""ASGI entry point, reserved for the async event stream (the real-time issue)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
application = get_asgi_application()
