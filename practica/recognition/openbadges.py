"""Open Badges 2.0 documents for awards (hosted verification).

- Issuer (a Profile): the organization that issues the award, at ``/badges/issuers/<org>``.
- BadgeClass: a badge as issued by that organization, at
  ``/badges/issuers/<org>/badges/<slug>``; its image is the badge's SVG.
- Assertion: the award at ``/badges/assertions/<uid>``; recipient is the salted SHA-256 of the
  person's e-mail (``sha256$<hex>``); a revoked award answers ``{"revoked": true}`` only (HTTP
  410), so verifiers reject it.

Every id is an absolute URL on this site, so the assertion is hosted on the issuer's origin as
hosted verification requires. ``base`` is the site's origin (scheme + host) of the request.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.urls import reverse

from practica.accounts.models import Organization
from practica.recognition.models import Award, Badge

CONTEXT = "https://w3id.org/openbadges/v2"


def recipient_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()


def issuer_url(base: str, org: Organization) -> str:
    return base + reverse("recognition:ob-issuer", args=[org.slug])


def badgeclass_url(base: str, org: Organization, badge: Badge) -> str:
    return base + reverse("recognition:ob-badgeclass", args=[org.slug, badge.slug])


def assertion_url(base: str, award: Award) -> str:
    return base + reverse("recognition:assertion", args=[award.uid])


def issuer(base: str, org: Organization) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(base, org),
        "name": org.name,
        "url": base + reverse("accounts:org-detail", args=[org.slug]),
        "description": org.description or f"{org.name}, issuing badges through Practica.",
    }


def badgeclass(base: str, org: Organization, badge: Badge) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badgeclass_url(base, org, badge),
        "name": badge.name,
        "description": badge.description,
        "image": base + reverse("recognition:badge-image", args=[badge.slug]),
        "criteria": {
            "id": base + reverse("recognition:badge", args=[badge.slug]),
            "narrative": badge.criteria,
        },
        "issuer": issuer_url(base, org),
        "tags": [badge.tier, badge.category],
    }


def assertion(base: str, award: Award) -> dict[str, Any]:
    """The hosted Assertion (``award`` with ``badge``, ``organization`` and ``user`` loaded)."""
    url = assertion_url(base, award)
    if award.is_revoked:
        return {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": url,
            "revoked": True,
            "revocationReason": award.revoked_reason or "Revoked by the issuer.",
        }
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.salt,
            "identity": recipient_hash(award.user.email, award.salt),
        },
        "badge": badgeclass_url(base, award.organization, award.badge),
        "issuedOn": award.awarded_at.isoformat(),
        "verification": {"type": "hosted"},
        "image": base + reverse("recognition:baked", args=[award.uid]),
        "evidence": [
            {
                "id": base + reverse("recognition:award", args=[award.uid]),
                "narrative": award.evidence_note,
            }
        ],
    }
    return doc
