"""Sector scenarios issue 15 found missing, public safety side: traffic congestion, traffic safety (black
spots), civil defence and rescue, fire coverage, urban order with cameras and citizen reports. Declared, not
coded: relations come from the layer registry; the step kinds Load, Snapped and Reach are in scenarios.specs."""

from __future__ import annotations

from scenarios.specs import Aggregate, AlertRule, Clusters, Load, Param, Reach, ScenarioSpec, Select, Snapped, register
from scenarios.sqlparts import Filter as F

DAYS = Param("days", 365, "Số ngày gần nhất", "Last N days", 1, 3650)
REPORT_DAYS = Param("days", 30, "Số ngày gần nhất", "Last N days", 1, 3650)
REPORTED = F("requested_at", "gte", "$since")
OCCURRED = F("occurred_at", "gte", "$since")
ACCIDENTS = Select("incidents", (F("kind", "eq", "traffic_accident"), OCCURRED))
RESCUES = Select("incidents", (F("kind", "in", ["rescue", "flood"]), OCCURRED))
CONGESTION_REPORTS = Select("field_reports", (F("service_code", "eq", "traffic_congestion"), REPORTED))
ORDER_CODES = ["urban_order", "illegal_construction", "security_order"]
ORDER_REPORTS = Select("field_reports", (F("service_code", "in", ORDER_CODES), REPORTED))
LIVE_CAMERAS = Select("cameras", (F("status", "eq", "live"),))

TRAFFIC_CONGESTION = ScenarioSpec(
    id="traffic_congestion",
    title="Ùn tắc giao thông",
    title_en="Traffic congestion",
    sector="construction",
    description="Heat map of congestion: measured speed against free-flow speed per road segment and commune, "
    "and citizens' congestion reports per road km.",
    steps=(
        Load(
            "slow_segments",
            "Đoạn đường ùn tắc",
            "Congested road segments",
            select=Select("road_segments"),
            numerator="speed_kmh",
            denominators=("free_flow_kmh",),
            metrics=("speed_index",),
            only=("speed_index", "lt", "$max_speed_index"),
            on_map=True,
        ),
        Load(
            "speed_by_commune",
            "Chỉ số tốc độ theo xã/phường",
            "Speed index by commune",
            select=Select("road_segments"),
            numerator="speed_kmh",
            denominators=("free_flow_kmh",),
            metrics=("speed_index",),
            group_by="commune",
        ),
        Aggregate(
            "congestion_reports",
            "Phản ánh ùn tắc theo xã/phường",
            "Congestion reports by commune",
            select=CONGESTION_REPORTS,
            group_by="commune",
            density="km2",
            on_map=True,
        ),
    ),
    alerts=(
        AlertRule(
            "slow_segments",
            "speed_index",
            "lt",
            "$max_speed_index",
            "medium",
            high_at=0.25,
            message="Ùn tắc {label}: tốc độ chỉ bằng {value} tốc độ thông thoáng",
            message_en="Congestion on {label}: speed at {value} of free flow",
        ),
        AlertRule(
            "speed_by_commune",
            "speed_index",
            "lt",
            "$min_commune_index",
            "medium",
            message="{label}: chỉ số tốc độ bình quân {value}, dưới mục tiêu",
            message_en="{label}: mean speed index {value}, under target",
        ),
        AlertRule(
            "congestion_reports",
            "count",
            "gte",
            "$max_reports",
            "medium",
            message="{label}: {value} phản ánh ùn tắc",
            message_en="{label}: {value} congestion reports",
        ),
    ),
    params=(
        REPORT_DAYS,
        Param("max_speed_index", 0.3, "Ngưỡng ùn tắc (tốc độ/tốc độ thông thoáng)", "Congested below", 0, 1),
        Param("min_commune_index", 0.7, "Mục tiêu chỉ số tốc độ xã/phường", "Commune target index", 0, 1),
        Param("max_reports", 3, "Ngưỡng số phản ánh ùn tắc", "Alert from this many reports", 1, 1e6),
    ),
    schedule_minutes=15,
    style={"slow_segments": {"by": "speed_index", "color": "#d73027"}, "congestion_reports": {"color": "#fc8d59"}},
)

