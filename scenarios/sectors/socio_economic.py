"""The socio-economic operations scenario (Ministry guide 004 §IV.5a): budget, public investment, investment
attraction, exports and imports, enterprises, assigned tasks; each part a declared step over the indicators of
decision 456 and registry layers, by commune, drawn area or the province."""

from __future__ import annotations

from scenarios.socio_economic_steps import IndicatorFigures, Schedule, WindowCompare
from scenarios.specs import Aggregate, AlertRule, Param, ScenarioSpec, Select, register
from scenarios.sqlparts import Filter as F

SOCIO_ECONOMIC = ScenarioSpec(
    id="socio_economic",
    title="Điều hành kinh tế - xã hội",
    title_en="Socio-economic operations",
    sector="finance",
    description=(
        "Thu, chi ngân sách so dự toán; giải ngân đầu tư công và dự án trọng điểm; thu hút đầu tư so kế hoạch; "
        "xuất nhập khẩu so cùng kỳ; doanh nghiệp thành lập, tạm ngừng, giải thể; nhiệm vụ Trung ương, tỉnh giao."
    ),
    steps=(
        IndicatorFigures(
            "budget_revenue", "Thu ngân sách so dự toán", "Budget revenue against the estimate", indicator="NS_THU"
        ),
        IndicatorFigures(
            "budget_expenditure",
            "Chi ngân sách so dự toán",
            "Budget expenditure against the estimate",
            indicator="NS_CHI",
        ),
        Schedule(
            "public_investment",
            "Giải ngân đầu tư công, dự án trọng điểm",
            "Public investment disbursement",
            on_map=True,
            select=Select("key_projects"),
            due="planned_end_on",
            done=("status", "completed"),
            start="start_on",
            progress="progress_pct",
            plan="capital_plan_bn",
            spent="disbursed_bn",
            slow_margin_pct="$slow_margin_pct",
            late_margin_pct="$late_margin_pct",
        ),
        IndicatorFigures(
            "investment_capital",
            "Vốn đầu tư đăng ký so kế hoạch",
            "Registered capital against target",
            indicator="DT_VON_DK",
        ),
        IndicatorFigures(
            "investment_projects",
            "Dự án đầu tư mới so kế hoạch",
            "New projects against target",
            indicator="DT_DU_AN_MOI",
        ),
        IndicatorFigures(
            "exports",
            "Xuất khẩu so cùng kỳ",
            "Exports against the same period last year",
            indicator="XK_KIM_NGACH",
            mode="same_period_last_year",
        ),
        IndicatorFigures(
            "imports",
            "Nhập khẩu so cùng kỳ",
            "Imports against the same period last year",
            indicator="NK_KIM_NGACH",
            mode="same_period_last_year",
        ),
        Aggregate(
            "registrations",
            "Doanh nghiệp thành lập mới",
            "New enterprises",
            group_by="commune",
            select=Select("enterprises", (F("registered_on", "gte", "$since"),)),
        ),
        Aggregate(
            "registrations_by_sector",
            "Thành lập mới theo ngành",
            "New enterprises by sector",
            group_by="sector",
            select=Select("enterprises", (F("registered_on", "gte", "$since"),)),
        ),
        Aggregate(
            "suspensions",
            "Doanh nghiệp tạm ngừng",
            "Suspended enterprises",
            group_by="commune",
            select=Select("enterprises", (F("status", "eq", "suspended"), F("status_changed_on", "gte", "$since"))),
        ),
        Aggregate(
            "dissolutions_by_sector",
            "Giải thể theo ngành",
            "Dissolutions by sector",
            group_by="sector",
            select=Select("enterprises", (F("status", "eq", "dissolved"), F("status_changed_on", "gte", "$since"))),
        ),
        WindowCompare(
            "dissolutions",
            "Doanh nghiệp giải thể (so kỳ trước)",
            "Dissolutions against the previous window",
            select=Select("enterprises", (F("status", "eq", "dissolved"),)),
            date_field="status_changed_on",
            days="$days",
            rise_factor="$dissolution_rise",
            min_count="$dissolution_min",
        ),
        Schedule(
            "tasks",
            "Nhiệm vụ Trung ương, tỉnh giao",
            "Tasks assigned by central government and the province",
            on_map=True,
            select=Select("assigned_tasks"),
            due="deadline",
            done=("status", "done,done_late"),
            completed="completed_on",
        ),
    ),
    alerts=(
        AlertRule(
            "budget_revenue",
            "pace_pct",
            "lt",
            "$revenue_shortfall_pct",
            "medium",
            high_at=-25,
            message="{label}: thu ngân sách chậm {value} điểm % so tiến độ dự toán",
            message_en="{label}: budget revenue {value} points behind the estimate's pace",
        ),
        AlertRule(
            "budget_expenditure",
            "pace_pct",
            "gt",
            "$overspend_pct",
            "medium",
            high_at=25,
            message="{label}: chi ngân sách vượt {value} điểm % so tiến độ dự toán",
            message_en="{label}: budget expenditure {value} points ahead of the estimate's pace",
        ),
        AlertRule(
            "public_investment",
            "slow",
            "eq",
            1,
            "medium",
            message="Dự án {label}: giải ngân chậm",
            message_en="Project {label}: slow disbursement",
        ),
        AlertRule(
            "public_investment",
            "late",
            "eq",
            1,
            "high",
            message="Dự án {label}: chậm tiến độ",
            message_en="Project {label}: behind schedule",
        ),
        AlertRule(
            "investment_capital",
            "pace_pct",
            "lt",
            "$revenue_shortfall_pct",
            "low",
            message="{label}: vốn đăng ký chậm {value} điểm % so kế hoạch",
            message_en="{label}: registered capital {value} points behind target",
        ),
        AlertRule(
            "exports",
            "change_pct",
            "lt",
            "$trade_drop_pct",
            "medium",
            on="totals",
            message="Xuất khẩu giảm {value}% so cùng kỳ",
            message_en="Exports down {value}% on last year",
        ),
        AlertRule(
            "dissolutions",
            "abnormal",
            "eq",
            1,
            "high",
            message="{label}: số doanh nghiệp giải thể tăng bất thường",
            message_en="{label}: abnormal rise in dissolutions",
        ),
        AlertRule(
            "tasks", "overdue", "eq", 1, "high", message="Nhiệm vụ quá hạn: {label}", message_en="Overdue task: {label}"
        ),
        AlertRule(
            "tasks",
            "late",
            "eq",
            1,
            "low",
            message="Nhiệm vụ hoàn thành trễ hạn: {label}",
            message_en="Task done late: {label}",
        ),
    ),
    params=(
        Param("period", "", "Kỳ báo cáo (tháng YYYY-MM, trống: tháng mới nhất)", "Month (YYYY-MM; empty: latest)"),
        Param("as_of", "", "Ngày tham chiếu (YYYY-MM-DD, trống: hôm nay)", "Reference day (YYYY-MM-DD; empty: today)"),
        Param("days", 60, "Cửa sổ doanh nghiệp (ngày)", "Enterprise window (days)", 7, 730),
        Param(
            "revenue_shortfall_pct", -10, "Cảnh báo thu chậm hơn (điểm %)", "Revenue behind pace by (points)", -100, 0
        ),
        Param("overspend_pct", 10, "Cảnh báo chi vượt (điểm %)", "Expenditure ahead of pace by (points)", 0, 100),
        Param(
            "slow_margin_pct", 15, "Giải ngân chậm hơn năm trôi qua (điểm %)", "Disbursement behind the year by", 0, 100
        ),
        Param("late_margin_pct", 20, "Tiến độ chậm hơn kế hoạch (điểm %)", "Progress behind schedule by", 0, 100),
        Param("trade_drop_pct", -5, "Cảnh báo xuất khẩu giảm (%)", "Exports drop alert (%)", -100, 0),
        Param("dissolution_rise", 2.0, "Giải thể tăng gấp (lần)", "Dissolutions rise factor", 1, 100),
        Param("dissolution_min", 5, "Tối thiểu số giải thể", "Minimum dissolutions", 1, 10_000),
    ),
    indicators=("NS_THU", "NS_CHI", "DT_VON_DK", "XK_KIM_NGACH"),
    style={"public_investment": {"color": "#d55e00"}, "tasks": {"color": "#cc79a7"}},
)

register(SOCIO_ECONOMIC)
