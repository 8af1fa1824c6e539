"""The seeded synthetic sample-data generator (every row it writes is marked synthetic)."""
from __future__ import annotations


def generate_all(scale: float, seed: int, out) -> None:
    """Generate every synthetic sector layer inside the real province (filled in by the layers issue)."""
    out.write("synthetic layers: none yet")
