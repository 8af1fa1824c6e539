"""Writing audit entries: who did what, from which address, user agent and token, and when.

The table is append-only for the application (migration 0004_audit_append_only): entries are only ever
inserted. Actions written here and by the hooks in mapserver.audit_hooks:

- `login`, `login_failed`, `logout` (and `login_lockout`, mapserver.login);
- `token_issue`, `token_revoke`, `account_lock`, `account_unlock` (mapserver.accounts), `api_key_issue`,
  `api_key_revoke` (reports_api_key);
- `denied`: every 401 or 403 answer, with method, path and status;
- `read_personal`: a read of rows of a personal-data layer (houses), with how many;
- `disclose_contact`: an answer that carried a field reporter's contact, with the report id(s);
- `audit_read`: an export or listing of this log (manage.py mapserver_audit);
- the domain actions of the apps (`feature.create`, `scenario_run`, `report_transition`, ...).
"""

from __future__ import annotations

import getpass
import ipaddress
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from mapserver.models import AuditEntry
from mapserver.principal import Principal

USER_AGENT_MAX = 300
PATH_MAX = 300
QUERY_MAX = 1000
# The request being answered (bound by mapserver.audit_hooks.AuditMiddleware), so entries written deep in domain
# code (workflow, submissions, accounts) carry its address and user agent without passing it down.
_CURRENT_REQUEST: ContextVar[HttpRequest | None] = ContextVar("mapserver_audit_request", default=None)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the right-most X-Forwarded-For hop when REMOTE_ADDR is a trusted proxy.

    Only the right-most hop is taken: it is the one our own proxy appended; anything left of it was written by
    the client and can be forged.
    """
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    proxies = _networks(tuple(getattr(settings, "MAPSERVER_TRUSTED_PROXIES", ())))
    if any(remote in network for network in proxies):
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        forwarded = _ip(hops[-1]) if hops else None
        if forwarded is not None:
            return str(forwarded)
    return str(remote)


def user_agent(request: HttpRequest) -> str:
    """The User-Agent header, truncated to what the column holds."""
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]


@contextmanager
def bound_request(request: HttpRequest) -> Iterator[None]:
    """Within this block, entries written without a request describe this one."""
    token = _CURRENT_REQUEST.set(request)
    try:
        yield
    finally:
        _CURRENT_REQUEST.reset(token)


def system_principal() -> Principal:
    """The actor of management commands: the operating-system account that ran them."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        name = "unknown"
    return Principal(username=f"system:{name}"[:150])


def record(
    principal: Principal | None,
    action: str,
    layer_id: str = "",
    feature_id: Any = "",
    *,
    request: HttpRequest | None = None,
    **detail: Any,
) -> AuditEntry:
    """Append one audit entry for an action by the principal (request.principal when None).

    With the request (by default the one being answered), the entry also records the client address, user agent
    and bearer token id.
    """
    if request is None:
        request = _CURRENT_REQUEST.get()
    if principal is None:
        principal = getattr(request, "principal", None) or Principal()
    return AuditEntry.objects.create(
        username=principal.username or "anonymous",
        role=principal.role or "",
        action=action,
        layer_id=layer_id,
        feature_id=str(feature_id)[:64] if feature_id is not None else "",
        detail=detail,
        client_address=client_address(request) if request is not None else None,
        user_agent=user_agent(request) if request is not None else "",
        token_id=principal.token_id,
    )


def record_personal_read(
    request: HttpRequest, layer_id: str, count: int, feature_id: Any = "", **detail: Any
) -> AuditEntry | None:
    """A read of `count` rows of a personal-data layer (nothing is written for an empty answer)."""
    if count <= 0:
        return None
    return record(
        None,
        "read_personal",
        layer_id,
        feature_id,
        request=request,
        count=count,
        method=request.method,
        path=request.path[:PATH_MAX],
        query=request.META.get("QUERY_STRING", "")[:QUERY_MAX],
        **detail,
    )


def record_contact_disclosure(request: HttpRequest, report_ids: Iterable[int], **detail: Any) -> AuditEntry | None:
    """An answer that carried the contact of the reporters of these reports."""
    ids = sorted(set(report_ids))
    if not ids:
        return None
    return record(
        None,
        "disclose_contact",
        "field_reports",
        ids[0] if len(ids) == 1 else "",
        request=request,
        report_ids=ids,
        path=request.path[:PATH_MAX],
        **detail,
    )


def is_personal(spec: Any) -> bool:
    """Do the layer's rows describe people (a LayerSpec with personal_data)?"""
    return bool(getattr(spec, "personal_data", False))
