"""Issue a device/gateway token that may write only the observations of the given datastreams."""

from django.core.management.base import BaseCommand, CommandError

from mapserver.accounts import AccountError
from sta.devices import issue_device


class Command(BaseCommand):
    help = "Create or update a device account granted these datastreams (sensor ids); prints its token last."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True)
        parser.add_argument("--datastreams", type=int, nargs="+", required=True)
        parser.add_argument("--days", type=int)
        parser.add_argument("--no-expiry", action="store_true")

    def handle(self, *args, **options):
        try:
            raw = issue_device(options["user"], options["datastreams"], options["days"], options["no_expiry"])
        except AccountError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"device {options['user']}: datastreams {' '.join(map(str, options['datastreams']))}")
        self.stdout.write(raw)
