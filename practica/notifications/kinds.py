"""The catalogue of notification kinds: a label people understand and an e-mail default that
doesn't flood (a digest for most; immediately only for what needs the person soon).

Apps call ``notify(..., kind="qa.mention")`` with these keys. A kind not listed here falls back
to its group (the part before the dot) and then to the daily digest, so a new kind is never
e-mailed one by one before someone decides it should be.
"""

from __future__ import annotations

from dataclasses import dataclass

from practica.notifications.models import EmailFrequency as F


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    email: str  # the default EmailFrequency


CATALOGUE: tuple[Kind, ...] = (
    Kind("qa.reply", "Someone answered or replied to your post", F.DAILY),
    Kind("qa.comment", "Someone commented on your post or answer", F.DAILY),
    Kind("qa.mention", "Someone @mentioned you", F.IMMEDIATELY),
    Kind("qa.answer_accepted", "Your answer was accepted", F.DAILY),
    Kind("qa.routed", "A question was routed to you", F.IMMEDIATELY),
    Kind("watching.activity", "Activity on something you watch", F.WEEKLY),
    Kind("watching.new_post", "A new post in a community or tag you watch", F.WEEKLY),
    Kind("wiki.page_edited", "A wiki page you watch was edited", F.WEEKLY),
    Kind("communities.role_changed", "Your role in a community changed", F.DAILY),
    Kind("communities.join_request", "Someone asked to join a community you lead", F.IMMEDIATELY),
    Kind("recognition.badge", "You earned a badge", F.WEEKLY),
    Kind("norms", "Norms: proposals, reminders and decisions", F.DAILY),
    Kind("meetings", "Meetings: your turn to open or facilitate, swaps, actions", F.DAILY),
    Kind("consultancy", "Consultancy sessions and follow-ups", F.DAILY),
    Kind("feedback", "Feedback requests", F.DAILY),
)
BY_KEY = {kind.key: kind for kind in CATALOGUE}
# Keys other apps may use for the same thing (kept so their choice of name still works).
ALIASES = {
    # The names Q&A and the wiki use today.
    "mention": "qa.mention",
    "answer": "qa.reply",
    "comment": "qa.comment",
    "accepted": "qa.answer_accepted",
    "routed": "qa.routed",
    "wiki_edited": "wiki.page_edited",
    "qa.answer_posted": "qa.reply",
    "qa.answer": "qa.reply",
    "qa.comment_posted": "qa.comment",
    "qa.accepted": "qa.answer_accepted",
    "qa.route": "qa.routed",
    "communities.member_role_changed": "communities.role_changed",
    "communities.join_requested": "communities.join_request",
}


def resolve(key: str) -> Kind:
    """The catalogue entry for ``key`` (exact, alias, group, or the daily-digest default)."""
    key = ALIASES.get(key, key)
    if key in BY_KEY:
        return BY_KEY[key]
    group = key.split(".", 1)[0]
    if group in BY_KEY:
        return BY_KEY[group]
    return Kind(key, key, F.DAILY)
