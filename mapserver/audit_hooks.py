"""Audit hooks: log-ins and log-outs (auth signals), the request and denials (a middleware), personal-data exports.

Connected once in MapserverConfig.ready().
"""

from __future__ import annotations

import json
import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from geodata.signals import layer_exported
from mapserver import audit
from mapserver.principal import Principal

log = logging.getLogger(__name__)
DENIED_STATUSES = (401, 403)
BODY_PEEK = 4096


def _user_principal(user) -> Principal:
    """The user as an audit actor, also when the account is locked or has no role (Principal.from_user is
    anonymous then, but the entry must name who it was)."""
    if user is None:
        return Principal()
    account = getattr(user, "account", None)
    return Principal(username=user.get_username(), role=getattr(account, "role", "") or "", user_id=user.pk)


def on_login(sender, request: HttpRequest | None = None, user=None, **kwargs) -> None:
    audit.record(_user_principal(user), "login", request=request)


def on_login_failed(sender, credentials: dict | None = None, request: HttpRequest | None = None, **kwargs) -> None:
    # Django has already masked the secret fields of credentials; only the name tried is kept.
    attempted = str((credentials or {}).get("username", ""))[:150]
    audit.record(Principal(), "login_failed", request=request, attempted_username=attempted)


def on_logout(sender, request: HttpRequest | None = None, user=None, **kwargs) -> None:
    if user is not None:
        audit.record(_user_principal(user), "logout", request=request)


def on_layer_exported(sender, layer_id: str = "", count: int = 0, **detail) -> None:
    """geodata_export wrote a layer to a file: a bulk read when the layer holds personal data."""
    from layers.registry import registry

    if audit.is_personal(registry.get(layer_id)) and count > 0:
        audit.record(
            audit.system_principal(),
            "read_personal",
            layer_id,
            count=count,
            via="geodata_export",
            **{k: str(v) for k, v in detail.items()},
        )


def connect() -> None:
    """Connect the signal receivers (idempotent: each has a dispatch_uid)."""
    user_logged_in.connect(on_login, dispatch_uid="mapserver.audit.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="mapserver.audit.login_failed")
    user_logged_out.connect(on_logout, dispatch_uid="mapserver.audit.logout")
    layer_exported.connect(on_layer_exported, dispatch_uid="mapserver.audit.layer_exported")


def _error_of(response: HttpResponse) -> dict:
    """The {"code", "description"} of a small JSON error body (ours or Open311's list form), else {}."""
    if getattr(response, "streaming", False) or "json" not in response.get("Content-Type", ""):
        return {}
    content = response.content
    if len(content) > BODY_PEEK:
        return {}
    try:
        body = json.loads(content)
    except ValueError:
        return {}
    if isinstance(body, list) and body and isinstance(body[0], dict):
        body = body[0]
    if not isinstance(body, dict):
        return {}
    return {key: str(body[key])[:200] for key in ("code", "description") if key in body}


class AuditMiddleware:
    """Binds the request for the entries written while answering it, and writes a `denied` entry for every
    401 and 403 answer (bad tokens, missing roles, CSRF failures...).

    It sits before PrincipalMiddleware so it also sees the 401 that middleware answers for a bad token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.bound_request(request):
            response = self.get_response(request)
        if response.status_code in DENIED_STATUSES:
            try:
                audit.record(
                    None,
                    "denied",
                    request=request,
                    status=response.status_code,
                    method=request.method,
                    path=request.path[: audit.PATH_MAX],
                    **_error_of(response),
                )
            except DatabaseError:  # never turn a denial into a 500; the log keeps the trace
                log.exception("could not audit the denial of %s %s", request.method, request.path)
        return response
