"""PDF export (reportlab): figures and alerts in a Unicode TTF (Vietnamese), then the map as an image."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mapserver.errors import ServiceUnavailable
from scenarios.exports import ALERT_COLUMNS, INDICATOR_COLUMNS, alert_rows, step_tables
from scenarios.exports.mapimage import render_png
from scenarios.models import ScenarioRun
from scenarios.specs import ScenarioSpec

FONT_PATHS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)  # Debian fonts-dejavu-core
FONT = "DejaVuSans"
MAX_ROWS = 40  # per step table in the PDF; the XLSX has them all


def _register_font() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    path = next((p for p in FONT_PATHS if p.exists()), None)
    if path is None:
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"  # the same font, bundled
    if not path.exists():
        raise ServiceUnavailable("no Unicode TTF font for PDF exports (install fonts-dejavu-core)")
    pdfmetrics.registerFont(TTFont(FONT, str(path)))


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        name: ParagraphStyle(name, parent=base[parent], fontName=FONT, fontSize=size, leading=size * 1.25)
        for name, parent, size in (
            ("title", "Title", 16),
            ("h2", "Heading2", 11),
            ("body", "BodyText", 8),
            ("cell", "BodyText", 6.5),
        )
    }


def _table(columns: list[str] | tuple[str, ...], rows: list[list], styles: dict) -> Table:
    data = [[Paragraph(escape(str(c)), styles["cell"]) for c in columns]]
    data += [[Paragraph(escape("" if v is None else str(v)), styles["cell"]) for v in row] for row in rows[:MAX_ROWS]]
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render(run: ScenarioRun, spec: ScenarioSpec) -> bytes:
    """The report: title and inputs, each step's totals and rows, alerts, indicator misses, then the map page."""
    _register_font()
    styles = _styles()
    story = [
        Paragraph(escape(f"{spec.title} ({spec.title_en})"), styles["title"]),
        Paragraph(escape(f"Lượt chạy {run.id} · {run.level} · {run.created_at:%d/%m/%Y %H:%M}"), styles["body"]),
        Paragraph(escape(f"Vùng phân tích: {run.area.get('type')} · Tham số: {run.params}"), styles["body"]),
        Spacer(1, 0.3 * cm),
    ]
    for table in step_tables(run, spec):
        story.append(Paragraph(escape(table["title"]), styles["h2"]))
        story.append(Paragraph(escape("; ".join(f"{k}: {v}" for k, v in table["totals"].items())), styles["body"]))
        if table["rows"]:
            story.append(_table(table["headers"], table["rows"], styles))
            if len(table["rows"]) > MAX_ROWS:
                story.append(Paragraph(f"… {len(table['rows']) - MAX_ROWS} dòng nữa trong tệp XLSX", styles["body"]))
    alerts, misses = alert_rows(run)
    story.append(Paragraph(escape(f"Cảnh báo ({len(alerts)})"), styles["h2"]))
    if alerts:
        story.append(_table(ALERT_COLUMNS, alerts, styles))
    story.append(Paragraph(escape(f"Chỉ tiêu chưa đạt ({len(misses)})"), styles["h2"]))
    if misses:
        story.append(_table(INDICATOR_COLUMNS, misses, styles))
    story += [
        PageBreak(),
        Paragraph(escape(f"Bản đồ kết quả – {spec.title}"), styles["h2"]),
        Image(io.BytesIO(render_png(run, spec)), width=17 * cm, height=13.6 * cm, kind="proportional"),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        title=spec.title,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    ).build(story)
    return out.getvalue()
