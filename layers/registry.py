"""The one layer registry (re-exported from geodata.registry, where the importer can read it too)."""

from __future__ import annotations

from geodata.attributes import Attribute
from geodata.registry import GROUPS, LayerSpec, Registry, registry

__all__ = ["GROUPS", "Attribute", "LayerSpec", "Registry", "registry"]
