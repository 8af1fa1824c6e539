"""Economy and society: industrial parks, enterprises, tourism, OCOP, construction, incidents."""
from django.contrib.gis.db import models

from geodata.models.base import FeatureBase


class IndustrialPark(FeatureBase):
    name = models.CharField(max_length=160)
    operator = models.CharField(max_length=160)
    area_ha = models.FloatField()
    occupancy_pct = models.FloatField()
    geom = models.MultiPolygonField(srid=4326)


class Enterprise(FeatureBase):
    name = models.CharField(max_length=200)
    tax_code = models.CharField(max_length=16)
    sector = models.CharField(max_length=32)
    employees = models.IntegerField()
    industrial_park_id = models.BigIntegerField(null=True)
    geom = models.PointField(srid=4326)


class TourismSite(FeatureBase):
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=24)  # attraction / festival / lodging / parking / medical / security / toilet
    capacity = models.IntegerField()
    visitors_today = models.IntegerField(default=0)
    geom = models.PointField(srid=4326)


class OcopProduct(FeatureBase):
    name = models.CharField(max_length=200)
    producer = models.CharField(max_length=200)
    category = models.CharField(max_length=32)
    stars = models.SmallIntegerField()
    geom = models.PointField(srid=4326)


class ConstructionSite(FeatureBase):
    name = models.CharField(max_length=200)
    permit_no = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16)  # permitted / unpermitted / suspended / completed
    violations = models.IntegerField(default=0)
    started_on = models.DateField(null=True)
    geom = models.PointField(srid=4326)


class Incident(FeatureBase):
    kind = models.CharField(max_length=24, db_index=True)  # fire / flood / traffic_accident / rescue / epidemic
    occurred_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=16)  # reported / responding / resolved
    severity = models.SmallIntegerField()  # 1 (minor) .. 4 (critical)
    description = models.CharField(max_length=300, blank=True)
    cases = models.IntegerField(default=0)
    geom = models.PointField(srid=4326)
