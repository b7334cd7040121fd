"""Models of the recognition feature."""

from __future__ import annotations
