"""Models of the expertise feature."""

from __future__ import annotations
