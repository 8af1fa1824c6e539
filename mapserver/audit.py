"""Writing audit entries."""
from __future__ import annotations

from typing import Any

from mapserver.models import AuditEntry
from mapserver.principal import Principal


def record(principal: Principal, action: str, layer_id: str = "", feature_id: Any = "", **detail: Any) -> AuditEntry:
    """Append one audit entry for an action by the principal."""
    return AuditEntry.objects.create(
        username=principal.username or "anonymous",
        role=principal.role or "",
        action=action,
        layer_id=layer_id,
        feature_id=str(feature_id) if feature_id is not None else "",
        detail=detail,
    )
