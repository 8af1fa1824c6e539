"""XLSX export: a summary sheet, one sheet per step (groups), and the alerts. Every row goes through
append_row: stored text never becomes a formula and never holds characters XML forbids."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from geodata.io.safetext import append_row
from scenarios.exports import ALERT_COLUMNS, INDICATOR_COLUMNS, alert_rows, step_tables
from scenarios.models import ScenarioRun
from scenarios.specs import ScenarioSpec

BOLD = Font(bold=True)


def _sheet_name(text: str, used: set[str]) -> str:
    name = "".join(ch for ch in text if ch not in "[]:*?/\\")[:28] or "sheet"
    base, n = name, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def render(run: ScenarioRun, spec: ScenarioSpec) -> bytes:
    """The workbook as bytes."""
    book = Workbook()
    summary = book.active
    summary.title = "Tong hop"
    used = {summary.title}
    append_row(summary, [spec.title])
    summary["A1"].font = BOLD
    for key, value in (
        ("Kịch bản / scenario", spec.id),
        ("Lượt chạy / run", str(run.id)),
        ("Cấp / level", run.level),
        ("Thời điểm / at", run.created_at.isoformat()),
        ("Vùng / area", str(run.area)),
        ("Tham số / params", str(run.params)),
        ("Diện tích (m²)", (run.result or {}).get("area_m2")),
    ):
        append_row(summary, [key, value])
    tables = step_tables(run, spec)
    for table in tables:
        append_row(summary, [table["title"], *[f"{k}={v}" for k, v in table["totals"].items()]])
        sheet = book.create_sheet(_sheet_name(table["id"], used))
        append_row(sheet, [table["title"], table["title_en"]])
        sheet["A1"].font = BOLD
        append_row(sheet, table["headers"])
        for c in sheet[2]:
            c.font = BOLD
        for row in table["rows"]:
            append_row(sheet, row)
    alerts, misses = alert_rows(run)
    sheet = book.create_sheet(_sheet_name("alerts", used))
    append_row(sheet, list(ALERT_COLUMNS))
    for row in alerts:
        append_row(sheet, row)
    sheet = book.create_sheet(_sheet_name("indicator_alerts", used))
    append_row(sheet, list(INDICATOR_COLUMNS))
    for row in misses:
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
