"""The rest of the 456 set (budget, investment, trade, jobs, population, income; monthly, quarterly, yearly; entered
or aggregated) with targets per year and level, gaps left unreported for the submission tracker, and the
socio-economic layers: enterprise status and dates, key public-investment projects, assigned tasks
(socio_economic.sql). All synthetic, seeded, inside the province."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from geodata.periods import last_day
from geodata.sample.context import count, sql_params
from geodata.sample.sqlrun import run
from geodata.sample.volumes import Volumes

MONTHS = [f"{y}-{m:02d}" for y, m in [(2024, 11), (2024, 12)] + [(y, m) for y in (2025, 2026) for m in range(1, 13)]]
MONTHS = MONTHS[: MONTHS.index("2026-10") + 1]  # 2024-11 .. 2026-10: 24 months
QUARTERS = ["2024-Q4"] + [f"{y}-Q{q}" for y in (2025, 2026) for q in range(1, 5)][:7]  # 2024-Q4 .. 2026-Q3
YEARS = ["2024", "2025"]
PER_YEAR = {"month": 12, "quarter": 4, "year": 1}
FINANCE, PLANNING = "Sở Tài chính", "Sở Tài chính (Kế hoạch và Đầu tư)"
INDUSTRY, HOME = "Sở Công Thương", "Sở Nội vụ"


@dataclass(frozen=True)
class FigureSpec:
    """An indicator whose values are a province figure (2026 level `total`) shared out or repeated per commune."""

    code: str
    name: str
    name_en: str
    group: str
    unit: str
    sector: str
    department: str
    period_kind: str
    level: str  # commune / department / province
    province_rule: str  # entered / sum / mean / weighted_mean
    higher_is_better: bool
    total: float  # 2026: a flow's year total (sum), else the level
    growth: float  # per year
    target_factor: float  # the year's target against the trend
    noise: float  # relative, per value
    basis: str = "share"  # share (population) / parks (industrial park area) / flat (the same level everywhere)
    weight_indicator: str = ""
    decimals: int = 2


FIGURES = [
    FigureSpec(
        "NS_THU",
        "Thu ngân sách nhà nước trên địa bàn",
        "State budget revenue",
        "budget",
        "tỷ đồng",
        "finance",
        FINANCE,
        "month",
        "commune",
        "sum",
        True,
        72_000,
        0.09,
        1.0,
        0.25,
    ),
    FigureSpec(
        "NS_CHI",
        "Chi ngân sách địa phương",
        "Local budget expenditure",
        "budget",
        "tỷ đồng",
        "finance",
        FINANCE,
        "month",
        "commune",
        "sum",
        False,
        41_000,
        0.07,
        1.0,
        0.2,
    ),
    FigureSpec(
        "DT_VON_DK",
        "Vốn đầu tư đăng ký mới",
        "Newly registered investment capital",
        "investment",
        "tỷ đồng",
        "finance",
        PLANNING,
        "month",
        "commune",
        "sum",
        True,
        95_000,
        0.12,
        1.05,
        0.6,
        "parks",
    ),
    FigureSpec(
        "DT_DU_AN_MOI",
        "Số dự án đầu tư mới",
        "New investment projects",
        "investment",
        "dự án",
        "finance",
        PLANNING,
        "month",
        "commune",
        "sum",
        True,
        420,
        0.08,
        1.05,
        0.5,
        "parks",
        decimals=0,
    ),
    FigureSpec(
        "XK_KIM_NGACH",
        "Kim ngạch xuất khẩu",
        "Exports",
        "trade",
        "triệu USD",
        "industry_trade",
        INDUSTRY,
        "month",
        "commune",
        "sum",
        True,
        27_500,
        0.10,
        1.0,
        0.2,
        "parks",
    ),
    FigureSpec(
        "NK_KIM_NGACH",
        "Kim ngạch nhập khẩu",
        "Imports",
        "trade",
        "triệu USD",
        "industry_trade",
        INDUSTRY,
        "month",
        "commune",
        "sum",
        True,
        21_000,
        0.08,
        1.0,
        0.2,
        "parks",
    ),
    FigureSpec(
        "XH_VIEC_LAM",
        "Số lao động được tạo việc làm",
        "Jobs created",
        "society",
        "người",
        "home_affairs",
        HOME,
        "quarter",
        "commune",
        "sum",
        True,
        92_000,
        0.03,
        1.0,
        0.3,
        decimals=0,
    ),
    FigureSpec(
        "KT_GRDP_QUY",
        "Tốc độ tăng GRDP theo quý (so cùng kỳ)",
        "Quarterly GRDP growth (year on year)",
        "economy",
        "%",
        "finance",
        FINANCE,
        "quarter",
        "province",
        "entered",
        True,
        8.6,
        0.0,
        1.1,
        0.12,
        "flat",
    ),
    FigureSpec(
        "XH_DAN_SO",
        "Dân số trung bình",
        "Average population",
        "society",
        "nghìn người",
        "home_affairs",
        HOME,
        "year",
        "commune",
        "sum",
        True,
        4_490,
        0.015,
        1.0,
        0.01,
        decimals=1,
    ),
    FigureSpec(
        "XH_THU_NHAP",
        "Thu nhập bình quân đầu người",
        "Income per head",
        "economy",
        "triệu đồng/năm",
        "finance",
        FINANCE,
        "year",
        "commune",
        "weighted_mean",
        True,
        98,
        0.08,
        1.0,
        0.2,
        "flat",
        "XH_DAN_SO",
        1,
    ),
    FigureSpec(
        "DT_FDI",
        "Vốn đầu tư trực tiếp nước ngoài (FDI) đăng ký",
        "Registered foreign direct investment",
        "investment",
        "triệu USD",
        "finance",
        PLANNING,
        "year",
        "department",
        "entered",
        True,
        2_100,
        0.1,
        1.0,
        0.15,
        "flat",
    ),
]
# Units that leave some figures unreported (seeded share per recent period), for the submission tracker
UNREPORTED_SHARE = 0.06


def _periods() -> list[dict]:
    """Every period of the sample with its distance in years from the start of 2026 (the trend's origin)."""
    found = []
    for kind, periods in (("month", MONTHS), ("quarter", QUARTERS), ("year", YEARS)):
        for period in periods:
            end = last_day(period)
            t = (end - dt.date(2026, 1, 1)).days / 365.25
            found.append({"kind": kind, "period": period, "t": round(t, 4), "per_year": PER_YEAR[kind]})
    return found


def generate(cursor, volumes: Volumes, seed: int) -> dict[str, int]:
    """Definitions, targets, values, unreported gaps; then enterprise status, key projects and tasks."""
    for spec in FIGURES:
        run(cursor, "socio_economic.sql", "add_indicator", asdict(spec))
    specs = json.dumps([asdict(s) for s in FIGURES], ensure_ascii=False)
    params = sql_params(specs=specs, periods=json.dumps(_periods()), years=[2024, 2025, 2026])
    run(cursor, "socio_economic.sql", "weights", params)
    targets = run(cursor, "socio_economic.sql", "targets", params)
    values = run(cursor, "socio_economic.sql", "values", params)
    gaps = run(cursor, "socio_economic.sql", "unreported", sql_params(share=UNREPORTED_SHARE))
    run(cursor, "socio_economic.sql", "enterprise_status")
    run(cursor, "socio_economic.sql", "dissolution_spike")
    run(cursor, "socio_economic.sql", "key_projects", sql_params(total=36))
    run(cursor, "socio_economic.sql", "tasks", sql_params(total=72))
    run(cursor, "socio_economic.sql", "drop_weights")
    return {
        "indicators": len(FIGURES),
        "targets": targets,
        "values": values,
        "unreported": gaps,
        "key_projects": count(cursor, "geodata_keyproject"),
        "tasks": count(cursor, "geodata_assignedtask"),
    }
