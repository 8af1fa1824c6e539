"""Issuing, updating, locking and revoking accounts and their tokens."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from mapserver.models import Account, ApiToken, Role


class AccountError(ValueError):
    """A role, commune, sector or layer grant that cannot be given."""


@transaction.atomic
def provision(username: str, role: str, commune: str = "", sectors: list[str] | None = None,
              grants: list[str] | None = None, known_communes: set[str] | None = None,
              known_layers: set[str] | None = None) -> tuple[Account, str]:
    """Create or update the user with this role and scope, and issue a new API token (returned raw)."""
    if role not in Role.values:
        raise AccountError(f"unknown role {role!r}; one of {', '.join(Role.values)}")
    if role == Role.COMMUNE_STAFF and not commune:
        raise AccountError("commune_staff needs --commune CODE")
    if commune and known_communes is not None and commune not in known_communes:
        raise AccountError(f"unknown commune code {commune!r}")
    if role == Role.DEPARTMENT_STAFF and not sectors:
        raise AccountError("department_staff needs at least one --sector")
    unknown = sorted(set(grants or []) - (known_layers or set(grants or [])))
    if unknown:
        raise AccountError(f"unknown layer(s) to grant: {', '.join(unknown)}")
    user, _ = get_user_model().objects.get_or_create(username=username)
    if not user.has_usable_password():
        user.set_unusable_password()
        user.save()
    account, _ = Account.objects.update_or_create(
        user=user,
        defaults={"role": role, "commune_code": commune if role == Role.COMMUNE_STAFF else "",
                  "sectors": sorted(set(sectors or [])), "granted_layers": sorted(set(grants or [])), "locked": False},
    )
    _, raw = ApiToken.issue(user)
    return account, raw


def revoke_tokens(username: str) -> int:
    """Revoke every live token of the user; returns how many."""
    tokens = ApiToken.objects.filter(user__username=username, revoked_at__isnull=True)
    for token in tokens:
        token.revoke()
    return len(tokens)


def set_locked(username: str, locked: bool) -> None:
    updated = Account.objects.filter(user__username=username).update(locked=locked)
    if not updated:
        raise AccountError(f"no account named {username!r}")
