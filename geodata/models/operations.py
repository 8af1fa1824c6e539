"""Layers of the sectors that had no scenario: road-segment speeds, mining licences and activity, shelters and
rescue resources, fire stations and the premises that must have a fire alarm."""

from django.contrib.gis.db import models

from geodata.models.base import FeatureBase
from geodata.vocabularies import (
    FIRE_ALARM,
    MINERAL,
    MINING_SOURCE,
    PREMISES_KIND,
    RESCUE_RESOURCE_KIND,
    ROAD_CLASS,
    SHELTER_KIND,
)


class RoadSegment(FeatureBase):
    """A stretch of road with its latest measured travel speed (probe vehicles, cameras) and free-flow speed."""

    road_id = models.BigIntegerField(null=True)
    name = models.CharField(max_length=160)
    road_class = models.CharField(max_length=16, choices=ROAD_CLASS.choices)
    speed_kmh = models.FloatField()
    free_flow_kmh = models.FloatField()
    observed_at = models.DateTimeField(db_index=True)
    geom = models.MultiLineStringField(srid=4326)


class MiningLicence(FeatureBase):
    """An area licensed for mineral extraction, valid from one date until another."""

    licence_no = models.CharField(max_length=48)
    holder = models.CharField(max_length=200)
    mineral = models.CharField(max_length=16, choices=MINERAL.choices)
    valid_from = models.DateField()
    valid_until = models.DateField(db_index=True)
    geom = models.MultiPolygonField(srid=4326)


class MiningActivity(FeatureBase):
    """Extraction seen at a place and date (inspection, satellite, camera), licensed or not."""

    mineral = models.CharField(max_length=16, choices=MINERAL.choices)
    observed_on = models.DateField(db_index=True)
    source = models.CharField(max_length=16, choices=MINING_SOURCE.choices)
    description = models.CharField(max_length=300, blank=True)
    geom = models.PointField(srid=4326)


class Shelter(FeatureBase):
    """A place designated to shelter evacuated people (schools, commune offices, cultural houses)."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=SHELTER_KIND.choices)
    capacity = models.IntegerField()
    geom = models.PointField(srid=4326)


class RescueResource(FeatureBase):
    """Boats, vehicles, teams and pumps held for rescue, where they are kept."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=RESCUE_RESOURCE_KIND.choices)
    quantity = models.IntegerField()
    geom = models.PointField(srid=4326)


class FireStation(FeatureBase):
    """A fire and rescue station (police fire-fighting units) with its vehicles and staff."""

    name = models.CharField(max_length=200)
    vehicles = models.IntegerField()
    staff = models.IntegerField()
    geom = models.PointField(srid=4326)


class FirePremises(FeatureBase):
    """A premises the fire law requires to have an automatic fire alarm, and the alarm it has."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=PREMISES_KIND.choices)
    alarm = models.CharField(max_length=16, choices=FIRE_ALARM.choices)
    geom = models.PointField(srid=4326)
