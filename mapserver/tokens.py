"""Resolving bearer tokens to principals."""
from __future__ import annotations

from django.utils import timezone

from mapserver.errors import Unauthorized
from mapserver.models import ApiToken, hash_token
from mapserver.principal import Principal


def principal_for_token(raw: str) -> Principal:
    """Return the principal of a live token; raise Unauthorized for unknown, revoked or locked ones."""
    token = ApiToken.objects.select_related("user", "user__account").filter(digest=hash_token(raw)).first()
    if token is None:
        raise Unauthorized("unknown API token")
    if token.revoked_at is not None:
        raise Unauthorized("this API token has been revoked")
    principal = Principal.from_user(token.user)
    if principal.is_anonymous:
        raise Unauthorized("this account is locked or has no role")
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return principal
