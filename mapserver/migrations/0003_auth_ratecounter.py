"""The request counters of mapserver.ratelimit: one row per (bucket, caller), a fixed window each."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mapserver", "0002_security_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("bucket", models.CharField(max_length=32)),
                ("caller", models.CharField(max_length=64)),
                ("window_start", models.DateTimeField()),
                ("hits", models.PositiveIntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["window_start"], name="mapserver_ratecounter_age")],
                "constraints": [models.UniqueConstraint(fields=("bucket", "caller"), name="mapserver_ratecounter_key")],
            },
        ),
    ]
