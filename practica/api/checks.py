"""System checks for the API's settings, so a typo fails at start-up, not at the first login."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import checks

# django-ratelimit's rate syntax: a count, "/", an optional multiplier and a unit.
RATE_RE = re.compile(r"^[1-9]\d*/\d*[smhd]$")


@checks.register(checks.Tags.security)
def check_token_rate(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    rate = getattr(settings, "API_TOKEN_RATE", "10/m")
    if isinstance(rate, str) and RATE_RE.match(rate):
        return []
    return [
        checks.Error(
            f"API_TOKEN_RATE (PRACTICA_API_TOKEN_RATE) is {rate!r}, not a rate.",
            hint="Use a count per period such as '10/m', '100/h' or '5/30s'.",
            id="practica_api.E001",
        )
    ]
