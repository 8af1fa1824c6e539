"""Every closed value list of the stored layers, declared once: value, Vietnamese and English label, colour.

Models take `choices=` from here, styles and legends their colours, the catalogue and exports their labels.
Colours of lists that were styled before are kept; new lists use the Okabe-Ito and ColorBrewer palettes, which
stay apart for colour-blind readers and against the light base map.
"""

from __future__ import annotations

from geodata.attributes import Value, Vocabulary


def _v(vocabulary_id: str, *rows: tuple) -> Vocabulary:
    return Vocabulary(vocabulary_id, tuple(Value(*row) for row in rows))


# Administrative units
COMMUNE_KIND = _v(
    "commune_kind",
    ("phường", "Phường", "Ward", "#f1e3d3"),
    ("xã", "Xã", "Commune", "#eef4e6"),
)
GEOMETRY_SOURCE = _v(
    "geometry_source",
    ("derived", "Suy diễn gần đúng", "Derived (approximate)", "#e69f00"),
    ("official", "Chính thức", "Official", "#0072b2"),
)

# Planning, land, housing
PLAN_LEVEL = _v(
    "plan_level",
    ("master", "Quy hoạch chung", "Master plan", "#0072b2"),
    ("zoning", "Quy hoạch phân khu", "Zoning plan", "#009e73"),
    ("detailed", "Quy hoạch chi tiết", "Detailed plan", "#e69f00"),
)
LAND_USE = _v(
    "land_use",
    ("ODT", "Đất ở đô thị", "Urban residential", "#f6a5a5"),
    ("ONT", "Đất ở nông thôn", "Rural residential", "#f9c6a0"),
    ("TMD", "Thương mại, dịch vụ", "Commerce, services", "#e76f51"),
    ("SKK", "Khu công nghiệp", "Industrial park", "#b392ac"),
    ("SKC", "Cơ sở sản xuất", "Production", "#9d8189"),
    ("DGT", "Giao thông", "Transport", "#bcbcbc"),
    ("DGD", "Giáo dục", "Education", "#ffb4a2"),
    ("DYT", "Y tế", "Health", "#ff8fab"),
    ("CLN", "Cây lâu năm", "Perennial crops", "#95d5b2"),
    ("HNK", "Cây hằng năm", "Annual crops", "#d8f3dc"),
    ("LUC", "Chuyên trồng lúa", "Rice", "#fff3b0"),
    ("RSX", "Rừng sản xuất", "Production forest", "#52b788"),
    ("RPH", "Rừng phòng hộ", "Protection forest", "#2d6a4f"),
    ("NTS", "Nuôi trồng thủy sản", "Aquaculture", "#90e0ef"),
    ("CXD", "Công trình công cộng", "Public works", "#cdb4db"),
    ("TSC", "Trụ sở cơ quan", "Government offices", "#a98467"),
)
PERMITTED = _v(
    "permitted",
    (True, "Được phép", "Permitted", "#52b788"),
    (False, "Không phép", "Not permitted", "#e63946"),
)
HOUSE_STATUS = _v(
    "house_status",
    ("poor", "Hộ nghèo", "Poor", "#d7263d"),
    ("near_poor", "Cận nghèo", "Near-poor", "#f49d37"),
    ("temporary_house", "Nhà tạm", "Temporary house", "#7b2cbf"),
    ("normal", "Bình thường", "Normal", "#3f88c5"),
)

