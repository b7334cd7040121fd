"""The search index: one row per findable object of any registered type.

``Entry`` is the plain table the ORM writes; the full-text structures over it are
vendor-specific and live in the migrations (``practica/search/ddl.py``):

- SQLite: two FTS5 *external-content* tables over ``search_entry`` kept in step by triggers in
  the same transaction as the write: ``search_entry_fts`` (title, tags, body, scope; porter
  stemming) for ranked matching and snippets, ``search_title_fts`` (title, scope; no stemming,
  prefix indexes) for ``word*`` queries, which are offered on titles and names only.
- PostgreSQL: a generated ``tsv`` column (title weight A, tags B, body C) with a GIN index on
  ``(community_id, tsv)`` (btree_gin), which serves both scoped and unscoped queries, and a
  generated title-only ``title_tsv`` (``simple``) with a GIN index on
  ``(community_id, title_tsv)`` for prefixes.

Access is never stored here: ``community_id`` / ``organization_id`` are checked against the
gate at query time (``practica.search.query``). ``scope`` only *narrows* a search to a
community inside the SQLite full-text match; it is never the access check.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Entry(models.Model):
    type = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    # Plain integers, not foreign keys: the index is derived data, rebuilt by `practica reindex`,
    # and must not make deleting a community or an organization any slower or riskier.
    community_id = models.BigIntegerField(null=True, blank=True)
    organization_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # "|slug-a|slug-b|": exact ``?tag=`` matches with one LIKE; the bars are token separators
    # for the full-text engines.
    tags = models.CharField(max_length=1000, blank=True)
    # Search-scope tokens derived from community_id ("c123"; "" without a community), a column
    # of the SQLite FTS5 tables so that a community filter is part of the MATCH (fast for
    # common words). Written by ``index.update`` (``index.scope_tokens``); never an access rule.
    scope = models.CharField(max_length=100, blank=True, default="")
    url = models.CharField(max_length=500)
    author_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["type", "object_id"], name="search_entry_once")
        ]
        indexes = [models.Index(fields=["community_id"], name="search_entry_community")]

    def __str__(self) -> str:
        return f"{self.type} {self.object_id}: {self.title}"