TRAFFIC_SAFETY = ScenarioSpec(
    id="traffic_safety",
    title="An toàn giao thông: điểm đen tai nạn",
    title_en="Traffic safety: accident black spots",
    sector="public_security",
    description="Accidents joined to the nearest road segment; segments with repeated accidents in the period "
    "are black spots, with the count per month.",
    steps=(
        Snapped(
            "black_spots",
            "Điểm đen theo đoạn đường",
            "Black spots by road segment",
            source=ACCIDENTS,
            target=Select("road_segments"),
            within_m="$snap_m",
            period="month",
            min_count="$black_spot_accidents",
            on_map=True,
        ),
        Aggregate(
            "accidents_by_commune",
            "Tai nạn theo xã/phường",
            "Accidents by commune",
            select=ACCIDENTS,
            group_by="commune",
            share=(F("severity", "gte", 3),),
            on_map=True,
        ),
    ),
    alerts=(
        AlertRule(
            "black_spots",
            "count",
            "gte",
            "$black_spot_accidents",
            "high",
            message="Điểm đen {label}: {value} vụ tai nạn",
            message_en="Black spot {label}: {value} accidents",
        ),
        AlertRule(
            "accidents_by_commune",
            "share_pct",
            "gt",
            "$max_serious_pct",
            "medium",
            message="{label}: {value}% vụ tai nạn nghiêm trọng",
            message_en="{label}: {value}% of accidents serious",
        ),
    ),
    params=(
        DAYS,
        Param("snap_m", 50, "Khoảng cách gắn vào đoạn đường (m)", "Snap to a segment within (m)", 1, 500),
        Param("black_spot_accidents", 3, "Số vụ tạo điểm đen", "Accidents that make a black spot", 1, 1000),
        Param("max_serious_pct", 40.0, "Ngưỡng % tai nạn nghiêm trọng", "Serious accidents alert above (%)", 0, 100),
    ),
    indicators=("AN_TNGT",),
    schedule_minutes=24 * 60,
    style={"black_spots": {"color": "#bd0026"}, "accidents_by_commune": {"color": "#f77f00"}},
)

CIVIL_DEFENCE = ScenarioSpec(
    id="civil_defence",
    title="Phòng thủ dân sự, cứu hộ cứu nạn",
    title_en="Civil defence and rescue",
    sector="public_security",
    description="Rescue and flood incidents, shelter capacity and rescue resources by commune, and whether each "
    "incident has a shelter and a resource within reach.",
    steps=(
        Aggregate(
            "incidents_by_commune",
            "Vụ cứu hộ, ngập lụt theo xã/phường",
            "Rescue and flood incidents by commune",
            select=RESCUES,
            group_by="commune",
            on_map=True,
        ),
        Aggregate(
            "shelters_by_commune",
            "Sức chứa điểm sơ tán theo xã/phường",
            "Shelter capacity by commune",
            select=Select("shelters"),
            group_by="commune",
            sums=("capacity",),
            on_map=True,
        ),
        Load(
            "resources_by_kind",
            "Lực lượng, phương tiện theo loại",
            "Rescue resources by kind",
            select=Select("rescue_resources"),
            numerator="quantity",
            group_by="kind",
        ),
        Reach(
            "shelter_coverage",
            "Điểm sơ tán trong bán kính",
            "Shelters within reach",
            source=RESCUES,
            target=Select("shelters"),
            max_m="$shelter_radius_m",
            by_commune=True,
            label="Vụ cứu hộ",
        ),
        Reach(
            "resource_coverage",
            "Thời gian điều động phương tiện cứu hộ",
            "Time for a rescue resource to arrive",
            source=RESCUES,
            target=Select("rescue_resources", (F("kind", "in", ["boat", "vehicle"]),)),
            speed_kmh="$speed_kmh",
            detour=1.3,
            max_minutes="$max_minutes",
            by_commune=True,
            label="Vụ cứu hộ",
        ),
    ),
    alerts=(
        AlertRule(
            "shelter_coverage",
            "uncovered",
            "gt",
            0,
            "medium",
            high_at=5,
            message="{label}: {value} vụ cứu hộ, ngập lụt không có điểm sơ tán trong bán kính",
            message_en="{label}: {value} rescue or flood incidents with no shelter within the radius",
        ),
        AlertRule(
            "resource_coverage",
            "uncovered",
            "gt",
            0,
            "high",
            message="{label}: {value} vụ cứu hộ ngoài thời gian điều động phương tiện cho phép",
            message_en="{label}: {value} incidents beyond the allowed time for a boat or vehicle",
        ),
    ),
    params=(
        DAYS,
        Param("shelter_radius_m", 2000, "Bán kính điểm sơ tán (m)", "Shelter radius (m)", 10, 50_000),
        Param("speed_kmh", 30, "Tốc độ điều động (km/h)", "Dispatch speed (km/h)", 1, 200),
        Param("max_minutes", 20, "Thời gian điều động tối đa (phút)", "Maximum dispatch time (min)", 1, 600),
    ),
    schedule_minutes=6 * 60,
    style={"incidents_by_commune": {"color": "#6a4c93"}, "shelters_by_commune": {"color": "#009e73"}},
)

