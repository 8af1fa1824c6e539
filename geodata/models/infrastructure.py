"""Urban technical infrastructure: transport, power, schools, health, water, trees, lighting."""
from django.contrib.gis.db import models

from geodata.models.base import FeatureBase


class Road(FeatureBase):
    road_class = models.CharField(max_length=16, db_index=True)  # national / provincial / commune / urban
    route_no = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=128, blank=True)
    surface = models.CharField(max_length=16)
    condition = models.CharField(max_length=16)
    length_m = models.FloatField(default=0)
    geom = models.MultiLineStringField(srid=4326)


class Waterway(FeatureBase):
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16)  # river / canal / stream
    navigable = models.BooleanField(default=False)
    geom = models.MultiLineStringField(srid=4326)


class Railway(FeatureBase):
    name = models.CharField(max_length=128)
    status = models.CharField(max_length=16)  # operating / planned / under_construction
    geom = models.MultiLineStringField(srid=4326)


class Bridge(FeatureBase):
    name = models.CharField(max_length=128)
    road_class = models.CharField(max_length=16)
    length_m = models.FloatField()
    load_limit_t = models.FloatField()
    condition = models.CharField(max_length=16)
    geom = models.PointField(srid=4326)


class PowerLine(FeatureBase):
    voltage_kv = models.FloatField()
    operator = models.CharField(max_length=64)
    geom = models.MultiLineStringField(srid=4326)


class PowerStation(FeatureBase):
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16)  # substation / solar / hydro / thermal
    capacity_mw = models.FloatField()
    geom = models.PointField(srid=4326)


class School(FeatureBase):
    name = models.CharField(max_length=160)
    level = models.CharField(max_length=16)  # kindergarten / primary / lower_secondary / upper_secondary
    students = models.IntegerField()
    public = models.BooleanField(default=True)
    geom = models.PointField(srid=4326)


class HealthFacility(FeatureBase):
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=16)  # hospital / health_station / clinic
    beds = models.IntegerField()
    geom = models.PointField(srid=4326)


class WaterSupply(FeatureBase):
    kind = models.CharField(max_length=16)  # main / distribution / hydrant
    diameter_mm = models.IntegerField()
    operator = models.CharField(max_length=64)
    geom = models.MultiLineStringField(srid=4326)


class Drainage(FeatureBase):
    kind = models.CharField(max_length=16)  # culvert / channel / sewer
    diameter_mm = models.IntegerField()
    condition = models.CharField(max_length=16)
    geom = models.MultiLineStringField(srid=4326)


class Tree(FeatureBase):
    species = models.CharField(max_length=64)
    height_m = models.FloatField()
    planted_year = models.SmallIntegerField(null=True)
    condition = models.CharField(max_length=16)
    geom = models.PointField(srid=4326)


class StreetLight(FeatureBase):
    status = models.CharField(max_length=8, db_index=True)  # on / off / fault
    wattage_w = models.IntegerField()
    kwh_month = models.FloatField()
    lamp_type = models.CharField(max_length=16)  # led / sodium
    road_id = models.BigIntegerField(null=True)
    geom = models.PointField(srid=4326)
