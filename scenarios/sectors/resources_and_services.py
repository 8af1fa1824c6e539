"""Sector scenarios issue 15 found missing, resources and public services side: resource extraction (mining
licences, activity off licence or after expiry, citizens' reports of illegal mining), education (pupils per
teacher and classroom) and health (patients per bed and doctor). Declared, not coded."""

from __future__ import annotations

from scenarios.specs import Aggregate, AlertRule, Load, Outside, Param, ScenarioSpec, Select, register
from scenarios.sqlparts import Filter as F

MINING_REPORTS = Select(
    "field_reports", (F("service_code", "eq", "illegal_mining"), F("requested_at", "gte", "$since"))
)
ACTIVITY = Select("mining_activities", (F("observed_on", "gte", "$since"),))

RESOURCE_EXTRACTION = ScenarioSpec(
    id="resource_extraction",
    title="Khai thác tài nguyên, khoáng sản",
    title_en="Resource extraction",
    sector="agriculture_environment",
    description="Licensed mining areas, extraction seen outside every licence or after its expiry, and citizens' "
    "reports of illegal mining outside the licensed areas.",
    steps=(
        Aggregate(
            "licences_by_mineral",
            "Diện tích cấp phép theo khoáng sản",
            "Licensed area by mineral",
            select=Select("mining_licences"),
            group_by="mineral",
            sums=("clipped_area_m2",),
            on_map=True,
        ),
        Outside(
            "unlicensed_activity",
            "Khai thác ngoài giấy phép hoặc khi giấy phép hết hạn",
            "Extraction outside a licence or after its expiry",
            source=ACTIVITY,
            target=Select("mining_licences"),
            valid_from="valid_from",
            valid_until="valid_until",
            label="Điểm khai thác",
            on_map=True,
        ),
        Outside(
            "reports_outside",
            "Phản ánh khai thác trái phép ngoài khu vực cấp phép",
            "Illegal-mining reports outside the licensed areas",
            source=MINING_REPORTS,
            target=Select("mining_licences"),
            valid_from="valid_from",
            valid_until="valid_until",
            on_map=True,
        ),
        Aggregate(
            "reports_by_commune",
            "Phản ánh khai thác trái phép theo xã/phường",
            "Illegal-mining reports by commune",
            select=MINING_REPORTS,
            group_by="commune",
        ),
    ),
    alerts=(
        AlertRule(
            "unlicensed_activity",
            "outside",
            "eq",
            1,
            "high",
            message="{label}: khai thác ngoài ranh giới cấp phép",
            message_en="{label}: extraction outside any licensed area",
        ),
        AlertRule(
            "unlicensed_activity",
            "expired",
            "eq",
            1,
            "high",
            message="{label}: khai thác khi giấy phép đã hết hiệu lực",
            message_en="{label}: extraction after the licence expired",
        ),
        AlertRule(
            "reports_outside",
            "outside",
            "eq",
            1,
            "medium",
            message="{label}: người dân phản ánh khai thác trái phép ngoài khu vực cấp phép",
            message_en="{label}: citizens report illegal mining outside the licensed areas",
        ),
    ),
    params=(Param("days", 365, "Số ngày gần nhất", "Last N days", 1, 3650),),
    schedule_minutes=24 * 60,
    style={"unlicensed_activity": {"color": "#d73027"}, "licences_by_mineral": {"by": "mineral"}},
)


def _load(step_id: str, title: str, title_en: str, layer: str, numerator: str, means: tuple, metrics: tuple, **kw):
    """A Load step over one layer (the three views of a scenario differ only in how they group)."""
    return Load(step_id, title, title_en, select=Select(layer), numerator=numerator, denominators=means,
                metrics=metrics, **kw)  # fmt: skip


SCHOOL_NORMS = ("$pupils_per_teacher", "$pupils_per_classroom")
SCHOOL_METRICS = ("pupils_per_teacher", "pupils_per_classroom")

