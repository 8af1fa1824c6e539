"""The field-report indicators are computed by the platform (reports_indicators): no unit reports them, the
submission tracker does not chase them, and they sum over communes for the province."""

from django.db import migrations

CODES = ["reports_open", "reports_overdue"]


def mark(apps, schema_editor):
    apps.get_model("geodata", "Indicator").objects.filter(code__in=CODES).update(
        computed=True, province_rule="sum", group="administration", level="commune"
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_indicators"), ("geodata", "0210_indicators_456_socio_economic")]
    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
