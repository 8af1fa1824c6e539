"""geodata_import: check a file chunk by chunk while one transaction COPYs it; all rows or none, and say why."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pyproj
import shapely
from django.db import DatabaseError, transaction
from django.utils import timezone
from tqdm import tqdm

from geodata import crs
from geodata.io import geometry
from geodata.io.columns import convert_column, map_columns
from geodata.io.places import Places, load_places
from geodata.io.queries import raw_cursor, statement
from geodata.io.readers import ReadError, Source, read_source
from geodata.io.targets import ADMIN_LAYERS, Target, get_target
from geodata.io.writer import copy_into
from geodata.signals import layer_data_changed

WRONG_CRS_SHARE = 0.5  # when at least half the features land outside the province, the CRS is the likely cause
PROGRESS_FROM = 10_000  # rows: show a progress bar on files at least this large
CHUNK = 10_000  # rows checked, then sent, at a time
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
    columns = map_columns(list(source.columns), target)
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


@dataclass
class Plan:
    """What the file-level checks settled, for checking and writing the rows chunk by chunk."""

    target: Target
    src: crs.CrsDef
    mapping: dict[str, str]
    transformer: pyproj.Transformer | None
    places: Places
    now: dt.datetime = field(default_factory=timezone.now)  # one updated_at for the whole import
    present: int = 0  # rows with a geometry
    outside: list[int] = field(default_factory=list)  # row numbers of features outside the province


def _columns(target: Target) -> list[str]:
    """The columns an import writes (besides geom): every importable attribute and the pipeline's own."""
    stored = {f.name for f in target.model._meta.concrete_fields}
    return [*target.importable(), *(name for name in ("synthetic", "updated_at") if name in stored)]


def _convert(source: Source, attributes: pd.DataFrame, first: int, plan: Plan, report: ImportReport) -> dict:
    fields = plan.target.importable()
    count = len(attributes)
    values = {}
    for column, attribute in plan.mapping.items():
        values[attribute], problems = convert_column(attributes[column], fields[attribute])
        report.row_errors += [(source.row_number(first + i), str(column), reason) for i, reason in problems]
    for name, f in fields.items():  # attributes the file leaves out take their default (the table has none)
        if name not in values:
            values[name] = [None if f.null and not f.has_default() else f.get_default()] * count
    stored = _columns(plan.target)
    if "synthetic" in stored:
        values["synthetic"] = [False] * count  # imported data is real data
    if "updated_at" in stored:
        values["updated_at"] = [plan.now] * count
    return values


def _check_place(
    geometries: np.ndarray, values: dict[str, list], source: Source, first: int, plan: Plan, report: ImportReport
) -> None:
    """Features outside the province (judged at the end), unknown commune codes, and the commune of the others."""
    plan.present += int(np.count_nonzero(shapely.is_geometry(geometries)))
    plan.outside += [
        source.row_number(first + int(i)) for i in np.flatnonzero(geometry.outside(geometries, plan.places.area))
    ]
    codes = values.get("commune_code")
    if codes is None:
        return
    for i, code in enumerate(codes):
        if code and code not in plan.places.known:
            report.row_errors.append((source.row_number(first + i), "commune_code", f"unknown commune code {code!r}"))
    blank = np.flatnonzero(np.array([not code for code in codes], dtype=bool))
    if len(blank):  # rows naming no commune: the commune holding a point on the feature's surface
        for i, code in zip(blank, plan.places.commune_of(geometries[blank])):
            codes[i] = code


def _judge_place(plan: Plan, report: ImportReport) -> None:
    """Most features outside: the CRS is wrong (one reason for the file); a few: each row named."""
    far = len(plan.outside)
    if far and far >= WRONG_CRS_SHARE * max(1, plan.present):
        report.errors.append(
            f"{far} of {report.rows_read} features fall outside Đồng Nai after transformation "
            f"from {plan.src.title}: wrong CRS? (pass --srs with the right one)"
        )
    else:
        report.row_errors += [(row, "geometry", "outside Đồng Nai") for row in plan.outside]


def check_file(source: Source, target: Target, srs: str | None, report: ImportReport) -> Plan | None:
    """The file-level checks (CRS, columns) before any row; the plan for the rows, or None when refused."""
    report.row_errors += [(source.row_number(i), column, reason) for i, column, reason in source.row_errors]
    src = source_crs(source.crs_text, srs, report)
    mapping = _check_columns(source, target, report)
    if src is None or report.errors:
        return None
    report.crs_title = src.title
    transformer = None if src.srid == 4326 else crs.transformer(src, crs.WGS84)
    return Plan(target, src, mapping, transformer, load_places())


def check_chunk(source: Source, start: int, stop: int, plan: Plan, report: ImportReport) -> tuple[dict, np.ndarray]:
    """Every check of rows start..stop-1: values, geometry, place; returns (attribute values, geometries)."""
    attributes, geometries = source.rows(start, stop)
    values = _convert(source, attributes, start, plan, report)
    conformed = geometry.conform(geometries, plan.target.geometry_type, plan.transformer)
    report.repaired += conformed.repaired
    report.row_errors += [(source.row_number(start + i), column, reason) for i, column, reason in conformed.errors]
    _check_place(conformed.geometries, values, source, start, plan, report)
    return values, conformed.geometries


def write(source: Source, plan: Plan, mode: str, report: ImportReport, progress: bool) -> int:
    """Check and COPY the rows chunk by chunk (PostgreSQL stores one chunk while the next is checked); the caller
    holds the transaction and rolls it back unless the report is still ok at the end."""
    target = plan.target
    if mode == "replace":
        with raw_cursor() as cursor:
            cursor.execute(statement("delete_all", target.table))
    total = len(source)
    bar = tqdm(
        total=total, desc=f"importing {target.layer_id}", unit="features", disable=not progress or total < PROGRESS_FROM
    )
    written = 0
    with bar, copy_into(target.table, _columns(target)) as copy:
        for start in range(0, total, CHUNK):
            values, geometries = check_chunk(source, start, start + CHUNK, plan, report)
            if report.ok and not plan.outside:  # after the first refusal only checking goes on
                written += copy(values, geometries)
            bar.update(len(geometries))
    _judge_place(plan, report)
    report.row_errors.sort()
    return written if report.ok else 0


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
    plan = check_file(source, target, srs, report)
    if plan is not None:
        try:
            with transaction.atomic():
                report.written = write(source, plan, mode, report, progress)
                transaction.set_rollback(dry_run or not report.ok)
        except ReadError as exc:  # a damaged feature further into the file
            report.errors.append(str(exc))
            report.written = 0
        except (psycopg.Error, DatabaseError) as exc:  # e.g. a duplicate of a unique code already stored
            report.errors.append(f"the database refused the rows: {str(exc).splitlines()[0]}")
            report.written = 0
        if report.ok and not dry_run:
            layer_data_changed.send(sender=import_file, model=target.model, bbox=None)
    report.seconds = time.monotonic() - started
    return report