EDUCATION = ScenarioSpec(
    id="education",
    title="Giáo dục: sĩ số, giáo viên, phòng học",
    title_en="Education: pupils, teachers, classrooms",
    sector="education",
    description="Pupils per teacher and per classroom by school, commune and level; teachers and classrooms "
    "missing against the norms; overloaded schools.",
    steps=(
        _load(
            "by_school",
            "Theo trường",
            "By school",
            "schools",
            "students",
            ("teachers", "classrooms"),
            SCHOOL_METRICS,
            norms=SCHOOL_NORMS,
            on_map=True,
        ),  # fmt: skip
        _load(
            "by_commune",
            "Theo xã/phường",
            "By commune",
            "schools",
            "students",
            ("teachers", "classrooms"),
            SCHOOL_METRICS,
            norms=SCHOOL_NORMS,
            group_by="commune",
        ),  # fmt: skip
        _load(
            "by_level",
            "Theo cấp học",
            "By level",
            "schools",
            "students",
            ("teachers", "classrooms"),
            SCHOOL_METRICS,
            norms=SCHOOL_NORMS,
            group_by="level",
        ),  # fmt: skip
    ),
    alerts=(
        AlertRule(
            "by_school",
            "pupils_per_classroom",
            "gt",
            "$max_per_classroom",
            "medium",
            high_at=50,
            message="{label}: {value} học sinh/phòng học, quá tải",
            message_en="{label}: {value} pupils per classroom, overloaded",
        ),
        AlertRule(
            "by_school",
            "pupils_per_teacher",
            "gt",
            "$max_per_teacher",
            "medium",
            high_at=35,
            message="{label}: {value} học sinh/giáo viên, thiếu giáo viên",
            message_en="{label}: {value} pupils per teacher, teachers short",
        ),
        AlertRule(
            "by_commune",
            "shortage_teachers",
            "gte",
            "$max_teacher_shortage",
            "medium",
            message="{label}: thiếu {value} giáo viên theo định mức",
            message_en="{label}: {value} teachers short of the norm",
        ),
    ),
    params=(
        Param("pupils_per_teacher", 20, "Định mức học sinh/giáo viên", "Norm: pupils per teacher", 1, 200),
        Param("pupils_per_classroom", 35, "Định mức học sinh/phòng học", "Norm: pupils per classroom", 1, 200),
        Param("max_per_teacher", 25.0, "Ngưỡng quá tải học sinh/giáo viên", "Alert above pupils per teacher", 1, 500),
        Param("max_per_classroom", 45.0, "Ngưỡng quá tải học sinh/phòng", "Alert above pupils per classroom", 1, 500),
        Param("max_teacher_shortage", 10, "Ngưỡng thiếu giáo viên/xã", "Alert from teachers short per commune", 1, 1e5),
    ),
    schedule_minutes=24 * 60,
    style={"by_school": {"by": "pupils_per_classroom", "color": "#e69f00"}},
)

HEALTH_METRICS = ("patients_per_bed", "patients_per_doctor")

HEALTH_LOAD = ScenarioSpec(
    id="health_load",
    title="Y tế: tải của cơ sở khám chữa bệnh",
    title_en="Health: facility load",
    sector="health",
    description="Inpatients per bed and per doctor by facility, commune and kind; overload alerts.",
    steps=(
        _load(
            "by_facility",
            "Theo cơ sở",
            "By facility",
            "health_facilities",
            "inpatients",
            ("beds", "doctors"),
            HEALTH_METRICS,
            norms=(1, "$patients_per_doctor"),
            on_map=True,
        ),  # fmt: skip
        _load(
            "by_commune",
            "Theo xã/phường",
            "By commune",
            "health_facilities",
            "inpatients",
            ("beds", "doctors"),
            HEALTH_METRICS,
            norms=(1, "$patients_per_doctor"),
            group_by="commune",
        ),  # fmt: skip
        _load(
            "by_kind",
            "Theo loại cơ sở",
            "By kind",
            "health_facilities",
            "inpatients",
            ("beds", "doctors"),
            HEALTH_METRICS,
            group_by="kind",
        ),  # fmt: skip
    ),
    alerts=(
        AlertRule(
            "by_facility",
            "patients_per_bed",
            "gt",
            "$max_per_bed",
            "medium",
            high_at=1.2,
            message="{label}: {value} người bệnh/giường, quá tải",
            message_en="{label}: {value} patients per bed, overloaded",
        ),
        AlertRule(
            "by_facility",
            "patients_per_doctor",
            "gt",
            "$max_per_doctor",
            "medium",
            message="{label}: {value} người bệnh/bác sĩ",
            message_en="{label}: {value} patients per doctor",
        ),
    ),
    params=(
        Param("max_per_bed", 1.0, "Ngưỡng quá tải (người bệnh/giường)", "Alert above patients per bed", 0, 10),
        Param("patients_per_doctor", 8, "Định mức người bệnh/bác sĩ", "Norm: patients per doctor", 1, 200),
        Param("max_per_doctor", 12.0, "Ngưỡng người bệnh/bác sĩ", "Alert above patients per doctor", 0, 500),
    ),
    indicators=("YT_BHYT",),
    schedule_minutes=6 * 60,
    style={"by_facility": {"by": "patients_per_bed", "color": "#d7191c"}},
)

register(RESOURCE_EXTRACTION, EDUCATION, HEALTH_LOAD)
