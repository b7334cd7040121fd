"""Models of the wiki feature."""

from __future__ import annotations
