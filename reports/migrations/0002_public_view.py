"""The reports_public view (the field_reports layer) and the geography index used for duplicates."""

from pathlib import Path

from django.db import migrations

SQL = (Path(__file__).parent / "0002_public_view.sql").read_text(encoding="utf-8")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.RunSQL(
            SQL,
            reverse_sql="DROP VIEW IF EXISTS reports_public; DROP INDEX IF EXISTS reports_fieldreport_geog_idx;",
        )
    ]
