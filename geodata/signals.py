"""Signals sent when stored layer data changes (imports, OGC edits), so caches (tiles) can invalidate."""
from django.dispatch import Signal

# Sent with keyword `model` (the GeoDjango model class whose rows changed) and optional `bbox`
# (minx, miny, maxx, maxy in EPSG:4326) of the change, or None when the whole layer may have changed.
layer_data_changed = Signal()
