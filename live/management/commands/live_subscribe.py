"""Subscribe an e-mail address to the alerts of a unit for a role (or list / remove subscriptions)."""

from django.core.management.base import BaseCommand, CommandError

from geodata.vocabularies import ALERT_SEVERITY
from live.models import AlertSubscription
from live.notify import send_pending
from mapserver.models import Role


class Command(BaseCommand):
    help = "Alert e-mail subscriptions: --role R --unit U --email E [--min-severity S] | --list | --remove | --send"

    def add_arguments(self, parser):
        parser.add_argument("--role", choices=Role.values)
        parser.add_argument("--unit", default="", help="commune code or sector code; empty: every alert")
        parser.add_argument("--email")
        parser.add_argument("--min-severity", default="medium", choices=ALERT_SEVERITY.keys)
        parser.add_argument("--list", action="store_true")
        parser.add_argument("--remove", action="store_true")
        parser.add_argument("--send", action="store_true", help="send the pending alert e-mail now")

    def handle(self, *args, **o):
        if o["send"]:
            self.stdout.write(str(send_pending()))
            return
        if o["list"]:
            for s in AlertSubscription.objects.order_by("role", "unit", "email"):
                self.stdout.write(
                    f"{s.role}\t{s.unit or '*'}\t{s.email}\t{s.min_severity}\t{'on' if s.active else 'off'}"
                )
            return
        if not (o["role"] and o["email"]):
            raise CommandError("give --role and --email (and --unit)")
        key = {"role": o["role"], "unit": o["unit"], "email": o["email"]}
        if o["remove"]:
            AlertSubscription.objects.filter(**key).delete()
            return
        AlertSubscription.objects.update_or_create(**key, defaults={"min_severity": o["min_severity"], "active": True})
        self.stdout.write(f"subscribed {o['email']} ({o['role']}, {o['unit'] or 'every unit'})")
