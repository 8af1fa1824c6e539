"""Routing: the commune whose polygon holds the point, and the department of the category.

Rule for border points: every commune whose polygon intersects the point (ST_Intersects, so a point on a shared
edge or vertex matches both) is a candidate, and the lowest commune code wins. A point inside the province but
in a sliver between derived commune polygons goes to the nearest commune (lowest code on a tie). A point outside
the province polygon is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point

from geodata.models import Commune, Province
from mapserver.errors import InvalidParameterValue
from reports.models import ServiceCategory


@dataclass(frozen=True)
class Route:
    """Where a report goes: its commune and the department of its category."""

    commune_code: str
    commune_name: str
    sector: str
    department: str

    @property
    def agency_responsible(self) -> str:
        """Open311 agency_responsible: "UBND Phường X / Sở Y"."""
        return f"UBND {self.commune_name} / {self.department}"


def commune_at(point: Point) -> tuple[str, str]:
    """(code, name) of the commune holding the point by the rule above; InvalidParameterValue outside."""
    hit = Commune.objects.filter(geom__intersects=point).order_by("code").values_list("code", "name").first()
    if hit:
        return hit
    if not Province.objects.filter(geom__intersects=point).exists():
        raise InvalidParameterValue(
            f"the point ({point.y:.6f}, {point.x:.6f}) is outside Đồng Nai province", code="OutsideProvince"
        )
    nearest = (
        Commune.objects.annotate(d=Distance("geom", point)).order_by("d", "code").values_list("code", "name").first()
    )
    if nearest is None:
        raise InvalidParameterValue("no commune is loaded to route the report to", code="OutsideProvince")
    return nearest


def route(point: Point, category: ServiceCategory) -> Route:
    """Route a report at this point in this category."""
    code, name = commune_at(point)
    return Route(commune_code=code, commune_name=name, sector=category.sector, department=category.department)
