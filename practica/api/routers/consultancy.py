"""API v1 endpoints of the consultancy feature (see docs/api.md)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["consultancy"])