FIRE_COVERAGE = ScenarioSpec(
    id="fire_coverage",
    title="PCCC: trạm và cơ sở phải lắp báo cháy",
    title_en="Fire: stations and premises that must have alarms",
    sector="public_security",
    description="Premises required to have an automatic fire alarm, those without one, and the time from the "
    "nearest fire station against the target.",
    steps=(
        Aggregate(
            "stations_by_commune",
            "Trạm PCCC theo xã/phường",
            "Fire stations by commune",
            select=Select("fire_stations"),
            group_by="commune",
            sums=("vehicles", "staff"),
            on_map=True,
        ),
        Aggregate(
            "premises_by_commune",
            "Cơ sở phải lắp báo cháy theo xã/phường",
            "Premises required to have an alarm, by commune",
            select=Select("fire_premises"),
            group_by="commune",
            share=(F("alarm", "eq", "none"),),
        ),
        Aggregate(
            "without_alarm",
            "Cơ sở chưa lắp báo cháy",
            "Premises without an alarm",
            select=Select("fire_premises", (F("alarm", "eq", "none"),)),
            group_by="commune",
            on_map=True,
        ),
        Reach(
            "station_reach",
            "Thời gian tiếp cận từ trạm gần nhất",
            "Time from the nearest fire station",
            source=Select("fire_premises"),
            target=Select("fire_stations"),
            speed_kmh="$speed_kmh",
            detour=1.3,
            max_minutes="$max_minutes",
            by_commune=True,
            on_map=True,
        ),
    ),
    alerts=(
        AlertRule(
            "station_reach",
            "uncovered",
            "gt",
            0,
            "medium",
            high_at=20,
            message="{label}: {value} cơ sở ngoài thời gian tiếp cận mục tiêu từ trạm PCCC",
            message_en="{label}: {value} premises beyond the target time from a fire station",
        ),
        AlertRule(
            "premises_by_commune",
            "share_pct",
            "gt",
            "$max_no_alarm_pct",
            "medium",
            high_at=40,
            message="{label}: {value}% cơ sở chưa lắp báo cháy tự động",
            message_en="{label}: {value}% of premises have no automatic alarm",
        ),
    ),
    params=(
        Param("speed_kmh", 40, "Tốc độ xe chữa cháy (km/h)", "Fire engine speed (km/h)", 1, 200),
        Param("max_minutes", 10, "Thời gian tiếp cận mục tiêu (phút)", "Target arrival time (min)", 1, 600),
        Param("max_no_alarm_pct", 10.0, "Ngưỡng % cơ sở chưa lắp báo cháy", "No-alarm alert above (%)", 0, 100),
    ),
    schedule_minutes=24 * 60,
    style={"without_alarm": {"color": "#d7191c"}, "station_reach": {"by": "covered"}},
)

URBAN_ORDER = ScenarioSpec(
    id="urban_order",
    title="Trật tự đô thị: camera và phản ánh",
    title_en="Urban order: cameras and citizen reports",
    sector="construction",
    description="Citizens' reports of encroachment, illegal building and public order by commune, hot spots, and "
    "whether a live camera watches each report's place.",
    steps=(
        Aggregate(
            "reports_by_commune",
            "Phản ánh trật tự đô thị theo xã/phường",
            "Urban-order reports by commune",
            select=ORDER_REPORTS,
            group_by="commune",
            density="km2",
            share=(F("overdue", "eq", True),),
            on_map=True,
        ),
        Aggregate(
            "reports_by_service",
            "Phản ánh theo lĩnh vực",
            "Reports by service",
            select=ORDER_REPORTS,
            group_by="service_name",
        ),
        Clusters(
            "hot_spots",
            "Điểm nóng phản ánh",
            "Report hot spots",
            select=ORDER_REPORTS,
            eps_m="$cluster_m",
            min_points=3,
            zone_radius_m="$camera_radius_m",
            resources=LIVE_CAMERAS,
            on_map=True,
        ),
        Reach(
            "camera_coverage",
            "Camera hoạt động gần điểm phản ánh",
            "Live cameras near the reports",
            source=ORDER_REPORTS,
            target=LIVE_CAMERAS,
            max_m="$camera_radius_m",
            by_commune=True,
        ),
    ),
    alerts=(
        AlertRule(
            "reports_by_commune",
            "count",
            "gte",
            "$max_reports",
            "medium",
            message="{label}: {value} phản ánh trật tự đô thị",
            message_en="{label}: {value} urban-order reports",
        ),
        AlertRule(
            "reports_by_commune",
            "share_pct",
            "gt",
            0,
            "high",
            message="{label}: {value}% phản ánh trật tự đô thị quá hạn xử lý",
            message_en="{label}: {value}% of urban-order reports overdue",
        ),
        AlertRule(
            "camera_coverage",
            "uncovered",
            "gt",
            0,
            "low",
            message="{label}: {value} điểm phản ánh không có camera hoạt động trong bán kính",
            message_en="{label}: {value} report places with no live camera within the radius",
        ),
    ),
    params=(
        REPORT_DAYS,
        Param("max_reports", 3, "Ngưỡng số phản ánh", "Alert from this many reports", 1, 1e6),
        Param("cluster_m", 300, "Khoảng cách cụm (m)", "Hot-spot distance (m)", 10, 10_000),
        Param("camera_radius_m", 300, "Bán kính camera (m)", "Camera radius (m)", 10, 5000),
    ),
    schedule_minutes=60,
    style={"reports_by_commune": {"color": "#e63946"}, "hot_spots": {"color": "#d73027"}},
)

register(TRAFFIC_CONGESTION, TRAFFIC_SAFETY, CIVIL_DEFENCE, FIRE_COVERAGE, URBAN_ORDER)
