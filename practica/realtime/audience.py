"""Who may be told about an event: the rule per event name, decided when it is emitted and
*checked through the access gate when it is sent* (so a member removed a moment ago is no
longer told anything about a private community).

``audience_for(name, payload)`` returns an :class:`Audience`, or None for events that stay
in-process (they reach no person: e.g. ``accounts.user_created``). Unknown events that carry a
``community_id`` go to *members* only: a new event kind is safe before anyone thinks about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from practica.realtime.models import Scope


@dataclass(frozen=True)
class Audience:
    scope: str
    community_id: int | None = None
    organization_id: int | None = None
    user_ids: tuple[int, ...] = ()


Rule = Callable[[dict[str, Any]], Audience | None]

# Events that change what someone may see: streams of ``user_id`` reload that person's facts
# from the gate before deciding anything else (the removal is processed in id order).
ACCESS_CHANGES = frozenset(
    {
        "communities.member_joined",
        "communities.member_left",
        "communities.member_removed",
        "communities.member_role_changed",
        "communities.join_request_decided",
        "communities.member_invited",
        "accounts.org_member_added",
        "accounts.org_role_changed",
        "accounts.org_member_removed",
    }
)
# Events that change a community's own facts (visibility, organization): drop cached copies.
COMMUNITY_CHANGES = frozenset({"communities.community_updated"})


def _ids(payload: dict[str, Any], *keys: str) -> tuple[int, ...]:
    found: list[int] = []
    for key in keys:
        value = payload.get(key)
        if isinstance(value, int):
            found.append(value)
        elif isinstance(value, list):
            found.extend(v for v in value if isinstance(v, int))
    return tuple(dict.fromkeys(found))


def _community(scope: str, *people: str) -> Rule:
    def rule(payload: dict[str, Any]) -> Audience | None:
        community_id = payload.get("community_id")
        if not isinstance(community_id, int):
            return None
        return Audience(scope, community_id=community_id, user_ids=_ids(payload, *people))

    return rule


def _people(*keys: str) -> Rule:
    def rule(payload: dict[str, Any]) -> Audience | None:
        ids = _ids(payload, *keys)
        return Audience(Scope.USERS, user_ids=ids) if ids else None

    return rule


def _people_in_community(*keys: str) -> Rule:
    """Only the named people, and only while they may still read the community."""

    def rule(payload: dict[str, Any]) -> Audience | None:
        ids = _ids(payload, *keys)
        community_id = payload.get("community_id")
        if not ids:
            return None
        cid = community_id if isinstance(community_id, int) else None
        return Audience(Scope.USERS, community_id=cid, user_ids=ids)

    return rule


def _wiki(payload: dict[str, Any]) -> Audience | None:
    """Wiki pages belong to a community or to an organization."""
    if isinstance(payload.get("community_id"), int):
        return Audience(Scope.READERS, community_id=payload["community_id"])
    if isinstance(payload.get("organization_id"), int):
        return Audience(Scope.ORG, organization_id=payload["organization_id"])
    return None


READERS = _community(Scope.READERS)
MEMBERS = _community(Scope.MEMBERS)
MANAGERS = _community(Scope.MANAGERS)

# Exact names first, then the app prefix (``qa.``), then the default.
RULES: dict[str, Rule] = {
    "notifications.created": _people("user_id"),
    "notifications.read": _people("user_id"),
    "accounts.org_member_added": _people("user_id"),
    "accounts.org_role_changed": _people("user_id"),
    "accounts.org_member_removed": _people("user_id"),
    "communities.community_created": READERS,
    "communities.community_updated": MEMBERS,
    "communities.member_joined": _community(Scope.MEMBERS, "user_id"),
    "communities.member_left": _community(Scope.MEMBERS, "user_id"),
    "communities.member_role_changed": _community(Scope.MEMBERS, "user_id"),
    "communities.member_removed": _community(Scope.MANAGERS, "user_id"),
    "communities.join_requested": MANAGERS,
    "communities.join_request_decided": _community(Scope.MANAGERS, "user_id"),
    "communities.member_invited": _community(Scope.MANAGERS, "user_id"),
    "communities.invitation_declined": MANAGERS,
    "norms.nudged": _community(Scope.MANAGERS, "user_id"),
    "norms.settings_updated": MEMBERS,
    "norms.revisit_opened": MEMBERS,
    "norms.revisit_closed": MEMBERS,
    "meetings.settings_updated": MEMBERS,
    "meetings.absence_marked": MEMBERS,
    "meetings.absence_cleared": MEMBERS,
    "meetings.attendance_recorded": MEMBERS,
    "meetings.swap_requested": _people_in_community("requester_id", "other_id"),
    "meetings.swap_declined": _people_in_community("requester_id", "other_id"),
    "meetings.swap_withdrawn": _people_in_community("requester_id", "other_id"),
    "meetings.swap_voided": _people_in_community("requester_id", "other_id"),
    "meetings.opener_reminded": _people_in_community("user_id"),
    "meetings.feedback_given": _community(Scope.MANAGERS),
    "meetings.calendar_token_created": _people("user_id"),
    "meetings.calendar_token_revoked": _people("user_id"),
    "realtime.presence": READERS,
}
PREFIX_RULES: dict[str, Rule] = {
    "qa.": READERS,
    "wiki.": _wiki,
    "norms.": READERS,
    "meetings.": READERS,
    "activities.": READERS,
    "tags.": READERS,
}
IN_PROCESS_ONLY = ("accounts.",)


def audience_for(name: str, payload: dict[str, Any]) -> Audience | None:
    """The audience of event ``name``; None when no person is ever told about it."""
    rule = RULES.get(name)
    if rule is None:
        prefix = name.split(".", 1)[0] + "."
        if prefix in IN_PROCESS_ONLY:
            return None
        rule = PREFIX_RULES.get(prefix, MEMBERS)
    return rule(payload)
