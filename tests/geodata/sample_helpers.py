"""Helpers shared by the sample-data tests."""

from __future__ import annotations

from django.db import connection

POINT_TABLES = {
    "houses": "geodata_house",
    "bridges": "geodata_bridge",
    "power_stations": "geodata_powerstation",
    "schools": "geodata_school",
    "health_facilities": "geodata_healthfacility",
    "trees": "geodata_tree",
    "street_lights": "geodata_streetlight",
    "cameras": "geodata_camera",
    "sensors": "geodata_sensor",
    "enterprises": "geodata_enterprise",
    "tourism_sites": "geodata_tourismsite",
    "ocop_products": "geodata_ocopproduct",
    "construction_sites": "geodata_constructionsite",
    "incidents": "geodata_incident",
}
SHAPE_TABLES = {
    "planning_zones": "geodata_planningzone",
    "land_parcels": "geodata_landparcel",
    "land_use_changes": "geodata_landusechange",
    "roads": "geodata_road",
    "waterways": "geodata_waterway",
    "railways": "geodata_railway",
    "power_lines": "geodata_powerline",
    "water_supply": "geodata_watersupply",
    "drainage": "geodata_drainage",
    "industrial_parks": "geodata_industrialpark",
}
ALL_TABLES = {**POINT_TABLES, **SHAPE_TABLES}


def rows(query: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def scalar(query: str, params=None):
    return rows(query, params)[0][0]


def execute(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)
