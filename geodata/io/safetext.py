"""Stored text made safe for the formats it is written into: XML 1.0 (Open311 XML, XLSX, PDF markup) and
spreadsheets (CSV and XLSX cells a spreadsheet would run as formulas). Every export and XML writer uses these.

Text comes from citizens (field reports) and editors (OGC API writes), so it may hold control characters XML
forbids (one of them made a whole requests.xml unreadable) or start like a formula (`=HYPERLINK(...)`, `@SUM(...)`).
"""

from __future__ import annotations

import re
from typing import Any

# Characters XML 1.0 does not allow (its Char production): C0 controls but tab/LF/CR, lone surrogates, FFFE/FFFF.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"): = + - @, and tab/CR before them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xml_text(text: str) -> str:
    """The text without the characters XML 1.0 forbids (the rest is kept as it is)."""
    return XML_FORBIDDEN.sub("", text)


def looks_like_formula(value: Any) -> bool:
    """True for text a spreadsheet would evaluate (or start evaluating when the cell is edited)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A CSV value: formula-like text gets a leading single quote, so spreadsheets show it as text."""
    return f"'{value}" if looks_like_formula(value) else value


def xlsx_value(value: Any) -> Any:
    """A value openpyxl can write: text without XML-forbidden characters (numbers and dates unchanged)."""
    return xml_text(value) if isinstance(value, str) else value


def inert_cell(cell) -> None:
    """Store an openpyxl cell holding formula-like text as a string with Excel's quote prefix (shown as typed,
    never evaluated); openpyxl would otherwise write text starting with '=' as a formula."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def append_row(sheet, values: list) -> None:
    """Append a row to a (normal) openpyxl worksheet with every text cell made safe."""
    sheet.append([xlsx_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        inert_cell(cell)
