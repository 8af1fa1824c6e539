"""geodata_import: check a whole file, then write it in one transaction, or write nothing and say why."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psycopg
from django.db import DatabaseError, transaction
from django.utils import timezone
from tqdm import tqdm

from geodata import crs
from geodata.io import geometry
from geodata.io.columns import convert_column, map_columns
from geodata.io.queries import raw_cursor, statement
from geodata.io.readers import ReadError, Source, read_source
from geodata.io.targets import ADMIN_LAYERS, Target, get_target
from geodata.io.writer import copy_rows
from geodata.signals import layer_data_changed

WRONG_CRS_SHARE = 0.5  # when at least half the features land outside the province, the CRS is the likely cause
PROGRESS_FROM = 10_000  # rows: show a progress bar on files at least this large
SHOWN_ERRORS = 50


@dataclass
class ImportReport:
    """The outcome of an import: counts, time, and every reason for refusal."""

    layer_id: str
    path: str
    rows_read: int = 0
    written: int = 0
    repaired: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    crs_title: str = ""
    errors: list[str] = field(default_factory=list)  # file-level reasons
    row_errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, column, reason)
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len({row for row, _, _ in self.row_errors})

    @property
    def ok(self) -> bool:
        return not self.errors and not self.row_errors

    def lines(self) -> list[str]:
        """A human summary: problems first, then the counts."""
        out = [f"refused: {e}" for e in self.errors]
        out += [f"row {row}, {column}: {reason}" for row, column, reason in self.row_errors[:SHOWN_ERRORS]]
        if len(self.row_errors) > SHOWN_ERRORS:
            out.append(f"... and {len(self.row_errors) - SHOWN_ERRORS} more row problems")
        out += [f"note: {n}" for n in self.notes]
        rate = self.written / self.seconds if self.seconds else 0.0
        verdict = (
            "dry run, nothing written"
            if self.dry_run and self.ok
            else ("imported" if self.ok else "REFUSED, nothing written")
        )
        out.append(
            f"{self.layer_id} <- {Path(self.path).name}: {verdict}; rows read {self.rows_read}, "
            f"written {self.written}, repaired {self.repaired}, refused {self.refused}; "
            f"{self.seconds:.2f} s, {rate:.0f} features/s"
        )
        return out


def source_crs(declared: str | None, srs: str | None, report: ImportReport) -> crs.CrsDef | None:
    """The CRS to read coordinates in: --srs when given, else the file's; None (with a reason) if neither."""
    try:
        if srs:
            chosen = crs.crs_for_input(srs)
            if declared and crs.crs_for_input(declared).uri != chosen.uri:
                report.notes.append(f"the file declares another CRS; --srs {srs} used as asked")
            return chosen
        if declared:
            return crs.crs_for_input(declared)
    except ValueError as exc:
        report.errors.append(str(exc))
        return None
    report.errors.append(
        "the file declares no CRS (no .prj, no crs member, or a CSV/XLSX); pass --srs, e.g. "
        "--srs EPSG:5899 for VN-2000 TM-3 107°45' or --srs EPSG:4326 for longitude/latitude"
    )
    return None


def _check_columns(source: Source, target: Target, report: ImportReport) -> dict[str, str]:
    columns = map_columns(list(source.attributes.columns), target)
    if columns.dropped:
        report.notes.append(f"row identifier columns not imported: {', '.join(columns.dropped)}")
    if columns.unknown:
        report.errors.append(
            f"unknown columns {', '.join(columns.unknown)}; {target.layer_id} accepts "
            f"{', '.join(target.importable())} (or their aliases)"
        )
    report.errors += [f"ambiguous columns: {d}" for d in columns.duplicates]
    if columns.missing_required:
        report.errors.append(f"required columns missing: {', '.join(columns.missing_required)}")
    return columns.mapping


def _convert(source: Source, target: Target, mapping: dict[str, str], report: ImportReport) -> dict[str, list]:
    fields = target.importable()
    values = {}
    for column, attribute in mapping.items():
        values[attribute], problems = convert_column(source.attributes[column], fields[attribute])
        report.row_errors += [(source.row_number(i), str(column), reason) for i, reason in problems]
    for name, f in fields.items():  # attributes the file leaves out take their default (the table has none)
        if name not in values:
            values[name] = [None if f.null and not f.has_default() else f.get_default()] * len(source)
    stored = {f.name for f in target.model._meta.concrete_fields}
    if "synthetic" in stored:
        values["synthetic"] = [False] * len(source)  # imported data is real data
    if "updated_at" in stored:
        values["updated_at"] = [timezone.now()] * len(source)
    return values


