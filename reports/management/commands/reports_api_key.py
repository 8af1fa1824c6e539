"""Issue, re-key or revoke the API key of a report channel (prints the key once)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mapserver import audit
from reports.models import ApiKey

CHANNELS = ("portal", "hotline_1022", "zalo", "staff_app", "web", "other")


class Command(BaseCommand):
    help = "Create (or re-key) the Open311 API key of a channel and print it; --revoke disables it."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the channel's key name, e.g. zalo-oa")
        parser.add_argument("--channel", choices=CHANNELS, default="other", help="kind of channel")
        parser.add_argument("--revoke", action="store_true", help="revoke the key instead of issuing one")

    def handle(self, *args, name, channel, revoke, **options):
        if revoke:
            if not ApiKey.objects.filter(name=name).update(revoked_at=timezone.now()):
                raise CommandError(f"no API key named {name!r}")
            audit.record(audit.system_principal(), "api_key_revoke", "field_reports", name=name)
            self.stdout.write(f"revoked {name}")
            return
        key, raw = ApiKey.issue(name, channel)
        audit.record(
            audit.system_principal(),
            "api_key_issue",
            "field_reports",
            key.pk,
            name=name,
            channel=channel,
            key_prefix=key.prefix,
        )
        self.stdout.write(raw)