# Technical infrastructure
ROAD_CLASS = _v(
    "road_class",
    ("national", "Quốc lộ", "National", "#d62828"),
    ("provincial", "Tỉnh lộ", "Provincial", "#f77f00"),
    ("urban", "Đường đô thị", "Urban", "#6c757d"),
    ("commune", "Đường xã", "Commune", "#adb5bd"),
)
ROAD_SURFACE = _v(
    "road_surface",
    ("asphalt", "Bê tông nhựa", "Asphalt", "#495057"),
    ("concrete", "Bê tông xi măng", "Concrete", "#0072b2"),
    ("gravel", "Cấp phối, sỏi", "Gravel", "#e69f00"),
    ("earth", "Đường đất", "Earth", "#a6611a"),
)
CONDITION = _v(
    "condition",
    ("good", "Tốt", "Good", "#1a9641"),
    ("fair", "Trung bình", "Fair", "#a6d96a"),
    ("poor", "Kém", "Poor", "#fdae61"),
    ("bad", "Hư hỏng", "Bad", "#d7191c"),
)
WATERWAY_KIND = _v(
    "waterway_kind",
    ("river", "Sông", "River", "#1d70b8"),
    ("canal", "Kênh", "Canal", "#56b4e9"),
    ("stream", "Suối", "Stream", "#4ea8de"),
)
RAILWAY_STATUS = _v(
    "railway_status",
    ("operating", "Đang khai thác", "Operating", "#343a40"),
    ("construction", "Đang xây dựng", "Under construction", "#e69f00"),
    ("planned", "Quy hoạch", "Planned", "#999999"),
)
POWER_STATION_KIND = _v(
    "power_station_kind",
    ("substation", "Trạm biến áp", "Substation", "#9d4edd"),
    ("solar", "Điện mặt trời", "Solar", "#e69f00"),
    ("hydro", "Thủy điện", "Hydro", "#0072b2"),
    ("thermal", "Nhiệt điện", "Thermal", "#d55e00"),
)
SCHOOL_LEVEL = _v(
    "school_level",
    ("kindergarten", "Mầm non", "Kindergarten", "#cc79a7"),
    ("primary", "Tiểu học", "Primary", "#e69f00"),
    ("lower_secondary", "Trung học cơ sở", "Lower secondary", "#009e73"),
    ("upper_secondary", "Trung học phổ thông", "Upper secondary", "#0072b2"),
)
HEALTH_FACILITY_KIND = _v(
    "health_facility_kind",
    ("hospital", "Bệnh viện", "Hospital", "#d7191c"),
    ("health_station", "Trạm y tế", "Health station", "#0072b2"),
    ("clinic", "Phòng khám", "Clinic", "#009e73"),
)
WATER_SUPPLY_KIND = _v(
    "water_supply_kind",
    ("main", "Ống chính", "Main", "#005f73"),
    ("distribution", "Ống phân phối", "Distribution", "#0096c7"),
    ("hydrant", "Trụ cứu hỏa", "Hydrant", "#d55e00"),
)
DRAINAGE_KIND = _v(
    "drainage_kind",
    ("culvert", "Cống hộp", "Culvert", "#6c757d"),
    ("channel", "Mương", "Channel", "#56b4e9"),
    ("sewer", "Cống ngầm", "Sewer", "#495057"),
)
DRAINAGE_CONDITION = _v(
    "drainage_condition",
    ("good", "Tốt", "Good", "#1a9641"),
    ("fair", "Trung bình", "Fair", "#a6d96a"),
    ("clogged", "Tắc nghẽn", "Clogged", "#fdae61"),
    ("damaged", "Hư hỏng", "Damaged", "#d7191c"),
)
TREE_CONDITION = _v(
    "tree_condition",
    ("good", "Tốt", "Good", "#1a9641"),
    ("fair", "Trung bình", "Fair", "#a6d96a"),
    ("poor", "Kém", "Poor", "#fdae61"),
    ("dangerous", "Nguy hiểm", "Dangerous", "#d7191c"),
)
LIGHT_STATUS = _v(
    "light_status",
    ("on", "Đang sáng", "On", "#ffd23f"),
    ("off", "Tắt", "Off", "#8d99ae"),
    ("fault", "Sự cố", "Fault", "#e63946"),
)
LAMP_TYPE = _v(
    "lamp_type",
    ("led", "Đèn LED", "LED", "#0072b2"),
    ("sodium", "Đèn cao áp sodium", "Sodium", "#e69f00"),
)

# IoT
CAMERA_STATUS = _v(
    "camera_status",
    ("live", "Hoạt động", "Live", "#2a9d8f"),
    ("dead", "Mất tín hiệu", "Dead", "#495057"),
    ("unknown", "Chưa rõ", "Unknown", "#8d99ae"),
)
CAMERA_CODEC = _v(
    "camera_codec",
    ("H.264", "H.264", "H.264", "#0072b2"),
    ("H.265", "H.265 (cần chuyển mã)", "H.265 (needs transcoding)", "#e69f00"),
)
SENSOR_KIND = _v(
    "sensor_kind",
    ("water_level", "Mực nước", "Water level", "#0077b6"),
    ("air_quality", "Không khí", "Air quality", "#6c757d"),
    ("water_quality", "Chất lượng nước", "Water quality", "#00b4d8"),
)
SENSOR_PARAMETER = _v(
    "sensor_parameter",
    ("level_m", "Mực nước", "Water level", "#0077b6"),
    ("pm25", "Bụi mịn PM2.5", "PM2.5", "#6c757d"),
    ("cod", "Nhu cầu oxy hóa học (COD)", "Chemical oxygen demand (COD)", "#00b4d8"),
)

