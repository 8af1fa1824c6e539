"""The remaining sector scenarios: tourism and festivals, street lighting, OCOP, camera coverage."""

from __future__ import annotations

from scenarios.sectors.infrastructure_and_safety import DAYS, HOTSPOT, RECENT
from scenarios.specs import Aggregate, AlertRule, FeatureRatio, Param, Proximity, ScenarioSpec, Select, register
from scenarios.sqlparts import Filter as F

VENUES = (F("kind", "in", ["attraction", "festival"]),)

TOURISM = ScenarioSpec(
    id="tourism_festivals",
    title="Du lịch, lễ hội",
    title_en="Tourism and festivals",
    sector="culture_tourism",
    description="Sites, visitor load against capacity, lodging, and security, medical and toilet points nearby.",
    steps=(
        Aggregate(
            "sites_by_kind",
            "Điểm theo loại",
            "Sites by kind",
            select=Select("tourism_sites"),
            group_by="kind",
            sums=("capacity", "visitors_today"),
        ),
        FeatureRatio(
            "visitor_load",
            "Tải lượng khách",
            "Visitor load",
            select=Select("tourism_sites", VENUES),
            numerator="visitors_today",
            denominator="capacity",
            fresh_hours=36,  # visitor counts are daily
            on_map=True,
        ),
        Aggregate(
            "lodging",
            "Cơ sở lưu trú",
            "Lodging",
            select=Select("tourism_sites", (F("kind", "eq", "lodging"),)),
            group_by="commune",
            sums=("capacity", "visitors_today"),
            ratio=("visitors_today", "capacity"),
            fresh_hours=36,
        ),
        Proximity(
            "services",
            "Điểm an ninh, y tế, vệ sinh lân cận",
            "Security, medical and toilet points nearby",
            source=Select("tourism_sites", VENUES),
            target=Select("tourism_sites", (F("kind", "in", ["security", "medical", "toilet"]),)),
            radius_m="$service_radius_m",
            target_group_by="kind",
        ),
    ),
    alerts=(
        AlertRule(
            "visitor_load",
            "ratio",
            "gt",
            "$max_load",
            "medium",
            high_at=1.0,
            message="{label}: tải {value} so với sức chứa",
            message_en="{label}: load {value} of capacity",
        ),
        AlertRule(
            "lodging",
            "ratio",
            "gt",
            1.0,
            "high",
            message="{label}: quá tải lưu trú, {visitors_today} khách / {capacity} giường",
            message_en="{label}: lodging overloaded, {visitors_today} guests for {capacity} beds",
        ),
        AlertRule(
            "services",
            "within",
            "eq",
            0,
            "medium",
            message="{label}: không có điểm an ninh/y tế/vệ sinh gần",
            message_en="{label}: no security, medical or toilet point nearby",
        ),
    ),
    params=(
        Param("max_load", 0.9, "Ngưỡng tải (khách/sức chứa)", "Load alert above (visitors/capacity)", 0, 100),
        Param("service_radius_m", 500, "Bán kính dịch vụ (m)", "Service radius (m)", 10, 10_000),
    ),
    schedule_minutes=60,
    style={"visitor_load": {"by": "ratio", "color": "#ff7f00"}},
)

LIGHTING = ScenarioSpec(
    id="street_lighting",
    title="Chiếu sáng thông minh",
    title_en="Smart street lighting",
    sector="construction",
    description="Lights per road km, status and faults, energy use.",
    steps=(
        Aggregate(
            "lights_by_commune",
            "Đèn theo xã/phường",
            "Lights by commune",
            select=Select("street_lights"),
            group_by="commune",
            sums=("kwh_month", "wattage_w"),
            density="road_km",
            share=(F("status", "eq", "fault"),),
        ),
        Aggregate(
            "lights_by_status",
            "Đèn theo trạng thái",
            "Lights by status",
            select=Select("street_lights"),
            group_by="status",
            sums=("kwh_month",),
        ),
        Aggregate(
            "faults",
            "Đèn hỏng",
            "Faulty lights",
            select=Select("street_lights", (F("status", "eq", "fault"),)),
            group_by="lamp_type",
            on_map=True,
        ),
    ),
    alerts=(
        AlertRule(
            "lights_by_commune",
            "share_pct",
            "gt",
            "$max_fault_pct",
            "medium",
            high_at=20,
            message="{label}: {value}% đèn hỏng",
            message_en="{label}: {value}% of lights faulty",
        ),
    ),
    params=(Param("max_fault_pct", 5.0, "Ngưỡng % đèn hỏng", "Alert above this % of faulty lights", 0, 100),),
    schedule_minutes=60,
    style={"faults": {"color": "#e31a1c"}},
)

