"""The 12 sector scenarios of Plan 116/KH-UBND, declared (not coded): relations come from the layer registry."""

from __future__ import annotations

from geodata.vocabularies import HOUSE_STATUS
from layers.registry import registry
from scenarios.specs import (
    Aggregate,
    AlertRule,
    Clusters,
    Derived,
    Exceedance,
    Overlay,
    Param,
    Proximity,
    RasterThreshold,
    ScenarioSpec,
    Select,
    register,
)
from scenarios.sqlparts import Filter as F

DAYS = Param("days", 365, "Số ngày gần nhất", "Last N days", 1, 3650)
HOURS = Param("hours", 168, "Cửa sổ quan trắc (giờ)", "Observation window (hours)", 1, 24 * 366)
UNTIL = Param("until", "", "Đến thời điểm (ISO 8601, mặc định: hiện tại)", "Window end (ISO 8601, default now)")
RECENT = F("occurred_at", "gte", "$since")
# Active epidemic cases (not resolved) that occurred inside the outbreak window ending at `until` (or now)
ACTIVE_CASES = (
    F("kind", "eq", "epidemic"),
    F("status", "ne", "resolved"),
    F("occurred_at", "gte", "$cluster_since"),
    F("occurred_at", "lte", "$until_at"),
)
HOTSPOT = (F("violations", "gt", 0),)

TRANSPORT = ScenarioSpec(
    id="transport_assets",
    title="Tài sản kết cấu hạ tầng giao thông",
    title_en="Transport infrastructure assets",
    sector="construction",
    description="Roads, bridges, railways and waterways by asset type, commune and route.",
    steps=(
        Aggregate(
            "roads_by_class",
            "Đường theo cấp",
            "Roads by class",
            select=Select("roads"),
            group_by="road_class",
            sums=("clipped_length_m",),
            share=(F("condition", "in", ["poor", "bad"]),),
        ),
        Aggregate(
            "roads_by_route",
            "Đường theo tuyến",
            "Roads by route",
            select=Select("roads", (F("route_no", "nonempty", None),)),
            group_by="route_no",
            sums=("clipped_length_m",),
        ),
        Aggregate(
            "roads_by_commune",
            "Đường theo xã/phường",
            "Roads by commune",
            select=Select("roads"),
            group_by="commune",
            sums=("clipped_length_m",),
        ),
        Aggregate(
            "bridges_by_condition",
            "Cầu theo tình trạng",
            "Bridges by condition",
            select=Select("bridges"),
            group_by="condition",
            on_map=True,
        ),
        Aggregate(
            "bridges_by_commune",
            "Cầu theo xã/phường",
            "Bridges by commune",
            select=Select("bridges"),
            group_by="commune",
        ),
        Aggregate(
            "railways",
            "Đường sắt",
            "Railways",
            select=Select("railways"),
            group_by="status",
            sums=("clipped_length_m",),
        ),
        Aggregate(
            "waterways",
            "Đường thủy",
            "Waterways",
            select=Select("waterways"),
            group_by="kind",
            sums=("clipped_length_m",),
        ),
    ),
    alerts=(
        AlertRule(
            "bridges_by_condition",
            "count",
            "gt",
            0,
            "high",
            message="{value} cầu tình trạng {label_lower}",
            message_en="{value} bridges in {label_en} condition",
            keys=("poor", "bad"),
        ),
        AlertRule(
            "roads_by_class",
            "share_pct",
            "gt",
            "$max_poor_pct",
            "medium",
            high_at=40,
            message="Đường {label_lower}: {value}% chiều dài xuống cấp",
            message_en="{label_en} roads: {value}% poor or bad",
        ),
    ),
    params=(Param("max_poor_pct", 25.0, "Ngưỡng % đường xuống cấp", "Alert above this % of poor roads", 0, 100),),
    indicators=("AN_TNGT",),
    schedule_minutes=24 * 60,
    style={
        "bridges_by_condition": {
            "by": "condition",
            "colors": {"good": "#1a9850", "fair": "#fee08b", "poor": "#fc8d59", "bad": "#d73027"},
        }
    },
)