# Economy and society
ENTERPRISE_SECTOR = _v(
    "enterprise_sector",
    ("electronics", "Điện tử", "Electronics", "#4361ee"),
    ("textile_garment", "Dệt may", "Textiles and garments", "#cc79a7"),
    ("footwear", "Da giày", "Footwear", "#a6611a"),
    ("food_processing", "Chế biến thực phẩm", "Food processing", "#e69f00"),
    ("chemicals", "Hóa chất", "Chemicals", "#d55e00"),
    ("mechanical", "Cơ khí", "Mechanical engineering", "#495057"),
    ("wood_furniture", "Gỗ, nội thất", "Wood and furniture", "#8c510a"),
    ("plastics", "Nhựa", "Plastics", "#56b4e9"),
    ("logistics", "Logistics", "Logistics", "#009e73"),
    ("pharmaceuticals", "Dược phẩm", "Pharmaceuticals", "#7b2cbf"),
    ("trade", "Thương mại", "Trade", "#f77f00"),
    ("services", "Dịch vụ", "Services", "#0072b2"),
    ("construction", "Xây dựng", "Construction", "#6c757d"),
    ("transport", "Vận tải", "Transport", "#343a40"),
    ("real_estate", "Bất động sản", "Real estate", "#b392ac"),
    ("hospitality", "Lưu trú, ăn uống", "Hospitality", "#ef476f"),
    ("agriculture", "Nông nghiệp", "Agriculture", "#1a9641"),
    ("finance", "Tài chính, ngân hàng", "Finance", "#005f73"),
)
TOURISM_KIND = _v(
    "tourism_kind",
    ("attraction", "Điểm du lịch", "Attraction", "#06d6a0"),
    ("festival", "Lễ hội", "Festival", "#d55e00"),
    ("lodging", "Lưu trú", "Lodging", "#0072b2"),
    ("parking", "Bãi đỗ xe", "Parking", "#6c757d"),
    ("medical", "Điểm sơ cứu", "First aid", "#d7191c"),
    ("security", "Chốt an ninh", "Security post", "#343a40"),
    ("toilet", "Nhà vệ sinh công cộng", "Public toilet", "#56b4e9"),
)
OCOP_CATEGORY = _v(
    "ocop_category",
    ("food", "Thực phẩm", "Food", "#e69f00"),
    ("beverage", "Đồ uống", "Beverages", "#0072b2"),
    ("fresh_produce", "Nông sản tươi", "Fresh produce", "#009e73"),
    ("herbal", "Thảo dược", "Herbal products", "#cc79a7"),
)
OCOP_STARS = _v(
    "ocop_stars",
    (3, "3 sao", "3 stars", "#ffd166"),
    (4, "4 sao", "4 stars", "#f78c6b"),
    (5, "5 sao", "5 stars", "#ef476f"),
)
CONSTRUCTION_STATUS = _v(
    "construction_status",
    ("permitted", "Có phép", "Permitted", "#2a9d8f"),
    ("unpermitted", "Không phép", "Unpermitted", "#e63946"),
    ("suspended", "Đình chỉ", "Suspended", "#f4a261"),
    ("completed", "Hoàn thành", "Completed", "#8d99ae"),
)

