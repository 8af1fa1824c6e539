"""Btree indexes on updated_at of the layer tables: scenario figures carry the time of their newest data
(max(updated_at), scenarios.freshness.layer_as_of), which without an index is a scan of the table per step."""

from django.db import migrations

TABLES = [
    "bridge",
    "camera",
    "constructionsite",
    "drainage",
    "enterprise",
    "healthfacility",
    "house",
    "incident",
    "industrialpark",
    "landparcel",
    "landusechange",
    "ocopproduct",
    "planningzone",
    "powerline",
    "powerstation",
    "railway",
    "road",
    "school",
    "sensor",
    "streetlight",
    "tourismsite",
    "tree",
    "watersupply",
    "waterway",
]


class Migration(migrations.Migration):
    dependencies = [("geodata", "0201_vocabulary_choices")]

    operations = [
        migrations.RunSQL(
            [
                f'CREATE INDEX IF NOT EXISTS "geodata_{t}_updated_at_idx" ON "geodata_{t}" ("updated_at")'
                for t in TABLES
            ],
            [f'DROP INDEX IF EXISTS "geodata_{t}_updated_at_idx"' for t in TABLES],
        )
    ]
