"""Resolving bearer tokens to principals: one indexed query per request, so revocation and locks apply at once."""

from __future__ import annotations

from django.utils import timezone

from mapserver import prepared
from mapserver.errors import Unauthorized
from mapserver.models import ApiToken, hash_token
from mapserver.principal import Principal

# Hand-written instead of the ORM: this runs on every authenticated request, and the ORM's select_related
# cost about 1.8 ms of CPU against 0.1 ms for the plain statement (measured under the features benchmark);
# prepared once per database session (mapserver.prepared), as planning the join costs more than running it.
TOKEN_LOOKUP = """
SELECT t.id, t.revoked_at, t.last_used_at, t.expires_at, u.id, u.username, u.is_active,
       a.role, a.commune_code, a.sectors, a.granted_layers, a.locked
FROM mapserver_apitoken t
JOIN auth_user u ON u.id = t.user_id
LEFT JOIN mapserver_account a ON a.user_id = u.id
WHERE t.digest = %(digest)s
"""
LAST_USED_RESOLUTION_S = 300


def principal_for_token(raw: str) -> Principal:
    """Return the principal of a live token; raise Unauthorized for unknown, revoked, expired or locked ones."""
    rows = prepared.fetch(TOKEN_LOOKUP, {"digest": hash_token(raw)}, prefix="token")
    row = rows[0] if rows else None
    if row is None:
        raise Unauthorized("unknown API token")
    (
        token_id,
        revoked_at,
        last_used_at,
        expires_at,
        user_id,
        username,
        is_active,
        role,
        commune,
        sectors,
        grants,
        locked,
    ) = row
    if revoked_at is not None:
        raise Unauthorized("this API token has been revoked")
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise Unauthorized("this API token has expired")
    if not is_active or role is None or locked:
        raise Unauthorized("this account is locked or has no role")
    if last_used_at is None or (now - last_used_at).total_seconds() > LAST_USED_RESOLUTION_S:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return Principal(
        username=username,
        role=role,
        commune_code=commune or "",
        sectors=frozenset(sectors or ()),
        granted_layers=frozenset(grants or ()),
        user_id=user_id,
        token_id=token_id,
    )
