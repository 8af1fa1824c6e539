"""GeoDjango models of every stored layer, one module per data group."""

from geodata.models.admin import Commune, District2024, Province
from geodata.models.economy import ConstructionSite, Enterprise, Incident, IndustrialPark, OcopProduct, TourismSite
from geodata.models.indicators import (
    Indicator,
    IndicatorRevision,
    IndicatorTarget,
    IndicatorValue,
    PeriodLock,
)
from geodata.models.infrastructure import (
    Bridge,
    Drainage,
    HealthFacility,
    PowerLine,
    PowerStation,
    Railway,
    Road,
    School,
    StreetLight,
    Tree,
    WaterSupply,
    Waterway,
)
from geodata.models.iot import Camera, Sensor, SensorObservation
from geodata.models.land import House, LandParcel, LandUseChange, PlanningZone
from geodata.models.operations import (
    FirePremises,
    FireStation,
    MiningActivity,
    MiningLicence,
    RescueResource,
    RoadSegment,
    Shelter,
)
from geodata.models.rasters import RasterLayer
from geodata.models.socio_economic import AssignedTask, KeyProject

__all__ = [
    "Province",
    "District2024",
    "Commune",
    "PlanningZone",
    "LandParcel",
    "LandUseChange",
    "House",
    "Road",
    "Waterway",
    "Railway",
    "Bridge",
    "PowerLine",
    "PowerStation",
    "School",
    "HealthFacility",
    "WaterSupply",
    "Drainage",
    "Tree",
    "StreetLight",
    "Camera",
    "Sensor",
    "SensorObservation",
    "IndustrialPark",
    "Enterprise",
    "TourismSite",
    "OcopProduct",
    "ConstructionSite",
    "Incident",
    "Indicator",
    "IndicatorValue",
    "IndicatorTarget",
    "IndicatorRevision",
    "PeriodLock",
    "KeyProject",
    "AssignedTask",
    "RasterLayer",
    "RoadSegment",
    "MiningLicence",
    "MiningActivity",
    "Shelter",
    "RescueResource",
    "FireStation",
    "FirePremises",
]
