"""Notifications for people *watching* something, from the events other apps emit.

The apps that involve someone directly (the author of the post answered, the person mentioned)
call ``notify`` themselves (and the wiki notifies its own page watchers of edits); here we
tell the watchers, minus the actor and the people those apps already told, and only if they
may still see the community (the gate, per person).
Runs after commit (``realtime.bus``); a failure is logged and does not undo the write.
"""

from __future__ import annotations

from typing import Any

from practica.communities import access
from practica.notifications import watching
from practica.notifications.services import notify
from practica.realtime.bus import Event, subscribe


def _tell(
    user_ids: set[int], community_id: int | None, *, kind: str, message: str, url: str
) -> None:
    from practica.accounts.models import User
    from practica.communities.models import Community

    if not user_ids:
        return
    community = None
    if community_id is not None:
        community = Community.objects.select_related("organization").filter(pk=community_id).first()
        if community is None:
            return
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        if community is None or access.can_view_community(user, community):
            notify(user, kind=kind, message=message, url=url)


def _post(post_id: Any) -> Any:
    from practica.qa.models import Post

    return (
        Post.objects.select_related("community").filter(pk=post_id, deleted_at__isnull=True).first()
    )


@subscribe("qa.answer_posted")
@subscribe("qa.comment_posted")
def activity_on_watched_post(event: Event) -> None:
    p = event.payload
    post = _post(p.get("post_id"))
    if post is None:
        return
    skip = {p.get("author_id"), p.get("post_author_id"), post.author_id}
    people = {u for u in watching.watchers(post).values_list("pk", flat=True) if u not in skip}
    what = "A new answer" if event.name == "qa.answer_posted" else "A new comment"
    url = watching.post_url(post)
    _tell(people, post.community_id, kind="watching.activity",
          message=f"{what} on “{post.title}”", url=url)  # fmt: skip


@subscribe("qa.post_created")
def new_post_where_watched(event: Event) -> None:
    p = event.payload
    post = _post(p.get("post_id"))
    if post is None:
        return
    targets = [("communities.community", post.community_id)]
    targets += [("tags.tag", tag_id) for tag_id in p.get("tag_ids") or []]
    people = watching.watchers_of_any(targets) - {p.get("author_id")}
    url = watching.post_url(post)
    _tell(people, post.community_id, kind="watching.new_post",
          message=f"New in {post.community.name}: “{post.title}”", url=url)  # fmt: skip
