"""API endpoints for meetings (see docs/api.md)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["meetings"])
