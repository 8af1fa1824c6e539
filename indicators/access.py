"""Who may enter which figure: communes their commune's, departments their indicators, the IOC everything; and
who reads the versions and the tracker. The role rules come from mapserver.scoping."""

from __future__ import annotations

from geodata.models import Indicator
from geodata.models.indicators import PROVINCE
from mapserver.errors import Forbidden
from mapserver.models import Role
from mapserver.principal import Principal
from mapserver.scoping import home_commune, in_sector, reads_everything, require_staff

IOC_ROLES = frozenset({Role.ADMIN, Role.LEADER})  # review and lock periods, chase units


def refusal(principal: Principal, indicator: Indicator, commune_code: str) -> str | None:
    """Why the principal may not enter this indicator's figure for this unit ("" = the province), or None."""
    if indicator.computed:
        return f"{indicator.code} is computed by the platform, not entered"
    if commune_code == PROVINCE and indicator.province_rule != "entered":
        return f"the province figure of {indicator.code} is computed from the communes ({indicator.province_rule})"
    if commune_code != PROVINCE and indicator.level != "commune":
        return f"{indicator.code} is reported for the province only, not per commune"
    if principal.role == Role.ADMIN:
        return None
    if principal.role == Role.DEPARTMENT_STAFF:
        return None if in_sector(principal, indicator.sector) else f"{indicator.code} belongs to {indicator.department}"
    if principal.role == Role.COMMUNE_STAFF:
        mine = home_commune(principal)
        if commune_code == PROVINCE:
            return f"the province figure of {indicator.code} is entered by {indicator.department}"
        return None if commune_code == mine else f"you enter the figures of commune {mine}, not {commune_code}"
    return "only the units that own the figures (departments, communes) enter them"


def require_writer(principal: Principal) -> None:
    """401/403 unless the principal is staff that may enter figures at all."""
    require_staff(principal, "indicator entry is for province, department and commune staff")
    if principal.role not in {Role.ADMIN, Role.DEPARTMENT_STAFF, Role.COMMUNE_STAFF}:
        raise Forbidden("only the units that own the figures (departments, communes) enter them")


def require_ioc(principal: Principal) -> None:
    """401/403 unless the principal is IOC staff (admins, leaders): locking periods, raising tracker alerts."""
    require_staff(principal, "for IOC staff")
    if principal.role not in IOC_ROLES:
        raise Forbidden("only the IOC (administrators, leaders) locks periods and chases units")


def reads_history(principal: Principal, indicator: Indicator, commune_code: str) -> bool:
    """Leaders and province staff read every version; a department its indicators'; a commune its own."""
    if reads_everything(principal):
        return True
    if principal.role == Role.DEPARTMENT_STAFF:
        return in_sector(principal, indicator.sector)
    return principal.role == Role.COMMUNE_STAFF and commune_code == home_commune(principal) != PROVINCE


def visible_indicators(principal: Principal):
    """The indicators whose tracker rows the principal sees (all for province staff, a department's own)."""
    found = Indicator.objects.all()
    if principal.role == Role.DEPARTMENT_STAFF:
        found = found.filter(sector__in=sorted(principal.sectors))
    return found
