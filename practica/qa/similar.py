"""Similar posts for a title being typed (the ask form, and the ``/similar`` API).

Until the search index serves this, similarity is the overlap of significant title words
(``TitleWord`` rows, looked up on the ``(community, word)`` index on either database): posts
sharing the most words first, answered ones before unanswered ones, then the best answer's
score. Two queries, whatever the community's size.
"""

from __future__ import annotations

from django.db.models import Count

from practica.communities.models import Community
from practica.qa.models import Post, TitleWord
from practica.qa.text import title_words

CANDIDATES = 50


def similar_posts(community: Community, title: str, limit: int = 5) -> list[Post]:
    """Up to ``limit`` live posts of ``community`` whose titles share significant words with
    ``title``: answered first, then by words shared, then by best answer score. With three or
    more significant words, a post must share at least two of them."""
    words = title_words(title)
    if not words:
        return []
    needed = 1 if len(words) < 3 else 2
    overlap = dict(
        TitleWord.objects.filter(community=community, word__in=words)
        .values("post_id")
        .annotate(n=Count("id"))
        .filter(n__gte=needed)
        .order_by("-n", "-post_id")
        .values_list("post_id", "n")[:CANDIDATES]
    )
    if not overlap:
        return []
    posts = list(
        Post.objects.filter(pk__in=list(overlap), deleted_at__isnull=True).select_related(
            "community"
        )
    )
    posts.sort(
        key=lambda p: (p.answer_count > 0, overlap[p.pk], p.best_answer_score, p.pk),
        reverse=True,
    )
    return posts[:limit]
