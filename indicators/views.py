"""The entry API: /api/indicators/entry (form, JSON write), /entry/upload (XLSX), /entry/template, the versions
of a figure (/api/indicators/{code}/history), period locks and the submission tracker."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geodata.io.indicators import PROVINCE_LABEL, read_rows, write_template
from geodata.models import Commune, Indicator, PeriodLock
from geodata.models.indicators import PERIOD, PROVINCE
from indicators import access, entry, forms, tracker
from mapserver import audit
from mapserver.csrf import session_csrf
from mapserver.errors import Forbidden, InvalidParameterValue, NotFound
from mapserver.jsonio import JsonResponse, parse_json
from mapserver.scoping import home_commune, require_staff

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(value: Any) -> str:
    if not isinstance(value, str) or not PERIOD.match(value):
        raise InvalidParameterValue(f"period must look like 2026, 2026-Q1 or 2026-03, got {value!r}")
    return value


def _unit(value: Any, principal) -> str:
    """The unit of a form: a commune code, "" for the province; a commune officer's default is their commune."""
    if value is None:
        return home_commune(principal) or PROVINCE
    if not isinstance(value, str) or (value and (not value.isdigit() or len(value) > 8)):
        raise InvalidParameterValue(f"commune must be a commune code or empty (the province), got {value!r}")
    return value


def _refused(error: entry.EntryRefused) -> JsonResponse:
    return JsonResponse({"code": error.code, "description": error.description, "errors": error.errors}, status=400)


@session_csrf
@require_http_methods(["GET", "POST"])
def entry_view(request: HttpRequest) -> JsonResponse:
    """GET ?period=&commune=: the caller's form; POST {"period", "commune", "values": [{"indicator", "value"}]}."""
    access.require_writer(request.principal)
    if request.method == "GET":
        unit = _unit(request.GET.get("commune"), request.principal)
        return JsonResponse(forms.entry_form(request.principal, unit, _period(request.GET.get("period"))))
    body = parse_json(request.body)
    if not isinstance(body, dict) or not isinstance(body.get("values"), list):
        raise InvalidParameterValue('the body must be {"period", "commune", "values": [{"indicator", "value"}]}')
    unit, period = _unit(body.get("commune"), request.principal), body.get("period")
    rows = []
    for i, item in enumerate(body["values"]):
        if not isinstance(item, dict) or not isinstance(item.get("indicator"), str):
            raise InvalidParameterValue(f'values[{i}] must be {{"indicator": CODE, "value": NUMBER}}')
        rows.append(entry.Row(i, item["indicator"], unit, item.get("period", period), item.get("value")))
    try:
        counts = entry.write(rows, request.principal, source="api" if request.principal.token_id else "form")
    except entry.EntryRefused as error:
        return _refused(error)
    return JsonResponse({"written": counts, "form": forms.entry_form(request.principal, unit, rows[0].period)})


@session_csrf
@require_POST
def upload_view(request: HttpRequest) -> JsonResponse:
    """POST multipart `file`: the XLSX template, every row checked (errors by row and column), all or nothing."""
    access.require_writer(request.principal)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES:
        raise InvalidParameterValue(f"the upload is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidParameterValue("send the workbook as the multipart field `file`")
    report, found = read_rows(io.BytesIO(upload.read()))
    if report.errors:
        raise InvalidParameterValue("; ".join(report.errors))
    errors = [{"row": r, "column": c, "description": d} for r, c, d in report.row_errors]
    rows = [
        entry.Row(f.number, f.indicator.code, f.commune_code, f.period, f.value, _columns(f.columns)) for f in found
    ]
    try:
        if errors:  # rows that could not be read; the readable ones are checked too, so every problem is listed
            try:
                entry.check(rows, request.principal) if rows else None
            except entry.EntryRefused as more:
                errors += more.errors
            raise entry.EntryRefused(sorted(errors, key=lambda e: e["row"]))
        counts = entry.write(rows, request.principal, source="xlsx")
    except entry.EntryRefused as error:
        return _refused(error)
    return JsonResponse({"written": counts, "rows_read": report.rows_read})


def _columns(cols: dict) -> dict:
    return {
        "indicator": cols.get("indicator_code", "indicator_code"),
        "commune": cols.get("commune_code", cols.get("commune_name", "commune_code")),
        "period": cols.get("period", "period"),
        "value": cols.get("value", "value"),
    }


@require_GET
def template_view(request: HttpRequest) -> HttpResponse:
    """GET ?period=&commune=: the XLSX template pre-filled with the caller's rows for that unit and period."""
    access.require_writer(request.principal)
    period = _period(request.GET.get("period"))
    unit = _unit(request.GET.get("commune"), request.principal)
    form = forms.entry_form(request.principal, unit, period)
    name = Commune.objects.filter(code=unit).values_list("name", flat=True).first() if unit else PROVINCE_LABEL
    rows = [(unit, name, f["indicator"], period, f["value"]) for f in form["fields"]]
    out = io.BytesIO()
    write_template(out, rows=rows)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chi_tieu_{unit or "tinh"}_{period}.xlsx"'
    return response


@require_GET
def history_view(request: HttpRequest, code: str) -> JsonResponse:
    """GET ?commune=&period=: the current figure and every earlier version (who entered it, when, who replaced)."""
    require_staff(request.principal, "the versions of figures are for staff")
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise NotFound(f"no indicator {code!r}")
    unit = _unit(request.GET.get("commune", ""), request.principal)
    if not access.reads_history(request.principal, indicator, unit):
        raise Forbidden("you may not read the versions of this figure")
    period = _period(request.GET["period"]) if request.GET.get("period") else None
    return JsonResponse({"indicator": code, "commune": unit, "versions": entry.history(indicator, unit, period)})


@session_csrf
@require_http_methods(["POST", "DELETE"])
def lock_view(request: HttpRequest, period: str) -> JsonResponse:
    """POST: lock the reviewed period (no figure of it may be written); DELETE: unlock it. IOC only."""
    access.require_ioc(request.principal)
    period = _period(period)
    if request.method == "POST":
        lock, created = PeriodLock.objects.get_or_create(
            period=period, defaults={"locked_by": request.principal.username, "locked_at": timezone.now()}
        )
    else:
        created = bool(PeriodLock.objects.filter(period=period).delete()[0])
        lock = None
    audit.record(request.principal, "indicator_lock" if lock else "indicator_unlock", "indicators", period)
    return JsonResponse(
        {
            "period": period,
            "locked": lock is not None,
            "locked_by": lock.locked_by if lock else None,
            "locked_at": lock.locked_at if lock else None,
            "changed": created,
        }
    )


@require_GET
def lock_list(request: HttpRequest) -> JsonResponse:
    """The locked periods."""
    require_staff(request.principal, "for staff")
    locks = PeriodLock.objects.order_by("-period")
    return JsonResponse(
        {"locks": [{"period": x.period, "locked_by": x.locked_by, "locked_at": x.locked_at} for x in locks]}
    )


@session_csrf
@require_http_methods(["GET", "POST"])
def tracker_view(request: HttpRequest) -> JsonResponse:
    """GET ?period=: who has not reported what (department staff: their indicators; commune staff: their commune);
    POST ?period=: raise and resolve the period's "not reported" alerts now (IOC)."""
    require_staff(request.principal, "the submission tracker is for staff")
    period = _period(request.GET.get("period"))
    if request.method == "POST":
        access.require_ioc(request.principal)
        return JsonResponse(tracker.raise_alerts(period))
    commune = home_commune(request.principal)
    return JsonResponse(tracker.track(period, access.visible_indicators(request.principal), commune))
