"""Planning, land and housing layers."""

from django.contrib.gis.db import models

from geodata.models.base import FeatureBase
from geodata.vocabularies import HOUSE_STATUS, LAND_USE, PERMITTED, PLAN_LEVEL


class PlanningZone(FeatureBase):
    """A zone of an approved master, zoning or detailed plan."""

    plan_name = models.CharField(max_length=200)
    plan_level = models.CharField(max_length=16, choices=PLAN_LEVEL.choices)
    decision_no = models.CharField(max_length=64)
    decision_date = models.DateField(null=True)
    land_use_code = models.CharField(max_length=8, choices=LAND_USE.choices)
    max_height_m = models.FloatField(null=True)
    max_density_pct = models.FloatField(null=True)
    drawing_url = models.CharField(max_length=300, blank=True)
    text_url = models.CharField(max_length=300, blank=True)
    decision_url = models.CharField(max_length=300, blank=True)
    geom = models.MultiPolygonField(srid=4326)


class LandParcel(FeatureBase):
    """A cadastral parcel (thửa đất); no owner data is stored here."""

    map_sheet_no = models.IntegerField()
    parcel_no = models.IntegerField()
    area_m2 = models.FloatField()
    land_use_code = models.CharField(max_length=8, db_index=True, choices=LAND_USE.choices)
    geom = models.MultiPolygonField(srid=4326)


class LandUseChange(FeatureBase):
    from_code = models.CharField(max_length=8, choices=LAND_USE.choices)
    to_code = models.CharField(max_length=8, choices=LAND_USE.choices)
    changed_on = models.DateField()
    permitted = models.BooleanField(choices=PERMITTED.choices)
    geom = models.MultiPolygonField(srid=4326)


class House(FeatureBase):
    """A dwelling with its digital address and household status (protected: personal data)."""

    address_code = models.CharField(max_length=32, db_index=True)
    status = models.CharField(max_length=16, db_index=True, choices=HOUSE_STATUS.choices)
    members = models.SmallIntegerField()
    floors = models.SmallIntegerField(default=1)
    parcel_id = models.BigIntegerField(null=True)
    geom = models.PointField(srid=4326)
