"""Promotions (and the rename or deletion of a promoted page) bump the promoted post's
version, so the question page may cache its wiki panel per version (practica.qa.panels)."""

from typing import Any

from django.db import migrations

from practica.qa import stamps

_PAGE_FIELDS_SHOWN = ("title", "slug", "deleted_at")  # what the question page's wiki panel shows


def _page_changes(vendor: str) -> tuple[list[str], list[str]]:
    bump = (
        "UPDATE qa_post SET version = version + 1 "
        "WHERE id IN (SELECT post_id FROM wiki_promotion WHERE page_id = {row}.id)"
    )
    if vendor == "sqlite":
        changed = " OR ".join(f"old.{f} IS NOT new.{f}" for f in _PAGE_FIELDS_SHOWN)
        return (
            [
                f"""CREATE TRIGGER wiki_page_bumps_posts AFTER UPDATE ON wiki_page
                  WHEN {changed} BEGIN {bump.format(row="new")}; END"""
            ],
            ["DROP TRIGGER IF EXISTS wiki_page_bumps_posts"],
        )
    if vendor == "postgresql":
        changed = " OR ".join(f"OLD.{f} IS DISTINCT FROM NEW.{f}" for f in _PAGE_FIELDS_SHOWN)
        return (
            [
                f"""CREATE OR REPLACE FUNCTION wiki_page_bumps_posts() RETURNS trigger AS $$
                BEGIN {bump.format(row="NEW")}; RETURN NULL; END
                $$ LANGUAGE plpgsql""",
                f"""CREATE TRIGGER wiki_page_bumps_posts AFTER UPDATE ON wiki_page
                  FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION wiki_page_bumps_posts()""",
            ],
            [
                "DROP TRIGGER IF EXISTS wiki_page_bumps_posts ON wiki_page",
                "DROP FUNCTION IF EXISTS wiki_page_bumps_posts()",
            ],
        )
    return [], []


def _all(vendor: str) -> tuple[list[str], list[str]]:
    promotions = stamps.post_version_triggers(vendor, "wiki_promotion", "post_id")
    pages = _page_changes(vendor)
    return promotions[0] + pages[0], pages[1] + promotions[1]


def forward(apps: Any, schema_editor: Any) -> None:
    stamps.run_vendor_sql(schema_editor, _all)


def backward(apps: Any, schema_editor: Any) -> None:
    stamps.run_vendor_sql(schema_editor, _all, backward=True)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0001_initial"), ("qa", "0004_list_stamp")]

    operations = [migrations.RunPython(forward, backward)]
