"""Indicators of decision 456/QĐ-UBND (synthetic definitions) and monthly values per commune (indicators.sql).

Each commune has a seeded standing per indicator, shaped by what it is (urban, forested, poor); a value is the
target moved by `spread` times (standing + trend + monthly noise), towards better or worse, so about one
commune in five misses a target in a given month and the same communes tend to miss it month after month.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

from geodata.sample.context import sql_params
from geodata.sample.sqlrun import run
from geodata.sample.volumes import Volumes

FIRST_PERIOD = "2024-11"  # 24 months: every month has its same period last year
LAST_PERIOD = "2026-10"


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator and how its synthetic values spread around the target."""

    code: str
    name: str
    unit: str
    sector: str
    department: str
    target: float
    higher_is_better: bool
    spread: float
    lo: float
    hi: float
    basis: str = "plain"  # plain / urban / rural / poverty / forest: what makes a commune do well
    drift: float = 0.2  # improvement over the twenty-four months, in spreads
    group: str = "society"  # vocabulary indicator_group
    name_en: str = ""


NN_MT = "Sở Nông nghiệp và Môi trường"
INDICATORS = [
    IndicatorSpec(
        "KT_GRDP", "Tốc độ tăng trưởng kinh tế (GRDP)", "%", "finance", "Sở Tài chính", 10.0, True, 1.5, -5, 25
    ),
    IndicatorSpec(
        "KT_THU_NS",
        "Tỷ lệ thu ngân sách nhà nước đạt dự toán",
        "%",
        "finance",
        "Sở Tài chính",
        100,
        True,
        10,
        40,
        160,
        "urban",
    ),
    IndicatorSpec(
        "DD_HS_TRE_HAN",
        "Tỷ lệ hồ sơ đất đai giải quyết trễ hạn",
        "%",
        "agriculture_environment",
        NN_MT,
        5,
        False,
        3,
        0,
        60,
        "rural",
        0.3,
    ),
    IndicatorSpec(
        "HC_HS_DUNG_HAN",
        "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
        "%",
        "home_affairs",
        "Văn phòng UBND tỉnh",
        98,
        True,
        1.5,
        60,
        100,
    ),
    IndicatorSpec(
        "HC_DVC_TOAN_TRINH",
        "Tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình",
        "%",
        "science_technology",
        "Sở Khoa học và Công nghệ",
        80,
        True,
        8,
        10,
        100,
        "urban",
        0.4,
    ),
    IndicatorSpec(
        "XH_HO_NGHEO",
        "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều",
        "%",
        "home_affairs",
        "Sở Nội vụ",
        1.0,
        False,
        0.8,
        0.05,
        20,
        "poverty",
    ),
    IndicatorSpec(
        "MT_CHE_PHU_RUNG",
        "Tỷ lệ che phủ rừng",
        "%",
        "agriculture_environment",
        NN_MT,
        30,
        True,
        10,
        0.5,
        90,
        "forest",
        0.0,
    ),
    IndicatorSpec(
        "MT_THU_GOM_CTR",
        "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý",
        "%",
        "agriculture_environment",
        NN_MT,
        98,
        True,
        2,
        50,
        100,
        "urban",
    ),
    IndicatorSpec(
        "GD_HUY_DONG_LOP1",
        "Tỷ lệ huy động trẻ 6 tuổi vào lớp 1",
        "%",
        "education",
        "Sở Giáo dục và Đào tạo",
        99.5,
        True,
        0.4,
        85,
        100,
    ),
    IndicatorSpec(
        "YT_BHYT",
        "Tỷ lệ dân số tham gia bảo hiểm y tế",
        "%",
        "health",
        "Sở Y tế",
        95,
        True,
        2.5,
        60,
        100,
        "poverty",
        0.3,
    ),
    IndicatorSpec(
        "AN_TNGT",
        "Số vụ tai nạn giao thông trên 100.000 dân",
        "vụ/100.000 dân",
        "public_security",
        "Công an tỉnh",
        1.5,
        False,
        0.6,
        0,
        15,
    ),
    IndicatorSpec(
        "MT_NGAY_KK_TOT",
        "Tỷ lệ ngày có chất lượng không khí tốt (VN_AQI ≤ 100)",
        "%",
        "agriculture_environment",
        NN_MT,
        90,
        True,
        5,
        30,
        100,
        "rural",
    ),
    IndicatorSpec(
        "XD_NUOC_SACH",
        "Tỷ lệ dân số được cấp nước sạch",
        "%",
        "construction",
        "Sở Xây dựng",
        95,
        True,
        4,
        30,
        100,
        "urban",
    ),
    IndicatorSpec(
        "CN_PA_1022",
        "Tỷ lệ phản ánh qua tổng đài 1022 được xử lý đúng hạn",
        "%",
        "science_technology",
        "Sở Khoa học và Công nghệ",
        95,
        True,
        3,
        50,
        100,
    ),
]


# English names and groups of the monthly commune indicators above (name_en, group), by code
LABELS = {
    "KT_GRDP": ("Economic growth rate (GRDP)", "economy"),
    "KT_THU_NS": ("State budget revenue against the estimate", "budget"),
    "DD_HS_TRE_HAN": ("Land dossiers settled late", "administration"),
    "HC_HS_DUNG_HAN": ("Administrative dossiers settled on time", "administration"),
    "HC_DVC_TOAN_TRINH": ("Dossiers filed as end-to-end online public services", "administration"),
    "XH_HO_NGHEO": ("Multidimensional poverty rate", "society"),
    "MT_CHE_PHU_RUNG": ("Forest cover", "environment"),
    "MT_THU_GOM_CTR": ("Household solid waste collected and treated", "environment"),
    "GD_HUY_DONG_LOP1": ("Six-year-olds enrolled in grade 1", "society"),
    "YT_BHYT": ("Population with health insurance", "society"),
    "AN_TNGT": ("Traffic accidents per 100,000 people", "security"),
    "MT_NGAY_KK_TOT": ("Days with good air quality (VN_AQI ≤ 100)", "environment"),
    "XD_NUOC_SACH": ("Population supplied with clean water", "society"),
    "CN_PA_1022": ("1022 hotline reports handled on time", "administration"),
}
INDICATORS = [replace(s, name_en=LABELS[s.code][0], group=LABELS[s.code][1]) for s in INDICATORS]
TARGET_YEARS = (2024, 2025, 2026)


def generate(cursor, volumes: Volumes, seed: int) -> dict[str, int]:
    """Insert the definitions with their province targets, then one value per indicator, commune and month."""
    for spec in INDICATORS:
        run(cursor, "indicators.sql", "add_indicator", asdict(spec))
        for year in TARGET_YEARS:
            run(cursor, "indicators.sql", "add_target", {"code": spec.code, "year": year, "value": spec.target})
    specs = json.dumps([asdict(s) for s in INDICATORS], ensure_ascii=False)
    values = run(
        cursor,
        "indicators.sql",
        "values",
        sql_params(specs=specs, first=f"{FIRST_PERIOD}-01", last=f"{LAST_PERIOD}-01"),
    )
    return {"indicators": len(INDICATORS), "values": values}
