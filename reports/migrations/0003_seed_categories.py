"""Seed the report categories (Open311 service codes) of the province's sectors, with department and SLA."""

from django.db import migrations

CONSTRUCTION = ("construction", "Sở Xây dựng")
ENVIRONMENT = ("agriculture_environment", "Sở Nông nghiệp và Môi trường")
POLICE = ("public_security", "Công an tỉnh")


def _values(*pairs):
    return [{"key": key, "name": name} for key, name in pairs]


def _attr(code, description, datatype, order, required=True, values=(), datatype_description=""):
    return {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": datatype_description,
        "order": order,
        "description": description,
        "values": _values(*values),
    }


LAMP = _attr(
    "lamp_state",
    "Tình trạng đèn",
    "singlevaluelist",
    1,
    values=[
        ("off", "Không sáng"),
        ("flicker", "Chập chờn"),
        ("day_on", "Sáng ban ngày"),
        ("broken_pole", "Gãy, nghiêng trụ đèn"),
    ],
)
TREE = _attr(
    "tree_hazard",
    "Mức độ nguy hiểm",
    "singlevaluelist",
    1,
    values=[
        ("fallen", "Đã ngã đổ"),
        ("leaning", "Nghiêng, có nguy cơ đổ"),
        ("branch", "Cành khô, gãy"),
        ("blocking", "Che khuất biển báo, đèn"),
    ],
)
FLOOD = _attr(
    "depth_cm", "Độ sâu ngập ước tính (cm)", "number", 1, required=False, datatype_description="Số nguyên, 0 đến 300"
)
POLLUTION = _attr(
    "pollution_kind",
    "Loại ô nhiễm",
    "multivaluelist",
    1,
    values=[
        ("smoke", "Khói, bụi"),
        ("odor", "Mùi hôi"),
        ("wastewater", "Nước thải"),
        ("noise", "Tiếng ồn"),
        ("waste", "Chất thải rắn"),
    ],
)
ROAD = _attr(
    "road_damage",
    "Loại hư hỏng",
    "singlevaluelist",
    1,
    required=False,
    values=[
        ("pothole", "Ổ gà, ổ voi"),
        ("subsidence", "Lún, sụt"),
        ("crack", "Nứt mặt đường"),
        ("manhole", "Nắp hố ga hư, mất"),
    ],
)

# code, name, name_en, group, (sector, department), SLA hours, attributes, keywords
CATEGORIES = [
    (
        "urban_order",
        "Lấn chiếm vỉa hè, lòng đường",
        "Sidewalk and roadway encroachment",
        "Trật tự đô thị",
        CONSTRUCTION,
        48,
        [],
        "lấn chiếm, vỉa hè, buôn bán",
    ),
    (
        "illegal_construction",
        "Xây dựng không phép, sai phép",
        "Unpermitted construction",
        "Trật tự xây dựng",
        CONSTRUCTION,
        72,
        [],
        "xây dựng, giấy phép",
    ),
    ("road_damage", "Hư hỏng mặt đường", "Road damage", "Giao thông", CONSTRUCTION, 72, [ROAD], "ổ gà, lún, nứt"),
    (
        "traffic_signal",
        "Đèn tín hiệu, biển báo giao thông",
        "Traffic lights and signs",
        "Giao thông",
        CONSTRUCTION,
        24,
        [],
        "đèn giao thông, biển báo",
    ),
    (
        "traffic_congestion",
        "Ùn tắc, tai nạn giao thông",
        "Traffic congestion and accidents",
        "Giao thông",
        POLICE,
        4,
        [],
        "kẹt xe, ùn tắc, tai nạn",
    ),
    (
        "street_light",
        "Đèn chiếu sáng công cộng hư hỏng",
        "Street light out",
        "Chiếu sáng",
        CONSTRUCTION,
        48,
        [LAMP],
        "đèn đường, chiếu sáng",
    ),
    (
        "tree_hazard",
        "Cây xanh nguy hiểm, ngã đổ",
        "Dangerous or fallen tree",
        "Cây xanh",
        CONSTRUCTION,
        24,
        [TREE],
        "cây xanh, ngã đổ",
    ),
    (
        "drainage_flooding",
        "Ngập úng, tắc cống thoát nước",
        "Flooding and blocked drains",
        "Thoát nước",
        CONSTRUCTION,
        24,
        [FLOOD],
        "ngập, cống, thoát nước",
    ),
    ("water_supply", "Sự cố cấp nước", "Water supply failure", "Cấp nước", CONSTRUCTION, 24, [], "mất nước, vỡ ống"),
    (
        "waste",
        "Rác thải, vệ sinh môi trường",
        "Waste and street cleaning",
        "Môi trường",
        ENVIRONMENT,
        48,
        [],
        "rác, vệ sinh",
    ),
    (
        "pollution",
        "Ô nhiễm môi trường",
        "Pollution",
        "Môi trường",
        ENVIRONMENT,
        72,
        [POLLUTION],
        "khói, bụi, nước thải, tiếng ồn",
    ),
    (
        "land_encroachment",
        "Lấn chiếm, sử dụng đất trái phép",
        "Land encroachment",
        "Đất đai",
        ENVIRONMENT,
        240,
        [],
        "đất đai, lấn chiếm",
    ),
    (
        "illegal_mining",
        "Khai thác khoáng sản, cát trái phép",
        "Illegal mining and sand dredging",
        "Tài nguyên",
        ENVIRONMENT,
        72,
        [],
        "khai thác cát, khoáng sản",
    ),
    (
        "power_outage",
        "Sự cố điện, dây điện nguy hiểm",
        "Power failure or dangerous wires",
        "Điện",
        ("industry_trade", "Sở Công Thương"),
        24,
        [],
        "mất điện, dây điện",
    ),
    ("food_safety", "An toàn thực phẩm", "Food safety", "Y tế", ("health", "Sở Y tế"), 72, [], "thực phẩm, ngộ độc"),
    (
        "public_service",
        "Thủ tục hành chính, dịch vụ công",
        "Administrative procedures and public services",
        "Dịch vụ công",
        ("home_affairs", "Sở Nội vụ"),
        120,
        [],
        "hồ sơ, thủ tục, dịch vụ công",
    ),
    (
        "security_order",
        "An ninh, trật tự công cộng",
        "Public security and order",
        "An ninh trật tự",
        POLICE,
        12,
        [],
        "gây rối, trộm cắp",
    ),
    (
        "other",
        "Phản ánh khác",
        "Other",
        "Khác",
        ("science_technology", "Sở Khoa học và Công nghệ (Trung tâm IOC)"),
        120,
        [],
        "",
    ),
]


def seed(apps, schema_editor):
    ServiceCategory = apps.get_model("reports", "ServiceCategory")
    for order, (code, name, name_en, group, (sector, dept), sla, attrs, keywords) in enumerate(CATEGORIES, 1):
        ServiceCategory.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "group": group,
                "sector": sector,
                "department": dept,
                "sla_hours": sla,
                "attributes": attrs,
                "keywords": keywords,
                "order": order,
                "description": f"{name} ({name_en}). Đơn vị xử lý: {dept}; thời hạn {sla} giờ.",
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("reports", "ServiceCategory").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_public_view")]

    operations = [migrations.RunPython(seed, unseed)]
