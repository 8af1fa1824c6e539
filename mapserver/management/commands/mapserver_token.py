"""Create or update a user with a role and scope, and print a new API token on the last line."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from geodata.models import Commune
from layers.registry import registry
from mapserver.accounts import AccountError, provision, revoke_tokens, set_locked
from mapserver.models import Role


class Command(BaseCommand):
    help = "Create/update a user and print an API token (last line); --revoke / --lock / --unlock manage it."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True)
        parser.add_argument("--role", choices=Role.values)
        parser.add_argument("--commune", default="", help="official commune code (commune_staff)")
        parser.add_argument("--sector", action="append", default=[], help="sector (department_staff), repeatable")
        parser.add_argument("--grant", nargs="+", action="extend", default=[], help="layer ids (external_client)")
        parser.add_argument("--revoke", action="store_true", help="revoke all tokens of the user")
        parser.add_argument("--lock", action="store_true", help="lock the account")
        parser.add_argument("--unlock", action="store_true", help="unlock the account")

    def handle(self, *args, user, role, commune, sector, grant, revoke, lock, unlock, **options):
        try:
            if revoke or lock or unlock:
                if revoke:
                    self.stdout.write(f"revoked {revoke_tokens(user)} token(s) of {user}")
                if lock or unlock:
                    set_locked(user, lock)
                    self.stdout.write(f"{user} {'locked' if lock else 'unlocked'}")
                return
            if not role:
                raise CommandError("--role is required to create or update a user")
            communes = set(Commune.objects.values_list("code", flat=True))
            account, raw = provision(user, role, commune, sector, grant, known_communes=communes or None,
                                     known_layers={spec.id for spec in registry.all()})
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"user {user}: role {account.role}"
                          + (f", commune {account.commune_code}" if account.commune_code else "")
                          + (f", sectors {','.join(account.sectors)}" if account.sectors else "")
                          + (f", grants {','.join(account.granted_layers)}" if account.granted_layers else ""))
        self.stdout.write(raw)
