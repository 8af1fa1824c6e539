"""Economy and society: industrial parks, enterprises, tourism, OCOP, construction, incidents."""

from django.contrib.gis.db import models

from geodata.models.base import FeatureBase
from geodata.vocabularies import (
    CONSTRUCTION_STATUS,
    ENTERPRISE_SECTOR,
    ENTERPRISE_STATUS,
    INCIDENT_KIND,
    INCIDENT_SEVERITY,
    INCIDENT_STATUS,
    OCOP_CATEGORY,
    OCOP_STARS,
    TOURISM_KIND,
)


class IndustrialPark(FeatureBase):
    name = models.CharField(max_length=160)
    operator = models.CharField(max_length=160)
    area_ha = models.FloatField()
    occupancy_pct = models.FloatField()
    geom = models.MultiPolygonField(srid=4326)


class Enterprise(FeatureBase):
    name = models.CharField(max_length=200)
    tax_code = models.CharField(max_length=16)
    sector = models.CharField(max_length=32, choices=ENTERPRISE_SECTOR.choices)
    employees = models.IntegerField()
    industrial_park_id = models.BigIntegerField(null=True)
    # issue 14: registration status and its dates (registrations, suspensions, dissolutions by commune and sector)
    status = models.CharField(max_length=12, choices=ENTERPRISE_STATUS.choices, default="active", db_default="active")
    registered_on = models.DateField(null=True)
    status_changed_on = models.DateField(null=True)  # when it was suspended or dissolved
    geom = models.PointField(srid=4326)


class TourismSite(FeatureBase):
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=24, choices=TOURISM_KIND.choices)
    capacity = models.IntegerField()
    visitors_today = models.IntegerField(default=0)
    geom = models.PointField(srid=4326)


class OcopProduct(FeatureBase):
    name = models.CharField(max_length=200)
    producer = models.CharField(max_length=200)
    category = models.CharField(max_length=32, choices=OCOP_CATEGORY.choices)
    stars = models.SmallIntegerField(choices=OCOP_STARS.choices)
    geom = models.PointField(srid=4326)


class ConstructionSite(FeatureBase):
    name = models.CharField(max_length=200)
    permit_no = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=CONSTRUCTION_STATUS.choices)
    violations = models.IntegerField(default=0)
    started_on = models.DateField(null=True)
    geom = models.PointField(srid=4326)


class Incident(FeatureBase):
    kind = models.CharField(max_length=24, db_index=True, choices=INCIDENT_KIND.choices)
    occurred_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=16, choices=INCIDENT_STATUS.choices)
    severity = models.SmallIntegerField(choices=INCIDENT_SEVERITY.choices)
    description = models.CharField(max_length=300, blank=True)
    cases = models.IntegerField(default=0)
    geom = models.PointField(srid=4326)
