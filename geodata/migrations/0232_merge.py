"""Join the geodata migrations made in parallel (indicators of decision 456, updated_at indexes, sector layers)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("geodata", "0231_merge"), ("geodata", "0231_merge_indicators_and_sector_operations")]
    operations = []
