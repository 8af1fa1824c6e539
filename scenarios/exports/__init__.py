"""Exports of a scenario run: XLSX (openpyxl), PDF (reportlab, with a map image) and offline HTML (folium)."""

from __future__ import annotations

from typing import Any

from mapserver.errors import InvalidParameterValue
from scenarios.exports import labels
from scenarios.models import ScenarioRun
from scenarios.specs import ScenarioSpec

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
    "html": ("text/html; charset=utf-8", "html"),
}


def export_run(run: ScenarioRun, spec: ScenarioSpec, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file extension) of the run in the format."""
    if fmt not in FORMATS:
        raise InvalidParameterValue(f"format must be one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        from scenarios.exports.xlsx import render
    elif fmt == "pdf":
        from scenarios.exports.pdf import render
    else:
        from scenarios.exports.html import render
    return render(run, spec), *FORMATS[fmt]


def cell(value: Any) -> Any:
    """A value fit for a table cell (lists and dicts flattened to text)."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value[:20]) + (" ..." if len(value) > 20 else "")
    return value


def step_tables(run: ScenarioRun, spec: ScenarioSpec | None = None) -> list[dict[str, Any]]:
    """Per step: title, totals, column names, their Vietnamese headers and rows (category values labelled, cells
    flattened), in declaration order. Labels come from the attribute records of the layers the step reads."""
    tables = []
    steps = labels.steps_by_id(spec)
    for step_id, group in (run.result or {}).get("groups", {}).items():
        rows = group.get("rows", [])
        step = steps.get(step_id)
        layers = labels.step_layers(step) if step is not None else []
        columns: list[str] = []
        for row in rows:
            columns.extend(k for k in row if k not in columns and k not in ("feature_ids", "sensor_id", "group_id"))
        tables.append(
            {
                "id": step_id,
                "title": group.get("title", step_id),
                "title_en": group.get("title_en", ""),
                "totals": {labels.header(k, layers): cell(v) for k, v in group.get("totals", {}).items()},
                "columns": columns,
                "headers": [labels.header(c, layers) for c in columns],
                "rows": [[cell(_labelled(step, layers, row, c)) for c in columns] for row in rows],
            }
        )
    return tables


def _labelled(step: Any, layers: list, row: dict, column: str) -> Any:
    if column == "label" and step is not None and row.get("label") == row.get("key"):
        return labels.group_name(step, layers, row.get("key"))
    return labels.value(column, row.get(column), layers)


NO_RECENT_DATA = "Không có dữ liệu mới"
ALERT_COLUMNS = ("severity", "label", "metric", "value", "threshold", "message")
INDICATOR_COLUMNS = ("severity", "indicator", "commune", "period", "value", "target", "gap")


def alert_rows(run: ScenarioRun) -> tuple[list[list], list[list]]:
    """(scenario alerts, indicator alerts) as table rows."""
    result = run.result or {}
    alerts = [[cell(a.get(c)) for c in ALERT_COLUMNS] for a in result.get("alerts", [])]
    # rules whose data is older than its freshness limit: neither an alarm nor an all-clear
    alerts += [
        [NO_RECENT_DATA, n.get("title"), "", "", "", cell(n.get("message"))] for n in result.get("no_recent_data", [])
    ]
    misses = [[cell(a.get(c)) for c in INDICATOR_COLUMNS] for a in result.get("indicator_alerts", [])]
    return alerts, misses
