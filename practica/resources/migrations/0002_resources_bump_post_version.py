"""Every write to a resource bumps the version of the question it is related to (the old and
the new one when it moves), so the question page may cache its "related resources" panel per
version (practica.qa.panels)."""

from typing import Any

from django.db import migrations

from practica.qa import stamps


def _triggers(vendor: str) -> tuple[list[str], list[str]]:
    return stamps.post_version_triggers(vendor, "resources_resource", "related_post_id")


def forward(apps: Any, schema_editor: Any) -> None:
    stamps.run_vendor_sql(schema_editor, _triggers)


def backward(apps: Any, schema_editor: Any) -> None:
    stamps.run_vendor_sql(schema_editor, _triggers, backward=True)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial"), ("qa", "0004_list_stamp")]

    operations = [migrations.RunPython(forward, backward)]
