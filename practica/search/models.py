"""Models of the search feature."""

from __future__ import annotations
