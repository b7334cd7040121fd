"""Presence topics the pages use, each answered through the access gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from practica.communities import access
from practica.realtime.presence import register

if TYPE_CHECKING:
    from practica.accounts.models import User


def _post(user: User, post_id: int) -> int | None:
    """``qa.post:<id>``: the question page (Q&A's ``Post``: community, deleted_at)."""
    from practica.qa.models import Post

    post = Post.objects.select_related("community__organization").filter(pk=post_id).first()
    if post is None or not access.can_view_community(user, post.community):
        return None
    return int(post.community_id)


def _community(user: User, community_id: int) -> int | None:
    from practica.communities.models import Community

    community = Community.objects.select_related("organization").filter(pk=community_id).first()
    if community is None or not access.can_view_community(user, community):
        return None
    return int(community.pk)


register("qa.post", _post)
register("community", _community)
