"""The ``practica`` console command: Django's management commands under one name.

``practica serve``, ``practica demo``, ``practica createuser``, ``practica token``, and every
Django command (``practica migrate``, ``practica shell``...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["practica", *args])
    return 0
