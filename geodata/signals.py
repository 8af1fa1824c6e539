"""Signals sent when stored layer data changes (imports, OGC edits) or is exported, for whoever listens.

Caches do not depend on them: the tile cache and the feature counts are keyed by table versions that statement
triggers bump on every write (layers/versioning.py), whoever makes it."""

from django.dispatch import Signal

# Sent with keyword `model` (the GeoDjango model class whose rows changed) and optional `bbox`
# (minx, miny, maxx, maxy in EPSG:4326) of the change, or None when the whole layer may have changed.
layer_data_changed = Signal()

# Sent by geodata_export after a layer was written to a file, with keywords `layer_id`, `count` (features
# written), `format` and `output`; the project's audit records bulk exports of personal data from it.
layer_exported = Signal()