OCOP = ScenarioSpec(
    id="ocop_products",
    title="Sản phẩm OCOP",
    title_en="OCOP products",
    sector="agriculture_environment",
    description="OCOP products by category, star rating and commune.",
    steps=(
        Aggregate(
            "by_category",
            "Theo nhóm sản phẩm",
            "By category",
            select=Select("ocop_products"),
            group_by="category",
            on_map=True,
        ),
        Aggregate("by_stars", "Theo số sao", "By stars", select=Select("ocop_products"), group_by="stars"),
        Aggregate(
            "by_commune",
            "Theo xã/phường",
            "By commune",
            select=Select("ocop_products"),
            group_by="commune",
            share=(F("stars", "gte", 4),),
        ),
    ),
    alerts=(
        AlertRule(
            "by_commune",
            "count",
            "lt",
            "$min_products",
            "low",
            message="{label}: chỉ {value} sản phẩm OCOP",
            message_en="{label}: only {value} OCOP products",
        ),
    ),
    params=(Param("min_products", 2, "Số sản phẩm tối thiểu mỗi xã", "Minimum products per commune", 0, 1000),),
    schedule_minutes=7 * 24 * 60,
    style={"by_category": {"by": "category"}},
)

CAMERAS = ScenarioSpec(
    id="camera_coverage",
    title="Độ phủ camera",
    title_en="Camera coverage",
    sector="science_technology",
    description="Which incidents and construction hot spots have a live camera within 200 m.",
    steps=(
        Proximity(
            "incidents_covered",
            "Sự cố có camera hoạt động gần",
            "Incidents with a live camera nearby",
            source=Select("incidents", (RECENT,)),
            target=Select("cameras", (F("status", "eq", "live"),)),
            radius_m="$camera_radius_m",
            on_map=True,
        ),
        Proximity(
            "hotspots_covered",
            "Điểm nóng xây dựng có camera",
            "Construction hot spots with a live camera",
            source=Select("construction_sites", HOTSPOT),
            target=Select("cameras", (F("status", "eq", "live"),)),
            radius_m="$camera_radius_m",
            on_map=True,
        ),
        Aggregate(
            "cameras_by_status",
            "Camera theo trạng thái",
            "Cameras by status",
            select=Select("cameras"),
            group_by="status",
        ),
    ),
    alerts=(
        AlertRule(
            "incidents_covered",
            "coverage_pct",
            "lt",
            "$min_coverage_pct",
            "medium",
            high_at=10,
            on="totals",
            message="Chỉ {value}% sự cố có camera trong bán kính",
            message_en="Only {value}% of incidents covered",
        ),
        AlertRule(
            "hotspots_covered",
            "coverage_pct",
            "lt",
            "$min_coverage_pct",
            "medium",
            high_at=10,
            on="totals",
            message="Chỉ {value}% điểm nóng có camera",
            message_en="Only {value}% of hot spots covered",
        ),
    ),
    params=(
        DAYS,
        Param("camera_radius_m", 200, "Bán kính camera (m)", "Camera radius (m)", 1, 5000),
        Param("min_coverage_pct", 50.0, "Tỷ lệ phủ tối thiểu (%)", "Minimum coverage (%)", 0, 100),
    ),
    schedule_minutes=60,
    style={
        "incidents_covered": {"by": "covered", "colors": {"true": "#1a9850", "false": "#d73027"}},
        "hotspots_covered": {"by": "covered", "colors": {"true": "#1a9850", "false": "#d73027"}},
    },
)

register(TOURISM, LIGHTING, OCOP, CAMERAS)