LAND = ScenarioSpec(
    id="land_management",
    title="Quản lý đất đai",
    title_en="Land management",
    sector="agriculture_environment",
    description="Land-use changes; unpermitted changes into zones planned for another use (encroachment); late land dossiers.",
    steps=(
        Aggregate(
            "changes_by_use",
            "Biến động theo mục đích mới",
            "Changes by new use",
            select=Select("land_use_changes"),
            group_by="to_code",
            sums=("clipped_area_m2",),
            share=(F("permitted", "eq", False),),
        ),
        Aggregate(
            "unpermitted_by_commune",
            "Chuyển mục đích không phép theo xã",
            "Unpermitted changes by commune",
            select=Select("land_use_changes", (F("permitted", "eq", False),)),
            group_by="commune",
            sums=("clipped_area_m2",),
            on_map=True,
        ),
        Overlay(
            "encroachment",
            "Lấn chiếm, sai quy hoạch",
            "Encroachment on planning zones",
            source=Select("land_use_changes", (F("permitted", "eq", False),)),
            target=Select("planning_zones"),
            differ=("to_code", "land_use_code"),
            min_overlap_m2="$min_overlap_m2",
            on_map=True,
        ),
    ),
    alerts=(
        AlertRule(
            "encroachment",
            "overlap_m2",
            "gte",
            "$min_overlap_m2",
            "medium",
            high_at=1000,
            message="Biến động {label} sai quy hoạch: {value} m²",
            message_en="{label} conflicts with the plan: {value} m²",
        ),
        AlertRule(
            "unpermitted_by_commune",
            "count",
            "gte",
            "$max_unpermitted",
            "medium",
            message="{label}: {value} trường hợp chuyển mục đích không phép",
            message_en="{label}: {value} unpermitted land-use changes",
        ),
    ),
    params=(
        Param("min_overlap_m2", 50.0, "Diện tích chồng lấn tối thiểu (m²)", "Minimum overlap (m²)", 0, 1e6),
        Param(
            "max_unpermitted", 5, "Ngưỡng số trường hợp không phép", "Alert from this many unpermitted changes", 1, 1e6
        ),
    ),
    indicators=("DD_HS_TRE_HAN",),
    schedule_minutes=24 * 60,
    style={"encroachment": {"color": "#d73027"}, "unpermitted_by_commune": {"color": "#fc8d59"}},
)

CONSTRUCTION = ScenarioSpec(
    id="construction_hotspots",
    title="Điểm nóng trật tự xây dựng",
    title_en="Construction order hot spots",
    sector="construction",
    description="Construction violations per km², by commune and permit status.",
    steps=(
        Aggregate(
            "violations_by_commune",
            "Vi phạm theo xã/phường",
            "Violations by commune",
            select=Select("construction_sites", HOTSPOT),
            group_by="commune",
            sums=("violations",),
            density="km2",
            on_map=True,
        ),
        Aggregate(
            "sites_by_status",
            "Công trình theo tình trạng phép",
            "Sites by permit status",
            select=Select("construction_sites"),
            group_by="status",
            sums=("violations",),
        ),
    ),
    alerts=(
        AlertRule(
            "violations_by_commune",
            "per_km2",
            "gt",
            "$max_per_km2",
            "medium",
            high_at="$high_per_km2",
            message="{label}: {value} công trình vi phạm/km²",
            message_en="{label}: {value} violating sites per km²",
        ),
    ),
    params=(
        Param(
            "max_per_km2", 0.5, "Ngưỡng điểm nóng (công trình vi phạm/km²)", "Hot spot above (sites per km²)", 0, 1e4
        ),
        Param("high_per_km2", 2.0, "Ngưỡng nghiêm trọng", "High severity from", 0, 1e4),
    ),
    indicators=(),  # no indicator of the set (456/QĐ-UBND) measures construction order
    schedule_minutes=24 * 60,
    style={"violations_by_commune": {"by": "status", "colors": {"unpermitted": "#d73027"}}},
)

INDUSTRIAL = ScenarioSpec(
    id="industrial_environment",
    title="Môi trường khu công nghiệp",
    title_en="Industrial-park environment",
    sector="industry_trade",
    description="Sensor readings over their legal limit, logged automatically per park.",
    steps=(
        Exceedance(
            "violations",
            "Vượt ngưỡng quan trắc",
            "Readings over threshold",
            select=Select("sensors", (F("kind", "in", ["air_quality", "water_quality"]),)),
            hours="$hours",
            group_layer="industrial_parks",
            group_within_m=2000,
            log=True,
            fresh_hours=6,
            on_map=True,
        ),
        Aggregate(
            "parks",
            "Khu công nghiệp",
            "Industrial parks",
            select=Select("industrial_parks"),
            sums=("area_ha",),
            on_map=True,
        ),
    ),
    alerts=(
        AlertRule(
            "violations",
            "exceed_pct",
            "gt",
            0,
            "medium",
            high_at=50,
            message="{label}: vượt ngưỡng {value}%",
            message_en="{label}: {value}% over the limit",
        ),
    ),
    params=(HOURS, UNTIL),
    indicators=("MT_NGAY_KK_TOT",),
    schedule_minutes=60,
    style={"violations": {"color": "#d73027"}, "parks": {"color": "#7570b3"}},
)

