"""Join the two branches of geodata migrations made in parallel (updated_at indexes, sector operations layers)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("geodata", "0220_updated_at_indexes"), ("geodata", "0230_sector_operations")]
    operations = []
