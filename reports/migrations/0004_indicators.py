"""Indicator definitions for open and overdue field reports per commune (values: reports_indicators)."""

from django.db import migrations

INDICATORS = [
    ("reports_open", "Phản ánh hiện trường đang mở", 20.0),
    ("reports_overdue", "Phản ánh hiện trường quá hạn xử lý", 0.0),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("geodata", "Indicator")
    for code, name, target in INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": "phản ánh",
                "sector": "reports",
                "target": target,
                "higher_is_better": False,
                "department": "Trung tâm Giám sát, điều hành thông minh (IOC)",
                "period_kind": "month",
                "synthetic": False,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("geodata", "Indicator").objects.filter(code__in=[c for c, _, _ in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_seed_categories"), ("geodata", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
