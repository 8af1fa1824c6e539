"""The declared sector scenarios (Plan 116/KH-UBND), grouped by the part of the province they watch, and the
lookups over them. The declaration modules import scenarios.specs (the record types) and register themselves
when this package is imported; scenarios.specs imports nothing from here, so there is no cycle."""

from __future__ import annotations

from scenarios.sectors import (  # noqa: F401  (they register)
    economy_and_services,
    infrastructure_and_safety,
    public_safety,  # issue 15 sectors
    resources_and_services,  # issue 15 sectors
    socio_economic,  # issue 14
)
from scenarios.specs import SCENARIOS, ScenarioSpec


def get(scenario_id: str) -> ScenarioSpec | None:
    """The declared scenario of that id, or None."""
    return SCENARIOS.get(scenario_id)


def all_specs() -> list[ScenarioSpec]:
    """Every declared scenario in declaration order."""
    return list(SCENARIOS.values())
