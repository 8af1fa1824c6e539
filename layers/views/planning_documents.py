"""GET /documents/planning/{commune}/{zone}/{kind}.pdf: a planning zone's drawing, explanatory text and approval
decision (Art. 9.5đ: plans with drawings, text and decision). A file the province placed under
MAPSERVER_MEDIA_DIR/documents/planning/ is served as it is; for a synthetic sample zone with no file, a one-page
PDF that says it is a sample is drawn from the zone's record, so the layer's links never lead nowhere."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from geodata.models import PlanningZone
from layers.views.common import readable
from mapserver.errors import NotFound

KINDS = {
    "drawing": ("drawing_url", "Bản vẽ quy hoạch"),
    "text": ("text_url", "Thuyết minh quy hoạch"),
    "decision": ("decision_url", "Quyết định phê duyệt"),
}
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian fonts-dejavu-core (Vietnamese glyphs)


@require_GET
def planning_document(request: HttpRequest, commune: str, zone: str, kind: str) -> HttpResponse:
    """The stored document of a zone, or the sample sheet of a synthetic zone; 404 otherwise."""
    scope = readable(request, "planning_zones")
    if kind not in KINDS:
        raise NotFound(f"no planning document kind {kind[:20]!r}; one of {', '.join(KINDS)}")
    column, title = KINDS[kind]
    record = scope.queryset().filter(**{column: request.path}).first()
    if record is None:
        raise NotFound("no planning zone links to this document")
    stored = Path(settings.MAPSERVER_MEDIA_DIR) / "documents" / "planning" / commune / zone / f"{kind}.pdf"
    if stored.is_file():
        return FileResponse(stored.open("rb"), content_type="application/pdf", filename=stored.name)
    if not record.synthetic:
        raise NotFound("this document has not been uploaded yet")
    response = HttpResponse(_sample_sheet(record, title), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}.pdf"'
    return response


def _sample_sheet(record: PlanningZone, title: str) -> bytes:
    """One A4 page naming the zone and saying that it and its documents are synthetic sample data."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(f"{title} - {record.plan_name}")
    page.setFont("DejaVuSans", 15)
    page.drawString(56, 780, title)
    page.setFont("DejaVuSans", 10)
    lines = [
        record.plan_name,
        f"Quyết định số {record.decision_no}"
        + (f" ngày {record.decision_date:%d/%m/%Y}" if record.decision_date else ""),
        f"Cấp quy hoạch: {record.plan_level} · Mã đất: {record.land_use_code} · Xã/phường: {record.commune_code}",
        "",
        "DỮ LIỆU MẪU (tổng hợp): phân khu và tài liệu này do bộ sinh dữ liệu mẫu tạo ra, không phải quy hoạch",
        "được phê duyệt thật. Tài liệu thật được đặt tại MAPSERVER_MEDIA_DIR/documents/planning/.",
        "SYNTHETIC SAMPLE: this zone and document are generated, not an approved plan.",
    ]
    for number, text in enumerate(lines):
        page.drawString(56, 750 - 16 * number, text)
    page.showPage()
    page.save()
    return out.getvalue()
