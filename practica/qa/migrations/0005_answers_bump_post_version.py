"""Every write to an answer bumps its post's version, so the question page's cached answers
(their scores, counts and order: ``qa.panels.cached_for_post``) can never outlive a change —
including bulk ``update()`` calls such as the nightly rescoring (decision 0015). The services
also bump it themselves; a second bump costs nothing but a cache miss."""

from typing import Any

from django.db import migrations

from practica.qa import stamps


def _triggers(vendor: str) -> tuple[list[str], list[str]]:
    return stamps.post_version_triggers(vendor, "qa_answer", "post_id")


def forward(apps: Any, schema_editor: Any) -> None:
    stamps.run_vendor_sql(schema_editor, _triggers)


def backward(apps: Any, schema_editor: Any) -> None:
    stamps.run_vendor_sql(schema_editor, _triggers, backward=True)


class Migration(migrations.Migration):
    dependencies = [("qa", "0004_list_stamp")]

    operations = [migrations.RunPython(forward, backward)]
