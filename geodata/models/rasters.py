"""Registered raster layers (Cloud-Optimised GeoTIFFs read with rasterio)."""

from django.db import models


class RasterLayer(models.Model):
    layer_id = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    path = models.CharField(max_length=500)
    unit = models.CharField(max_length=16, blank=True)
    synthetic = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
