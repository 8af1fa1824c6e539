"""geodata_import_indicators: the XLSX template, a good file, and a bad row that stops everything."""

from __future__ import annotations

from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from geodata.io.indicators import period_key
from geodata.models import Commune, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators():
    return [
        Indicator.objects.create(
            code="T_IO_MONTH",
            name="Tỷ lệ hồ sơ đúng hạn",
            unit="%",
            sector="home_affairs",
            department="Sở Nội vụ",
            target=95,
            period_kind="month",
        ),
        Indicator.objects.create(
            code="T_IO_YEAR",
            name="Số hộ nghèo",
            unit="hộ",
            sector="home_affairs",
            department="Sở Nội vụ",
            target=10,
            higher_is_better=False,
            period_kind="year",
        ),
    ]


def fill(path, rows):
    book = openpyxl.load_workbook(path)
    sheet = book["values"]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    book.save(path)


def run(path, *args) -> str:
    out = StringIO()
    call_command("geodata_import_indicators", str(path), *args, stdout=out, verbosity=0)
    return out.getvalue()


def test_template_lists_communes_and_indicators(tmp_path, indicators):
    path = tmp_path / "template.xlsx"
    call_command("geodata_import_indicators", "--template", str(path), stdout=StringIO())
    book = openpyxl.load_workbook(path)
    rows = list(book["values"].iter_rows(values_only=True))
    assert rows[0] == ("commune_code", "commune_name", "indicator_code", "period", "value")
    assert [r[0] for r in rows[1:]] == list(Commune.objects.order_by("code").values_list("code", flat=True))
    assert len(rows) - 1 == 95
    codes = [r[0] for r in book["indicators"].iter_rows(min_row=2, values_only=True)]
    assert {"T_IO_MONTH", "T_IO_YEAR"} <= set(codes)
    assert run(path).endswith("rows read 0, written 0\n")  # the blank template imports nothing


def test_filled_template_imports_and_updates(tmp_path, indicators):
    path = tmp_path / "t.xlsx"
    call_command("geodata_import_indicators", "--template", str(path), stdout=StringIO())
    first, second = Commune.objects.order_by("code")[:2]
    fill(
        path,
        [
            [first.code, None, "T_IO_MONTH", "2026-03", 91.5],
            [None, second.name.upper(), "T_IO_MONTH", "03/2026", "97,25"],
            [first.code, None, "T_IO_YEAR", 2025, 12],
        ],
    )
    assert "written 3" in run(path)
    assert (
        IndicatorValue.objects.get(indicator=indicators[0], commune_code=second.code, period="2026-03").value == 97.25
    )
    assert IndicatorValue.objects.get(indicator=indicators[1], commune_code=first.code, period="2025").value == 12
    fill(path, [[first.code, None, "T_IO_MONTH", "2026-03", 80]])
    run(path)
    assert IndicatorValue.objects.get(indicator=indicators[0], commune_code=first.code, period="2026-03").value == 80


def test_bad_row_refused_with_row_number_and_nothing_written(tmp_path, indicators):
    path = tmp_path / "t.xlsx"
    call_command("geodata_import_indicators", "--template", str(path), stdout=StringIO())
    first = Commune.objects.order_by("code").first()
    fill(
        path,
        [
            [first.code, None, "T_IO_MONTH", "2026-03", 91.5],
            [first.code, None, "T_IO_MONTH", "2026-04", "chín mươi"],
            ["99999", None, "T_IO_MONTH", "2026-05", 1],
            [first.code, None, "NOPE", "2026-05", 1],
            [first.code, None, "T_IO_MONTH", "2026-13", 1],
        ],
    )
    before = IndicatorValue.objects.count()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("geodata_import_indicators", str(path), stdout=out)
    text = out.getvalue()
    assert "row 3, value: 'chín mươi' is not a number" in text
    assert "row 4, commune_code: unknown commune code '99999'" in text
    assert "row 5, indicator_code: unknown indicator code 'NOPE'" in text
    assert "row 6, period:" in text and "YYYY-MM" in text
    assert IndicatorValue.objects.count() == before


def test_duplicate_rows_refused(tmp_path, indicators):
    path = tmp_path / "t.xlsx"
    call_command("geodata_import_indicators", "--template", str(path), stdout=StringIO())
    code = Commune.objects.order_by("code").first().code
    fill(path, [[code, None, "T_IO_MONTH", "2026-03", 1], [code, None, "T_IO_MONTH", "3/2026", 2]])
    with pytest.raises(CommandError):
        run(path)
    assert not IndicatorValue.objects.filter(indicator=indicators[0]).exists()


def test_corrupt_workbook_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("geodata_import_indicators", str(path), stdout=out)
    assert "cannot be read as XLSX" in out.getvalue()


@pytest.mark.parametrize(
    ("cell", "kind", "expected"),
    [
        ("2026-3", "month", "2026-03"),
        ("11/2025", "month", "2025-11"),
        ("2026-Q2", "quarter", "2026-Q2"),
        ("Q4/2025", "quarter", "2025-Q4"),
        (2026.0, "year", "2026"),
    ],
)
def test_period_forms(cell, kind, expected):
    assert period_key(cell, kind) == expected
