"""Models of the consultancy feature."""

from __future__ import annotations
