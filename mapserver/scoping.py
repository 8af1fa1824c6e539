"""The one server-side scoping function: may this principal read or write this layer, and which rows.

The role rules live here only: layers.scoped turns a verdict into SQL and ORM filters, and the other apps (field
reports, camera health, scenario runs) ask the helpers below rather than restate who reads what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mapserver.errors import Forbidden, Unauthorized
from mapserver.models import Role
from mapserver.principal import Principal


class ScopableLayer(Protocol):
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
    def limited(self) -> bool:
        """Whether the rows are limited to a commune (layers.scoped turns that into SQL and ORM filters)."""
        return self.read_commune is not None

    @property
    def cache_scope(self) -> str:
        """A key naming the rows visible under this access, for caches shared between callers."""
        if not self.read:
            return "none"
        return f"c{self.read_commune}" if self.read_commune else "all"


DENIED = LayerAccess(read=False)
READ_ALL_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.PLANNER})
STAFF_ROLES = READ_ALL_ROLES | {Role.DEPARTMENT_STAFF, Role.COMMUNE_STAFF}


def is_staff(principal: Principal) -> bool:
    """Province, department and commune staff (not anonymous callers, not external clients)."""
    return principal.role in STAFF_ROLES


def reads_everything(principal: Principal) -> bool:
    """Province staff (admins, leaders, planners) read every row of every layer and report."""
    return principal.role in READ_ALL_ROLES


def home_commune(principal: Principal) -> str | None:
    """The commune whose rows a commune-staff principal is limited to (None for other roles, or none set)."""
    return (principal.commune_code or None) if principal.role == Role.COMMUNE_STAFF else None


def in_sector(principal: Principal, sector: str) -> bool:
    """Whether the principal is department staff of this (non-empty) sector."""
    return principal.role == Role.DEPARTMENT_STAFF and bool(sector) and sector in principal.sectors


def staff_sectors(principal: Principal) -> frozenset[str]:
    """The sectors a department-staff principal works for (empty for other roles)."""
    return frozenset(principal.sectors) if principal.role == Role.DEPARTMENT_STAFF else frozenset()


def require_admin(principal: Principal, refusal: str) -> None:
    """401 for anonymous callers, 403 for any role but admin (job runs, scenario definitions)."""
    if principal.is_anonymous:
        raise Unauthorized("this action needs an authenticated account")
    if principal.role != Role.ADMIN:
        raise Forbidden(refusal)


def require_staff(principal: Principal, refusal: str) -> None:
    """401 for anonymous callers, 403 (with `refusal`) for external clients: the staff-only APIs."""
    if principal.is_anonymous:
        raise Unauthorized()
    if not is_staff(principal):
        raise Forbidden(refusal)


def layer_access(principal: Principal, layer: ScopableLayer) -> LayerAccess:
    """Decide what the principal may do with the layer; every view, tile and query goes through here."""
    role = principal.role
    if principal.is_anonymous:
        return LayerAccess(read=True) if layer.public else DENIED
    if reads_everything(principal):
        may_write = layer.editable and role in {Role.ADMIN, Role.PLANNER}
        return LayerAccess(read=True, write=may_write, private_fields=role == Role.ADMIN)
    if role == Role.DEPARTMENT_STAFF:
        mine = in_sector(principal, layer.sector)
        return LayerAccess(read=layer.public or mine, write=layer.editable and mine)
    if role == Role.COMMUNE_STAFF:
        return _commune_staff_access(principal, layer)
    if role == Role.EXTERNAL_CLIENT:
        return LayerAccess(read=layer.public or layer.id in principal.granted_layers)
    return LayerAccess(read=True) if layer.public else DENIED


def _commune_staff_access(principal: Principal, layer: ScopableLayer) -> LayerAccess:
    commune = home_commune(principal)
    has_commune_rows = commune is not None and layer.commune_field is not None
    may_write = layer.editable and layer.commune_editable and has_commune_rows
    if layer.public:
        return LayerAccess(read=True, write=may_write, write_commune=commune if may_write else None)
    if has_commune_rows:
        return LayerAccess(
            read=True, write=may_write, read_commune=commune, write_commune=commune if may_write else None
        )
    return DENIED


def require_read(principal: Principal, layer: ScopableLayer) -> LayerAccess:
    """The access to a layer the caller must be able to read: 401 for anonymous callers, 403 for others."""
    access = layer_access(principal, layer)
    if not access.read:
        if principal.is_anonymous:
            raise Unauthorized(f"layer {layer.id} needs authentication")
        raise Forbidden(f"your account may not read layer {layer.id}")
    return access
