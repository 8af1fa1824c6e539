"""Urban technical infrastructure: transport, power, schools, health, water, trees, lighting."""

from django.contrib.gis.db import models

from geodata.models.base import FeatureBase
from geodata.vocabularies import (
    CONDITION,
    DRAINAGE_CONDITION,
    DRAINAGE_KIND,
    HEALTH_FACILITY_KIND,
    LAMP_TYPE,
    LIGHT_STATUS,
    POWER_STATION_KIND,
    RAILWAY_STATUS,
    ROAD_CLASS,
    ROAD_SURFACE,
    SCHOOL_LEVEL,
    TREE_CONDITION,
    WATER_SUPPLY_KIND,
    WATERWAY_KIND,
)


class Road(FeatureBase):
    road_class = models.CharField(max_length=16, db_index=True, choices=ROAD_CLASS.choices)
    route_no = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=128, blank=True)
    surface = models.CharField(max_length=16, choices=ROAD_SURFACE.choices)
    condition = models.CharField(max_length=16, choices=CONDITION.choices)
    length_m = models.FloatField(default=0)
    geom = models.MultiLineStringField(srid=4326)


class Waterway(FeatureBase):
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=WATERWAY_KIND.choices)
    navigable = models.BooleanField(default=False)
    geom = models.MultiLineStringField(srid=4326)


class Railway(FeatureBase):
    name = models.CharField(max_length=128)
    status = models.CharField(max_length=16, choices=RAILWAY_STATUS.choices)
    geom = models.MultiLineStringField(srid=4326)


class Bridge(FeatureBase):
    name = models.CharField(max_length=128)
    road_class = models.CharField(max_length=16, choices=ROAD_CLASS.choices)
    length_m = models.FloatField()
    load_limit_t = models.FloatField()
    condition = models.CharField(max_length=16, choices=CONDITION.choices)
    geom = models.PointField(srid=4326)


class PowerLine(FeatureBase):
    voltage_kv = models.FloatField()
    operator = models.CharField(max_length=64)
    geom = models.MultiLineStringField(srid=4326)


class PowerStation(FeatureBase):
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=POWER_STATION_KIND.choices)
    capacity_mw = models.FloatField()
    geom = models.PointField(srid=4326)


class School(FeatureBase):
    name = models.CharField(max_length=160)
    level = models.CharField(max_length=16, choices=SCHOOL_LEVEL.choices)
    students = models.IntegerField()
    teachers = models.IntegerField(default=0, db_default=0)
    classrooms = models.IntegerField(default=0, db_default=0)
    public = models.BooleanField(default=True)
    geom = models.PointField(srid=4326)


class HealthFacility(FeatureBase):
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=16, choices=HEALTH_FACILITY_KIND.choices)
    beds = models.IntegerField()
    doctors = models.IntegerField(default=0, db_default=0)
    inpatients = models.IntegerField(default=0, db_default=0)  # patients admitted now
    geom = models.PointField(srid=4326)


class WaterSupply(FeatureBase):
    kind = models.CharField(max_length=16, choices=WATER_SUPPLY_KIND.choices)
    diameter_mm = models.IntegerField()
    operator = models.CharField(max_length=64)
    geom = models.MultiLineStringField(srid=4326)


class Drainage(FeatureBase):
    kind = models.CharField(max_length=16, choices=DRAINAGE_KIND.choices)
    diameter_mm = models.IntegerField()
    condition = models.CharField(max_length=16, choices=DRAINAGE_CONDITION.choices)
    geom = models.MultiLineStringField(srid=4326)


class Tree(FeatureBase):
    species = models.CharField(max_length=64)
    height_m = models.FloatField()
    planted_year = models.SmallIntegerField(null=True)
    condition = models.CharField(max_length=16, choices=TREE_CONDITION.choices)
    geom = models.PointField(srid=4326)


class StreetLight(FeatureBase):
    status = models.CharField(max_length=8, db_index=True, choices=LIGHT_STATUS.choices)
    wattage_w = models.IntegerField()
    kwh_month = models.FloatField()
    lamp_type = models.CharField(max_length=16, choices=LAMP_TYPE.choices)
    road_id = models.BigIntegerField(null=True)
    geom = models.PointField(srid=4326)