FLOOD = ScenarioSpec(
    id="flood_water_level",
    title="Ngập lụt và mực nước",
    title_en="Flood and water level",
    sector="agriculture_environment",
    description="Water-level sensors over alarm levels; houses and people where the flood depth, following each "
    "station's current level band, exceeds 0.5 m.",
    steps=(
        Exceedance(
            "sensors_over_alarm",
            "Trạm vượt mức báo động",
            "Sensors over alarm level",
            select=Select("sensors", (F("kind", "eq", "water_level"),)),
            hours="$hours",
            latest_only=True,
            fresh_hours=3,
            on_map=True,
        ),
        RasterThreshold(
            "flooded_houses",
            "Nhà ở bị ngập sâu",
            "Houses under deep water",
            select=Select("houses"),
            raster="flood_depth",
            min_value="$min_depth_m",
            sums=("members",),
            stations=Select("sensors", (F("kind", "eq", "water_level"),)),
            bands=((0.0, "flood_depth_b1"), (0.5, "flood_depth_b2"), (1.0, "flood_depth")),
            fresh_hours=3,
            on_map=True,
        ),
    ),
    alerts=(
        AlertRule(
            "sensors_over_alarm",
            "value",
            "gt",
            0,
            "high",
            message="{label}: mực nước {value} vượt báo động",
            message_en="{label}: level {value} over the alarm level",
        ),
        AlertRule(
            "flooded_houses",
            "members",
            "gt",
            0,
            "medium",
            high_at=100,
            message="{label}: {value} người trong vùng ngập sâu",
            message_en="{label}: {value} people in deep water",
        ),
    ),
    params=(HOURS, UNTIL, Param("min_depth_m", 0.5, "Độ sâu ngập (m)", "Flood depth (m)", 0, 20)),
    schedule_minutes=30,
    style={"sensors_over_alarm": {"color": "#2166ac"}, "flooded_houses": {"color": "#67a9cf"}},
)

FIRE_STEPS = (
    Aggregate(
        "fires",
        "Vụ cháy",
        "Fires",
        select=Select("incidents", (F("kind", "eq", "fire"), RECENT)),
        group_by="commune",
        on_map=True,
    ),
    Proximity(
        "water_points",
        "Nguồn nước chữa cháy gần nhất",
        "Nearest water points",
        source=Select("incidents", (F("kind", "eq", "fire"), RECENT)),
        target=Select("water_supply", (F("kind", "eq", "main"),)),
        radius_m="$water_radius_m",
    ),
    Proximity(
        "responders",
        "Cơ sở y tế gần nhất",
        "Nearest health facilities",
        source=Select("incidents", (F("kind", "eq", "fire"), RECENT)),
        target=Select("health_facilities"),
        radius_m="$station_radius_m",
    ),
)
if "fire_stations" in registry:  # a fire-station layer, when one is declared, gives the nearest station
    FIRE_STEPS += (
        Proximity(
            "stations",
            "Trạm PCCC gần nhất",
            "Nearest fire stations",
            source=Select("incidents", (F("kind", "eq", "fire"), RECENT)),
            target=Select("fire_stations"),
            radius_m="$station_radius_m",
        ),
    )

FIRE = ScenarioSpec(
    id="fire",
    title="Phòng cháy, chữa cháy",
    title_en="Fire",
    sector="public_security",
    description="Fire incidents, the nearest water points (mains) and responders.",
    steps=FIRE_STEPS,
    alerts=(
        AlertRule(
            "water_points",
            "within",
            "eq",
            0,
            "high",
            message="{label} tại {commune_name} ({commune}): không có nguồn nước chữa cháy trong bán kính",
            message_en="Fire {at} in {commune_name} ({commune}): no water point within the radius",
        ),
    ),
    params=(
        DAYS,
        Param("water_radius_m", 150, "Bán kính nguồn nước (m)", "Water point radius (m)", 1, 5000),
        Param("station_radius_m", 5000, "Bán kính lực lượng ứng cứu (m)", "Responder radius (m)", 1, 50_000),
    ),
    style={"fires": {"color": "#e31a1c"}},
)

