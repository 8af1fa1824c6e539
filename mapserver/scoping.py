"""The one server-side scoping function: may this principal read or write this layer, and which rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mapserver.errors import Forbidden, Unauthorized
from mapserver.models import Role
from mapserver.principal import Principal


class ScopedLayer(Protocol):
    """What the scoping function needs to know of a layer (layers.registry.LayerSpec has it)."""

    id: str
    public: bool
    sector: str
    editable: bool
    commune_editable: bool
    commune_field: str | None


@dataclass(frozen=True)
class LayerAccess:
    """The verdict: read/write allowed, and the commune the rows are limited to (None: all rows)."""

    read: bool
    write: bool = False
    read_commune: str | None = None
    write_commune: str | None = None
    private_fields: bool = False

    @property
    def cache_scope(self) -> str:
        """A key naming the rows visible under this access, for caches shared between callers."""
        if not self.read:
            return "none"
        return f"c{self.read_commune}" if self.read_commune else "all"


DENIED = LayerAccess(read=False)
_READ_ALL_ROLES = {Role.ADMIN, Role.LEADER, Role.PLANNER}


def layer_access(principal: Principal, layer: ScopedLayer) -> LayerAccess:
    """Decide what the principal may do with the layer; every view, tile and query goes through here."""
    role = principal.role
    if principal.is_anonymous:
        return LayerAccess(read=True) if layer.public else DENIED
    if role in _READ_ALL_ROLES:
        may_write = layer.editable and role in {Role.ADMIN, Role.PLANNER}
        return LayerAccess(read=True, write=may_write, private_fields=role == Role.ADMIN)
    if role == Role.DEPARTMENT_STAFF:
        in_sector = bool(layer.sector) and layer.sector in principal.sectors
        return LayerAccess(read=layer.public or in_sector, write=layer.editable and in_sector)
    if role == Role.COMMUNE_STAFF:
        return _commune_staff_access(principal, layer)
    if role == Role.EXTERNAL_CLIENT:
        return LayerAccess(read=layer.public or layer.id in principal.granted_layers)
    return LayerAccess(read=True) if layer.public else DENIED


def _commune_staff_access(principal: Principal, layer: ScopedLayer) -> LayerAccess:
    commune = principal.commune_code or None
    has_commune_rows = commune is not None and layer.commune_field is not None
    may_write = layer.editable and layer.commune_editable and has_commune_rows
    if layer.public:
        return LayerAccess(read=True, write=may_write, write_commune=commune if may_write else None)
    if has_commune_rows:
        return LayerAccess(
            read=True, write=may_write, read_commune=commune, write_commune=commune if may_write else None
        )
    return DENIED


def require_read(principal: Principal, layer: ScopedLayer) -> LayerAccess:
    """The access to a layer the caller must be able to read: 401 for anonymous callers, 403 for others."""
    access = layer_access(principal, layer)
    if not access.read:
        if principal.is_anonymous:
            raise Unauthorized(f"layer {layer.id} needs authentication")
        raise Forbidden(f"your account may not read layer {layer.id}")
    return access
