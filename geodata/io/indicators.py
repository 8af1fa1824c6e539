"""Indicator values from the XLSX template the departments fill: one row per commune, indicator and period."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from geodata.models import Commune, Indicator, IndicatorValue
from geodata.signals import layer_data_changed

SHEET = "values"
COLUMNS = {  # attribute: accepted headers (compared without accents, case and spaces)
    "commune_code": ("commune_code", "ma_xa", "ma xa", "code"),
    "commune_name": ("commune_name", "ten_xa", "ten xa", "xa", "commune", "xa/phuong", "ten xa/phuong"),
    "indicator_code": ("indicator_code", "ma_chi_tieu", "ma chi tieu", "indicator", "chi tieu"),
    "period": ("period", "ky", "ky bao cao", "ky_bao_cao"),
    "value": ("value", "gia_tri", "gia tri"),
}
PROVINCE_NAMES = {"tinh", "tinh dong nai", "province", "toan tinh"}  # commune_name of a province figure's row
PROVINCE_LABEL = "Tỉnh Đồng Nai"
PERIOD_FORMS = {"month": "YYYY-MM", "quarter": "YYYY-Qn", "year": "YYYY"}


def _fold(text: str) -> str:
    """Lower case without Vietnamese accents (đ -> d), for matching headers and commune names."""
    text = unicodedata.normalize("NFD", str(text).strip().lower()).replace("đ", "d")
    return "".join(c for c in text if unicodedata.category(c) != "Mn").replace("_", " ")


@dataclass
class IndicatorReport:
    """Rows read and written, and every problem as (spreadsheet row, column, reason)."""

    rows_read: int = 0
    written: int = 0
    errors: list[str] = field(default_factory=list)
    row_errors: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.row_errors

    def lines(self) -> list[str]:
        out = [f"refused: {e}" for e in self.errors]
        out += [f"row {r}, {c}: {reason}" for r, c, reason in self.row_errors]
        verdict = "written" if self.ok else "REFUSED, nothing written"
        return [*out, f"indicator values: {verdict}; rows read {self.rows_read}, written {self.written}"]


def period_key(value, kind: str) -> str:
    """The stored period (2026-03, 2026-Q1, 2026) of a cell; ValueError naming the expected form."""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return {
            "month": f"{value.year}-{value.month:02d}",
            "year": f"{value.year}",
            "quarter": f"{value.year}-Q{(value.month - 1) // 3 + 1}",
        }[kind]
    text = str(int(value) if isinstance(value, float) and value.is_integer() else value).strip().upper()
    patterns = {
        "month": [(r"^(\d{4})-(\d{1,2})$", lambda m: (m[1], m[2])), (r"^(\d{1,2})/(\d{4})$", lambda m: (m[2], m[1]))],
        "quarter": [
            (r"^(\d{4})-?Q([1-4])$", lambda m: (m[1], m[2])),
            (r"^Q([1-4])[/ -](\d{4})$", lambda m: (m[2], m[1])),
        ],
        "year": [(r"^(\d{4})$", lambda m: (m[1], None))],
    }
    for pattern, parts in patterns[kind]:
        match = re.match(pattern, text)
        if match:
            year, sub = parts(match)
            if kind == "month" and not 1 <= int(sub) <= 12:
                break
            return {"month": f"{year}-{int(sub or 0):02d}", "quarter": f"{year}-Q{sub}", "year": year}[kind]
    raise ValueError(f"{value!r} is not a {kind} period ({PERIOD_FORMS[kind]})")


def _columns(frame: pd.DataFrame, report: IndicatorReport) -> dict[str, str]:
    headers = {_fold(c): c for c in frame.columns if not str(c).startswith("Unnamed")}
    found = {}
    for attribute, names in COLUMNS.items():
        match = next((headers[_fold(n)] for n in names if _fold(n) in headers), None)
        if match is not None:
            found[attribute] = match
    missing = [a for a in ("indicator_code", "period", "value") if a not in found]
    if "commune_code" not in found and "commune_name" not in found:
        missing.insert(0, "commune_code (or commune_name)")
    if missing:
        report.errors.append(f"columns missing: {', '.join(missing)} (the template's header row has them all)")
    return found


def _blank(value) -> bool:
    return (
        value is None or (isinstance(value, float) and pd.isna(value)) or (isinstance(value, str) and not value.strip())
    )


class _Resolver:
    """Looks up communes (by code or accent-insensitive name) and indicators."""

    def __init__(self) -> None:
        communes = list(Commune.objects.values_list("code", "name"))
        self.codes = {code for code, _ in communes}
        self.names = {_fold(name): code for code, name in communes}
        self.indicators = {i.code: i for i in Indicator.objects.all()}

    def commune(self, code, name) -> str:
        if not _blank(code):
            text = str(int(code) if isinstance(code, float) else code).strip()
            if text not in self.codes:
                raise ValueError(f"unknown commune code {text!r}")
            return text
        if not _blank(name) and _fold(name) in PROVINCE_NAMES:
            return ""  # a province (or department) figure
        if not _blank(name) and _fold(name) in self.names:
            return self.names[_fold(name)]
        raise ValueError(f"unknown commune {name!r}" if not _blank(name) else "commune code or name missing")


def _row(i: int, row: dict, cols: dict[str, str], resolver: _Resolver, report: IndicatorReport):
    number = i + 2  # spreadsheet row (row 1 is the header)
    get = lambda a: row.get(cols[a]) if a in cols else None  # noqa: E731
    problems = []
    try:
        commune = resolver.commune(get("commune_code"), get("commune_name"))
    except ValueError as exc:
        problems.append((number, cols.get("commune_code", cols.get("commune_name")), str(exc)))
        commune = None
    indicator = resolver.indicators.get(str(get("indicator_code")).strip())
    if indicator is None:
        problems.append((number, cols["indicator_code"], f"unknown indicator code {get('indicator_code')!r}"))
    period = None
    if indicator is not None:
        try:
            period = period_key(get("period"), indicator.period_kind)
        except ValueError as exc:
            problems.append((number, cols["period"], str(exc)))
    try:
        value = float(str(get("value")).replace(",", ".")) if isinstance(get("value"), str) else float(get("value"))
        if pd.isna(value):
            raise ValueError
    except (TypeError, ValueError):
        problems.append((number, cols["value"], f"{get('value')!r} is not a number"))
        value = None
    report.row_errors += problems
    return None if problems else (indicator, commune, period, value)


@dataclass(frozen=True)
class SheetRow:
    """One checked row of the template: its spreadsheet row number, the headers it was read from, its figure."""

    number: int
    columns: dict
    indicator: Indicator
    commune_code: str
    period: str
    value: float


def read_rows(source, report: IndicatorReport | None = None) -> tuple[IndicatorReport, list[SheetRow]]:
    """Read and check every row of a template (a path or a file object); problems go to the report by row and
    column, duplicates of (commune, indicator, period) included. Nothing is written."""
    report = report or IndicatorReport()
    try:
        sheets = pd.read_excel(source, sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl/zipfile raise many kinds for a damaged workbook
        name = Path(source).name if isinstance(source, (str, Path)) else "the upload"
        report.errors.append(f"{name}: cannot be read as XLSX ({type(exc).__name__}: {exc})")
        return report, []
    frame = sheets.get(SHEET, next(iter(sheets.values())))
    cols = _columns(frame, report)
    if report.errors:
        return report, []
    resolver, found, seen = _Resolver(), [], {}
    for i, row in enumerate(frame.to_dict("records")):
        if all(_blank(row.get(cols[a])) for a in ("indicator_code", "period", "value") if a in cols):
            continue  # a template row nobody filled
        report.rows_read += 1
        checked = _row(i, row, cols, resolver, report)
        if checked:
            key = (checked[0].code, checked[1], checked[2])
            if key in seen:
                report.row_errors.append(
                    (i + 2, cols["period"], f"same commune, indicator and period as row {seen[key]}")
                )
            seen[key] = i + 2
            found.append(SheetRow(i + 2, cols, *checked))
    return report, found


def import_indicator_values(path: str | Path, dry_run: bool = False) -> IndicatorReport:
    """Check every row of the template, then upsert all values in one transaction (or none)."""
    report, found = read_rows(path)
    if report.ok:
        values = [
            IndicatorValue(
                indicator=r.indicator,
                commune_code=r.commune_code,
                period=r.period,
                value=r.value,
                entered_by="geodata_import_indicators",
                entered_at=timezone.now(),
                source="import",
            )
            for r in found
        ]
        with transaction.atomic():
            IndicatorValue.objects.bulk_create(
                values,
                update_conflicts=True,
                update_fields=["value", "entered_by", "entered_at", "source"],
                unique_fields=["indicator", "commune_code", "period"],
            )
            transaction.set_rollback(dry_run)
        report.written = len(values)
        if not dry_run:
            layer_data_changed.send(sender=import_indicator_values, model=IndicatorValue, bbox=None)
    return report


def write_template(
    output, indicator: str | None = None, period: str | None = None, rows: list[tuple] | None = None
) -> int:
    """Write the blank template: one row per commune (optionally pre-filled with an indicator and period), or the
    given rows (commune_code, commune_name, indicator_code, period, value) for one unit's entry."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(["commune_code", "commune_name", "indicator_code", "period", "value"])
    if rows is None:
        communes = list(Commune.objects.order_by("code").values_list("code", "name"))
        rows = [(code, name, indicator or "", period or "", None) for code, name in communes]
    for row in rows:
        sheet.append(list(row))
    communes = rows
    indicators = list(Indicator.objects.order_by("code"))
    listing = book.create_sheet("indicators")
    listing.append(["code", "name", "unit", "period", "period_form", "target", "higher_is_better", "department"])
    for ind in indicators:
        listing.append(
            [
                ind.code,
                ind.name,
                ind.unit,
                ind.period_kind,
                PERIOD_FORMS.get(ind.period_kind, ""),
                ind.target,
                ind.higher_is_better,
                ind.department,
            ]
        )
    if indicators and communes:
        choice = DataValidation(type="list", formula1=f"=indicators!$A$2:$A${len(indicators) + 1}", allow_blank=True)
        sheet.add_data_validation(choice)
        choice.add(f"C2:C{len(communes) + 1}")
    for column, width in zip("ABCDE", (14, 36, 22, 12, 14)):
        sheet.column_dimensions[column].width = width
    book.save(output)
    return len(communes)
