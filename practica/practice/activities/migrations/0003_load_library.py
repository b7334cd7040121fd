"""Load the shared activity library, so a fresh install has it without the demo.

Upserts by slug (see practica/practice/activities/loader.py); running it again is harmless.
Reversing keeps the rows: adaptations and meetings may point at them.
"""

from django.db import migrations


def load(apps, schema_editor):
    from practica.practice.activities.loader import load_library

    load_library(apps.get_model("activities", "Activity"))


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0002_search_text_updated_at"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
