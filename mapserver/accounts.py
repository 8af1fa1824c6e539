"""Issuing, updating, locking and revoking accounts and their tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from mapserver import audit
from mapserver.models import Account, ApiToken, Role
from mapserver.principal import Principal


class AccountError(ValueError):
    """A role, commune, sector or layer grant that cannot be given."""


@transaction.atomic
def provision(
    username: str,
    role: str,
    commune: str = "",
    sectors: list[str] | None = None,
    grants: list[str] | None = None,
    known_communes: set[str] | None = None,
    known_layers: set[str] | None = None,
    actor: Principal | None = None,
    days: int | None = None,
    no_expiry: bool = False,
) -> tuple[Account, str]:
    """Create or update the user with this role and scope, and issue a new API token (returned raw).

    The token expires after `days` (default MAPSERVER_TOKEN_DAYS), or never with no_expiry. An existing account
    keeps its lock: issuing a token does not unlock it. Audited as token_issue by the actor (default: the
    operating-system user of a management command)."""
    expires_at = token_expiry(days, no_expiry)
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
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:  # a token-only account until someone sets a password (an empty one would count as "usable")
        user.set_unusable_password()
        user.save(update_fields=["password"])
    account, _ = Account.objects.update_or_create(
        user=user,
        defaults={
            "role": role,
            "commune_code": commune if role == Role.COMMUNE_STAFF else "",
            "sectors": sorted(set(sectors or [])),
            "granted_layers": sorted(set(grants or [])),
        },
    )
    token, raw = ApiToken.issue(user, expires_at=expires_at)
    audit.record(
        actor or audit.system_principal(),
        "token_issue",
        feature_id=token.pk,
        user=username,
        role=account.role,
        commune=account.commune_code,
        sectors=account.sectors,
        grants=account.granted_layers,
        token_prefix=token.prefix,
        expires_at=expires_at.isoformat() if expires_at else None,
    )
    return account, raw


def token_expiry(days: int | None = None, no_expiry: bool = False) -> datetime | None:
    """When a token issued now expires: after `days` (default MAPSERVER_TOKEN_DAYS), None with no_expiry."""
    if no_expiry:
        if days is not None:
            raise AccountError("give either --days or --no-expiry, not both")
        return None
    days = settings.MAPSERVER_TOKEN_DAYS if days is None else days
    if days < 1:
        raise AccountError("--days must be at least 1")
    return timezone.now() + timedelta(days=days)


def tokens_of(username: str | None = None) -> list[ApiToken]:
    """Every token (of one user, or all), oldest first, with its user."""
    tokens = ApiToken.objects.select_related("user").order_by("created_at", "id")
    return list(tokens.filter(user__username=username) if username else tokens)


@transaction.atomic
def revoke_tokens(username: str, actor: Principal | None = None) -> int:
    """Revoke every live token of the user; returns how many (audited as token_revoke)."""
    tokens = list(ApiToken.objects.filter(user__username=username, revoked_at__isnull=True))
    for token in tokens:
        token.revoke()
    audit.record(
        actor or audit.system_principal(), "token_revoke", user=username, token_ids=[token.pk for token in tokens]
    )
    return len(tokens)


@transaction.atomic
def set_locked(username: str, locked: bool, actor: Principal | None = None) -> None:
    """Lock or unlock the account (audited as account_lock / account_unlock)."""
    updated = Account.objects.filter(user__username=username).update(locked=locked)
    if not updated:
        raise AccountError(f"no account named {username!r}")
    if locked:
        end_sessions(Account.objects.filter(user__username=username).values_list("user_id", flat=True))
    audit.record(actor or audit.system_principal(), "account_lock" if locked else "account_unlock", user=username)


def end_sessions(user_ids: Iterable[int]) -> int:
    """Delete every stored session of these users (a locked account is logged out at once); returns how many.

    A session row names its user only inside its encoded data, so each is decoded: locks are rare, sessions few."""
    wanted = {str(pk) for pk in user_ids}
    if not wanted:
        return 0
    ended = [
        row.session_key
        for row in Session.objects.only("session_key", "session_data").iterator()
        if row.get_decoded().get(SESSION_KEY) in wanted
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def _end_sessions_of_locked(sender, instance: Account, **kwargs) -> None:
    """Any save that leaves an account locked (admin site, shell, provision) ends its sessions too."""
    if instance.locked:
        end_sessions([instance.user_id])


def connect() -> None:
    """Connect the lock receiver (from MapserverConfig.ready; idempotent)."""
    post_save.connect(_end_sessions_of_locked, sender=Account, dispatch_uid="mapserver.accounts.end_sessions")


@transaction.atomic
def set_password(username: str, password: str, actor: Principal | None = None) -> None:
    """Set the user's password once AUTH_PASSWORD_VALIDATORS accept it (AccountError with their reasons if not)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise AccountError(f"no user named {username!r}")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("password refused: " + " ".join(exc.messages)) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor or audit.system_principal(), "password_set", user=username)
