"""XLSX export: a summary sheet, one sheet per step (groups), and the alerts."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

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
    summary.append([spec.title])
    summary["A1"].font = BOLD
    for key, value in (("Kịch bản / scenario", spec.id), ("Lượt chạy / run", str(run.id)), ("Cấp / level", run.level),
                       ("Thời điểm / at", run.created_at.isoformat()), ("Vùng / area", str(run.area)),
                       ("Tham số / params", str(run.params)), ("Diện tích (m²)", (run.result or {}).get("area_m2"))):
        summary.append([key, value])
    tables = step_tables(run)
    for table in tables:
        summary.append([table["title"], *[f"{k}={v}" for k, v in table["totals"].items()]])
        sheet = book.create_sheet(_sheet_name(table["id"], used))
        sheet.append([table["title"], table["title_en"]])
        sheet["A1"].font = BOLD
        sheet.append(table["columns"])
        for c in sheet[2]:
            c.font = BOLD
        for row in table["rows"]:
            sheet.append(row)
    alerts, misses = alert_rows(run)
    sheet = book.create_sheet(_sheet_name("alerts", used))
    sheet.append(list(ALERT_COLUMNS))
    for row in alerts:
        sheet.append(row)
    sheet = book.create_sheet(_sheet_name("indicator_alerts", used))
    sheet.append(list(INDICATOR_COLUMNS))
    for row in misses:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