# Emergency
INCIDENT_KIND = _v(
    "incident_kind",
    ("fire", "Cháy", "Fire", "#e63946"),
    ("flood", "Ngập lụt", "Flood", "#1d70b8"),
    ("traffic_accident", "Tai nạn giao thông", "Traffic accident", "#f77f00"),
    ("rescue", "Cứu hộ, cứu nạn", "Rescue", "#6a4c93"),
    ("epidemic", "Dịch bệnh", "Epidemic", "#2b9348"),
)
INCIDENT_STATUS = _v(
    "incident_status",
    ("reported", "Mới báo tin", "Reported", "#d7191c"),
    ("responding", "Đang ứng phó", "Responding", "#e69f00"),
    ("resolved", "Đã xử lý", "Resolved", "#1a9641"),
)
INCIDENT_SEVERITY = _v(
    "incident_severity",
    (1, "Nhẹ", "Minor", "#fecc5c"),
    (2, "Trung bình", "Moderate", "#fd8d3c"),
    (3, "Nghiêm trọng", "Serious", "#f03b20"),
    (4, "Rất nghiêm trọng", "Critical", "#bd0026"),
)

# Field reports (reports.models.Status is built from REPORT_STATUS)
REPORT_STATUS = _v(
    "report_status",
    ("received", "Đã tiếp nhận", "Received", "#e63946"),
    ("accepted", "Đã phân loại", "Accepted", "#f77f00"),
    ("assigned", "Đã giao xử lý", "Assigned", "#fcbf49"),
    ("in_progress", "Đang xử lý", "In progress", "#4895ef"),
    ("resolved", "Đã xử lý xong", "Resolved", "#2a9d8f"),
    ("closed", "Đã đóng", "Closed", "#8d99ae"),
    ("rejected", "Từ chối", "Rejected", "#adb5bd"),
    ("duplicate", "Trùng lặp", "Duplicate", "#ced4da"),
)
OPEN311_STATUS = _v(
    "open311_status",
    ("open", "Đang mở", "Open", "#e63946"),
    ("closed", "Đã đóng", "Closed", "#8d99ae"),
)

