"""Create or update a user with a role and scope, and print a new API token on the last line.

Also: --list (the tokens, with expiry), --revoke, --lock / --unlock, --set-password (read from stdin, validated).
"""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from geodata.models import Commune
from layers.registry import registry
from mapserver.accounts import AccountError, provision, revoke_tokens, set_locked, set_password, tokens_of
from mapserver.models import ApiToken, Role, hash_token

LIST_HEADER = ("id", "user", "prefix", "created", "expires", "last used", "revoked")


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _row(token: ApiToken, now) -> tuple[str, ...]:
    expires = _when(token.expires_at) if token.expires_at else "never"
    if token.expires_at and token.expires_at <= now:
        expires += " (expired)"
    return (
        str(token.pk),
        token.user.username,
        token.prefix,
        _when(token.created_at),
        expires,
        _when(token.last_used_at),
        _when(token.revoked_at),
    )


class Command(BaseCommand):
    help = (
        "Create/update a user and print an API token (last line); --list, --revoke, --lock / --unlock, "
        "--set-password manage it."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--user", help="user name (required except with --list)")
        parser.add_argument("--role", choices=Role.values)
        parser.add_argument("--commune", default="", help="official commune code (commune_staff)")
        parser.add_argument("--sector", action="append", default=[], help="sector (department_staff), repeatable")
        parser.add_argument("--grant", nargs="+", action="extend", default=[], help="layer ids (external_client)")
        parser.add_argument("--days", type=int, help="lifetime of the new token in days (MAPSERVER_TOKEN_DAYS)")
        parser.add_argument(
            "--no-expiry", action="store_true", help="the new token never expires (service accounts only, on purpose)"
        )
        parser.add_argument("--list", action="store_true", dest="list_tokens", help="list tokens (--user's, or all)")
        parser.add_argument("--revoke", action="store_true", help="revoke all tokens of the user")
        parser.add_argument("--lock", action="store_true", help="lock the account (and end its sessions)")
        parser.add_argument("--unlock", action="store_true", help="unlock the account")
        parser.add_argument(
            "--set-password",
            action="store_true",
            dest="password_from_stdin",
            help="set the user's password, read from stdin (checked by AUTH_PASSWORD_VALIDATORS)",
        )

    def handle(
        self,
        *args,
        user,
        role,
        commune,
        sector,
        grant,
        days,
        no_expiry,
        list_tokens,
        revoke,
        lock,
        unlock,
        password_from_stdin,
        **options,
    ):
        if list_tokens:
            return self._list(user)
        if not user:
            raise CommandError("--user is required")
        if lock and unlock:
            raise CommandError("give --lock or --unlock, not both")
        try:
            if revoke or lock or unlock or password_from_stdin:
                return self._manage(user, revoke, lock, unlock, password_from_stdin, options.get("stdin") or sys.stdin)
            if not role:
                raise CommandError("--role is required to create or update a user")
            communes = set(Commune.objects.values_list("code", flat=True))
            account, raw = provision(
                user,
                role,
                commune,
                sector,
                grant,
                known_communes=communes or None,
                known_layers={spec.id for spec in registry.all()},
                days=days,
                no_expiry=no_expiry,
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        token = ApiToken.objects.get(digest=hash_token(raw))
        self.stdout.write(
            f"user {user}: role {account.role}"
            + (f", commune {account.commune_code}" if account.commune_code else "")
            + (f", sectors {','.join(account.sectors)}" if account.sectors else "")
            + (f", grants {','.join(account.granted_layers)}" if account.granted_layers else "")
            + (", account locked" if account.locked else "")
            + f"; token expires {_when(token.expires_at) if token.expires_at else 'never'}"
        )
        self.stdout.write(raw)

    def _manage(self, user: str, revoke: bool, lock: bool, unlock: bool, password: bool, stdin) -> None:
        if revoke:
            self.stdout.write(f"revoked {revoke_tokens(user)} token(s) of {user}")
        if lock or unlock:
            set_locked(user, lock)
            self.stdout.write(f"{user} {'locked (sessions ended)' if lock else 'unlocked'}")
        if password:
            set_password(user, self._read_password(stdin))
            self.stdout.write(f"password of {user} set")

    def _read_password(self, stdin) -> str:
        """The new password: typed twice at a terminal, else the first line of stdin (never from argv)."""
        if stdin.isatty():
            first, second = getpass.getpass("New password: "), getpass.getpass("Again: ")
            if first != second:
                raise CommandError("the two passwords differ")
            return first
        password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("--set-password reads the password from stdin: nothing was given")
        return password

    def _list(self, user: str | None) -> None:
        now = timezone.now()
        rows = [LIST_HEADER] + [_row(token, now) for token in tokens_of(user)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(LIST_HEADER))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
