"""Load the shared protocol library, so a fresh install has it without the demo.

Upserts by slug (see practica/practice/consultancy/loader.py); running it again is harmless.
Reversing keeps the rows: sessions and adaptations may point at them.
"""

from django.db import migrations


def load(apps, schema_editor):
    from practica.practice.consultancy.loader import load_library

    load_library(
        apps.get_model("consultancy", "Protocol"), apps.get_model("consultancy", "ProtocolStep")
    )


class Migration(migrations.Migration):

    dependencies = [
        ("consultancy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