EPIDEMIC = ScenarioSpec(
    id="epidemic",
    title="Dịch bệnh",
    title_en="Epidemic",
    sector="health",
    description="Case clusters, outbreak zones within a radius and health facilities nearby.",
    steps=(
        Aggregate(
            "cases_by_commune",
            "Ca bệnh theo xã/phường",
            "Cases by commune",
            select=Select("incidents", (F("kind", "eq", "epidemic"), RECENT)),
            group_by="commune",
            sums=("cases",),
            on_map=True,
        ),
        Clusters(
            "outbreaks",
            "Ổ dịch (ca đang điều trị)",
            "Outbreak clusters (active cases)",
            select=Select("incidents", ACTIVE_CASES),
            weight="cases",
            eps_m="$cluster_m",
            min_points="$min_points",
            zone_radius_m="$zone_radius_m",
            resources=Select("health_facilities"),
            on_map=True,
        ),
    ),
    alerts=(
        AlertRule(
            "outbreaks",
            "weight",
            "gte",
            "$outbreak_cases",
            "high",
            message="Ổ dịch {label} tại {commune_name} ({commune}): {value} ca đang điều trị",
            message_en="Outbreak {label} in {commune_name} ({commune}): {value} active cases",
        ),
    ),
    params=(
        DAYS,
        UNTIL,
        Param("cluster_days", 14, "Cửa sổ thời gian ổ dịch (ngày)", "Outbreak time window (days)", 1, 365),
        Param("cluster_m", 500, "Khoảng cách cụm (m)", "Cluster distance (m)", 10, 10_000),
        Param("min_points", 3, "Số điểm tối thiểu mỗi cụm", "Minimum reports per cluster", 2, 1000),
        Param("zone_radius_m", 1000, "Bán kính vùng dịch (m)", "Outbreak zone radius (m)", 10, 20_000),
        Param("outbreak_cases", 10, "Ngưỡng ổ dịch (ca)", "Outbreak from (cases)", 1, 1e6),
    ),
    indicators=("YT_BHYT",),
    schedule_minutes=6 * 60,
    style={"outbreaks": {"color": "#d73027"}, "cases_by_commune": {"color": "#fc8d59"}},
)

WELFARE = ScenarioSpec(
    id="social_welfare",
    title="An sinh xã hội",
    title_en="Social welfare",
    sector="home_affairs",
    description="Temporary and poor houses per commune; the cost of replacing temporary houses.",
    steps=(
        Aggregate(
            "houses_by_status",
            "Hộ theo tình trạng",
            "Households by status",
            select=Select("houses"),
            group_by="status",
            sums=("members",),
        ),
        Aggregate(
            "temporary_by_commune",
            "Nhà tạm theo xã/phường",
            "Temporary houses by commune",
            select=Select("houses", (F("status", "eq", HOUSE_STATUS.TEMPORARY_HOUSE),)),
            group_by="commune",
            sums=("members",),
            on_map=True,
        ),
        Aggregate(
            "poor_by_commune",
            "Hộ nghèo, cận nghèo theo xã/phường",
            "Poor and near-poor households by commune",
            select=Select("houses", (F("status", "in", [HOUSE_STATUS.POOR, HOUSE_STATUS.NEAR_POOR]),)),
            group_by="commune",
            sums=("members",),
        ),
        Derived(
            "replacement_cost",
            "Kinh phí xóa nhà tạm",
            "Cost to replace temporary houses",
            of="temporary_by_commune",
            metric="count",
            factor="$unit_cost_vnd",
            unit="VND",
        ),
    ),
    alerts=(
        AlertRule(
            "temporary_by_commune",
            "count",
            "gte",
            "$max_temporary",
            "medium",
            message="{label}: {value} nhà tạm",
            message_en="{label}: {value} temporary houses",
        ),
    ),
    params=(
        Param("unit_cost_vnd", 60_000_000, "Đơn giá xóa nhà tạm (đồng/căn)", "Unit cost per house (VND)", 0, 1e11),
        Param("max_temporary", 20, "Ngưỡng số nhà tạm", "Alert from this many temporary houses", 1, 1e6),
    ),
    indicators=("XH_HO_NGHEO",),
    schedule_minutes=24 * 60,
    style={"temporary_by_commune": {"color": "#984ea3"}},
)

register(TRANSPORT, LAND, CONSTRUCTION, INDUSTRIAL, FLOOD, FIRE, EPIDEMIC, WELFARE)
