"""Who may read, handle and see the reporter of which report (staff API).

The handling unit of a report is the commune it was routed to and the department of its category's sector.
Its staff (commune staff of that commune, department staff of that sector) and admins handle the report and see
the reporter's contact. Leaders and planners read every report without the contact. Staff of other communes or
sectors get 403. External clients read reports only through the public Open311 and OGC endpoints.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from mapserver import scoping
from mapserver.errors import Forbidden
from mapserver.models import Role
from mapserver.principal import Principal
from reports.models import FieldReport


def require_staff(principal: Principal) -> None:
    """401 for anonymous callers, 403 for roles that have no staff API."""
    scoping.require_staff(principal, "the staff report API is for province, department and commune staff")


def handles(principal: Principal, report: FieldReport) -> bool:
    """True for the handling unit's staff and admins: they move the report and see its reporter."""
    if principal.role == Role.ADMIN:
        return True
    commune = scoping.home_commune(principal)
    return (commune is not None and commune == report.commune_code) or scoping.in_sector(principal, report.sector)


def check_read(principal: Principal, report: FieldReport) -> None:
    """403 unless the principal may read this report in the staff API."""
    require_staff(principal)
    if not scoping.reads_everything(principal) and not handles(principal, report):
        raise Forbidden("this report is handled by another commune or department")


def check_handle(principal: Principal, report: FieldReport) -> None:
    """403 unless the principal belongs to the handling unit (or is an admin)."""
    check_read(principal, report)
    if not handles(principal, report):
        raise Forbidden("only the handling commune or department (or an admin) may move this report")


def scoped(principal: Principal, reports: QuerySet[FieldReport]) -> QuerySet[FieldReport]:
    """The reports the principal may list."""
    require_staff(principal)
    if scoping.reads_everything(principal):
        return reports
    if commune := scoping.home_commune(principal):
        return reports.filter(commune_code=commune)
    if sectors := scoping.staff_sectors(principal):
        return reports.filter(Q(sector__in=sorted(sectors)))
    return reports.none()
