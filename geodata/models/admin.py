"""Administrative units: the province, the 22 pre-2025 districts and the 95 communes of 2025."""

from django.contrib.gis.db import models

from geodata.vocabularies import COMMUNE_KIND, GEOMETRY_SOURCE


class Province(models.Model):
    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=128)
    geom = models.MultiPolygonField(srid=4326)


class District2024(models.Model):
    """A pre-2025 district (historical layer), as published by the Government's map portal."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=128)
    old_province_code = models.CharField(max_length=8)
    old_province_name = models.CharField(max_length=128)
    geom = models.MultiPolygonField(srid=4326)


class Commune(models.Model):
    """A commune or ward of 2025; geometry_source says whether its polygon is derived or real."""

    DERIVED = "derived"
    OFFICIAL = "official"

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=COMMUNE_KIND.choices)
    merged_from = models.JSONField(default=list)
    geometry_source = models.CharField(max_length=16, default=DERIVED, choices=GEOMETRY_SOURCE.choices)
    area_km2 = models.FloatField(default=0)
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        ordering = ["code"]