# Indicators of decision 456 and the socio-economic scenario (issue 14)
INDICATOR_GROUP = _v(
    "indicator_group",
    ("economy", "Kinh tế", "Economy", "#0072b2"),
    ("budget", "Ngân sách", "Budget", "#005f73"),
    ("investment", "Đầu tư", "Investment", "#e69f00"),
    ("trade", "Xuất nhập khẩu, doanh nghiệp", "Trade and enterprises", "#f77f00"),
    ("society", "Văn hóa, xã hội", "Society", "#cc79a7"),
    ("environment", "Môi trường", "Environment", "#009e73"),
    ("administration", "Cải cách hành chính", "Administration", "#56b4e9"),
    ("security", "Quốc phòng, an ninh", "Defence and security", "#d55e00"),
)
INDICATOR_FREQUENCY = _v(
    "indicator_frequency",
    ("month", "Tháng", "Monthly", "#0072b2"),
    ("quarter", "Quý", "Quarterly", "#e69f00"),
    ("year", "Năm", "Yearly", "#009e73"),
)
INDICATOR_LEVEL = _v(
    "indicator_level",
    ("commune", "Xã/phường", "Commune", "#eef4e6"),
    ("department", "Sở, ngành", "Department", "#56b4e9"),
    ("province", "Tỉnh", "Province", "#0072b2"),
)
PROVINCE_RULE = _v(
    "province_rule",
    ("entered", "Nhập trực tiếp", "Entered", "#495057"),
    ("sum", "Tổng các xã/phường", "Sum of communes", "#0072b2"),
    ("mean", "Trung bình các xã/phường", "Mean of communes", "#009e73"),
    ("weighted_mean", "Trung bình có trọng số", "Weighted mean of communes", "#e69f00"),
)
ENTERPRISE_STATUS = _v(
    "enterprise_status",
    ("active", "Đang hoạt động", "Active", "#009e73"),
    ("suspended", "Tạm ngừng kinh doanh", "Suspended", "#e69f00"),
    ("dissolved", "Giải thể", "Dissolved", "#d55e00"),
)
PROJECT_STATUS = _v(
    "project_status",
    ("preparing", "Chuẩn bị đầu tư", "Preparing", "#56b4e9"),
    ("in_progress", "Đang thi công", "Under construction", "#0072b2"),
    ("stalled", "Đang vướng mắc", "Stalled", "#d55e00"),
    ("completed", "Hoàn thành", "Completed", "#009e73"),
)
TASK_SOURCE = _v(
    "task_source",
    ("central", "Trung ương giao", "Assigned by central government", "#d55e00"),
    ("province", "Tỉnh giao", "Assigned by the province", "#0072b2"),
)
TASK_STATUS = _v(
    "task_status",
    ("in_progress", "Đang thực hiện", "In progress", "#0072b2"),
    ("done", "Đã hoàn thành", "Done", "#009e73"),
    ("done_late", "Hoàn thành trễ hạn", "Done late", "#e69f00"),
)
# Alerts (alerts.models.Alert), whatever raised them
ALERT_SOURCE = _v(
    "alert_source",
    ("scenario", "Kịch bản", "Scenario", "#0072b2"),
    ("indicator", "Chỉ tiêu", "Indicator", "#009e73"),
    ("submission", "Chưa báo cáo số liệu", "Not reported", "#cc79a7"),
    ("sensor", "Cảm biến", "Sensor", "#d55e00"),
    ("report", "Phản ánh hiện trường", "Field report", "#e69f00"),
    ("camera", "Camera", "Camera", "#56b4e9"),
)
ALERT_SEVERITY = _v(
    "alert_severity",
    ("low", "Thấp", "Low", "#fecc5c"),
    ("medium", "Trung bình", "Medium", "#fd8d3c"),
    ("high", "Cao", "High", "#bd0026"),
)
ALERT_STATE = _v(
    "alert_state",
    ("raised", "Mới phát sinh", "Raised", "#e63946"),
    ("acknowledged", "Đã tiếp nhận", "Acknowledged", "#f77f00"),
    ("resolved", "Đã giải quyết", "Resolved", "#2a9d8f"),
)
# --- h15c: sectors that had no scenario (traffic, mining, civil defence, fire) -------------------------------
MINERAL = _v(
    "mineral",
    ("sand", "Cát xây dựng", "Construction sand", "#e9c46a"),
    ("stone", "Đá xây dựng", "Construction stone", "#6c757d"),
    ("clay", "Sét gạch ngói", "Brick clay", "#bc6c25"),
    ("laterite", "Đá ong, sỏi đỏ", "Laterite", "#9c2c13"),
    ("bauxite", "Bô-xít", "Bauxite", "#d55e00"),
)
MINING_SOURCE = _v(
    "mining_source",
    ("inspection", "Kiểm tra hiện trường", "Field inspection", "#0072b2"),
    ("satellite", "Ảnh vệ tinh", "Satellite imagery", "#009e73"),
    ("camera", "Camera giám sát", "Surveillance camera", "#cc79a7"),
)
SHELTER_KIND = _v(
    "shelter_kind",
    ("school", "Trường học", "School", "#e69f00"),
    ("commune_office", "Trụ sở UBND xã/phường", "Commune office", "#0072b2"),
    ("cultural_house", "Nhà văn hóa", "Cultural house", "#009e73"),
)
RESCUE_RESOURCE_KIND = _v(
    "rescue_resource_kind",
    ("boat", "Xuồng, ca nô", "Boat", "#1d70b8"),
    ("vehicle", "Xe cứu hộ", "Rescue vehicle", "#d55e00"),
    ("team", "Đội xung kích", "Response team", "#6a4c93"),
    ("pump", "Máy bơm", "Pump", "#56b4e9"),
)
FIRE_ALARM = _v(
    "fire_alarm",
    ("connected", "Có, kết nối trung tâm", "Connected to the centre", "#1a9641"),
    ("standalone", "Có, chưa kết nối", "Installed, not connected", "#fdae61"),
    ("none", "Chưa lắp đặt", "None", "#d7191c"),
)
PREMISES_KIND = _v(
    "premises_kind",
    ("market", "Chợ, trung tâm thương mại", "Market, mall", "#f77f00"),
    ("high_rise", "Nhà cao tầng", "High-rise building", "#4361ee"),
    ("factory", "Nhà xưởng", "Factory", "#495057"),
    ("warehouse", "Kho hàng", "Warehouse", "#8c510a"),
    ("karaoke", "Karaoke, vũ trường", "Karaoke, bar", "#cc79a7"),
    ("hospital", "Bệnh viện", "Hospital", "#d7191c"),
)
# --- end h15c ---------------------------------------------------------------------------------------------------

VOCABULARIES: dict[str, Vocabulary] = {v.id: v for v in globals().copy().values() if isinstance(v, Vocabulary)}
