"""Channel posts in the site search (type ``channel_post``; contract: practica.search.registry)."""

from __future__ import annotations

from django.urls import reverse

from practica.expertise.models import ChannelPost
from practica.search.registry import Document, SearchType, register


def channel_post_document(post: ChannelPost) -> Document:
    """What the index holds for a channel post; readable by whoever may see its community."""
    channel = post.channel
    url = reverse("expertise:channel", args=[channel.community.slug, channel.slug])
    return Document(
        title=post.title,
        body=post.body if not post.video_url else f"{post.body}\n{post.video_url}",
        url=f"{url}#post-{post.pk}",
        created_at=post.created_at,
        community_id=channel.community_id,
        tags=[t.slug for t in post.tags.all()],
        author_id=post.author_id,
    )


def register_search() -> None:
    register(
        SearchType(
            name="channel_post",
            model=ChannelPost,
            document=channel_post_document,
            label="Channel posts",
        )
    )