def _check_place(
    conformed: geometry.Conformed, values: dict[str, list], source: Source, src: crs.CrsDef, report: ImportReport
) -> None:
    with raw_cursor() as cursor:
        cursor.execute(statement("province_wkb"))
        area = geometry.province_area(cursor.fetchone()[0])
        cursor.execute(statement("commune_codes"))
        known = {code for code, _ in cursor.fetchall()}
    far = geometry.outside(conformed.geometries, area)
    if far.sum() and far.sum() >= WRONG_CRS_SHARE * max(1, np.count_nonzero(conformed.geometries != None)):  # noqa: E711
        report.errors.append(
            f"{far.sum()} of {len(far)} features fall outside Đồng Nai after transformation "
            f"from {src.title}: wrong CRS? (pass --srs with the right one)"
        )
    else:
        report.row_errors += [(source.row_number(int(i)), "geometry", "outside Đồng Nai") for i in np.flatnonzero(far)]
    for i, code in enumerate(values.get("commune_code", [])):
        if code and code not in known:
            report.row_errors.append((source.row_number(i), "commune_code", f"unknown commune code {code!r}"))


def check_file(source: Source, target: Target, srs: str | None, report: ImportReport):
    """Every check before writing; returns (attribute values, geometries) or None when refused."""
    report.row_errors += [(source.row_number(i), column, reason) for i, column, reason in source.row_errors]
    src = source_crs(source.crs_text, srs, report)
    mapping = _check_columns(source, target, report)
    if src is None or report.errors:
        return None
    report.crs_title = src.title
    values = _convert(source, target, mapping, report)
    transformer = None if src.srid == 4326 else crs.transformer(src, crs.WGS84)
    conformed = geometry.conform(source.geometries, target.geometry_type, transformer)
    report.repaired = conformed.repaired
    report.row_errors += [(source.row_number(i), column, reason) for i, column, reason in conformed.errors]
    _check_place(conformed, values, source, src, report)
    report.row_errors.sort()
    return None if not report.ok else (values, conformed.geometries)


def write(target: Target, values: dict[str, list], geometries: np.ndarray, mode: str, progress: bool) -> int:
    """Replace or append the rows and fill missing commune codes; the caller holds the transaction."""
    table = target.table
    with raw_cursor() as cursor:
        if mode == "replace":
            cursor.execute(statement("delete_all", table))
        cursor.execute(statement("max_id", table))
        after_id = cursor.fetchone()[0]
    bar = tqdm(
        total=len(geometries),
        desc=f"writing {target.layer_id}",
        unit="features",
        disable=not progress or len(geometries) < PROGRESS_FROM,
    )
    with bar:
        written = copy_rows(table, values, geometries, bar.update)
    if "commune_code" in target.importable():
        with raw_cursor() as cursor:
            cursor.execute(statement("fill_commune_codes", table), {"after_id": after_id})
    return written


def import_file(
    path: str | Path,
    layer_id: str,
    *,
    srs: str | None = None,
    encoding: str | None = None,
    mode: str = "append",
    dry_run: bool = False,
    source_layer: str | None = None,
    progress: bool = True,
) -> ImportReport:
    """Import a file into a layer: all rows or none; the report says which and why."""
    started = time.monotonic()
    report = ImportReport(layer_id, str(path), dry_run=dry_run)
    try:
        target = get_target(layer_id)
        if layer_id in ADMIN_LAYERS:
            raise ValueError(f"{layer_id} holds administrative units: use geodata_import_admin")
        if mode not in ("append", "replace"):
            raise ValueError(f"mode must be append or replace, not {mode!r}")
        source = read_source(path, encoding, source_layer)
    except (ValueError, ReadError) as exc:
        report.errors.append(str(exc))
        return report
    report.rows_read = len(source)
    checked = check_file(source, target, srs, report)
    if checked is not None:
        try:
            with transaction.atomic():
                report.written = write(target, *checked, mode, progress)
                transaction.set_rollback(dry_run)
        except (psycopg.Error, DatabaseError) as exc:  # e.g. a duplicate of a unique code already stored
            report.errors.append(f"the database refused the rows: {str(exc).splitlines()[0]}")
            report.written = 0
        if report.ok and not dry_run:
            layer_data_changed.send(sender=import_file, model=target.model, bbox=None)
    report.seconds = time.monotonic() - started
    return report
