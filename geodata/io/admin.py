"""geodata_import_admin: replace the 95 derived commune polygons with official boundaries, all or none."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction

from geodata import crs
from geodata.admin_units import GRID_DEGREES, refresh_commune_areas
from geodata.io import geometry
from geodata.io.importer import WRONG_CRS_SHARE, ImportReport, source_crs
from geodata.io.queries import raw_cursor, statement
from geodata.io.readers import ReadError, Source, read_source
from geodata.models import Commune
from geodata.partition import polygonal
from geodata.signals import layer_data_changed

CODE_COLUMNS = ("code", "ma_xa", "maxa", "commune_code", "commune_co", "ma_dvhc", "madvhc", "ma")


def _code_column(source: Source, report: ImportReport) -> str | None:
    lower = {str(c).strip().lower(): c for c in source.attributes.columns}
    column = next((lower[name] for name in CODE_COLUMNS if name in lower), None)
    if column is None:
        report.errors.append(f"no commune code column: name it one of {', '.join(CODE_COLUMNS)}")
    else:
        others = [str(c) for c in source.attributes.columns if c != column]
        if others:
            report.notes.append(
                f"only geometries are taken; names stay the official ones (ignored: {', '.join(others)})"
            )
    return column


def _code(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_codes(codes: list[str], known: set[str], source: Source, report: ImportReport) -> None:
    seen: dict[str, int] = {}
    for i, code in enumerate(codes):
        row = source.row_number(i)
        if not code:
            report.row_errors.append((row, "code", "missing commune code"))
        elif code not in known:
            report.row_errors.append((row, "code", f"unknown commune code {code!r}"))
        elif code in seen:
            report.row_errors.append((row, "code", f"duplicate of row {seen[code]} (code {code})"))
        else:
            seen[code] = row
    absent = sorted(known - set(seen))
    if absent:
        report.errors.append(
            f"{len(absent)} communes have no boundary in the file: {', '.join(absent[:10])}"
            f"{' ...' if len(absent) > 10 else ''}"
        )


def _checked_geometries(source: Source, src: crs.CrsDef, report: ImportReport) -> np.ndarray:
    transformer = None if src.srid == 4326 else crs.transformer(src, crs.WGS84)
    conformed = geometry.conform(source.geometries, "MultiPolygon", transformer)
    report.repaired = conformed.repaired
    report.row_errors += [(source.row_number(i), c, r) for i, c, r in conformed.errors]
    with raw_cursor() as cursor:
        cursor.execute(statement("province_wkb"))
        area = geometry.province_area(cursor.fetchone()[0])
    far = geometry.outside(conformed.geometries, area)
    if far.sum() >= WRONG_CRS_SHARE * len(far) and far.sum():
        report.errors.append(
            f"{far.sum()} of {len(far)} boundaries fall outside Đồng Nai after transformation "
            f"from {src.title}: wrong CRS? (pass --srs with the right one)"
        )
    else:
        report.row_errors += [(source.row_number(int(i)), "geometry", "outside Đồng Nai") for i in np.flatnonzero(far)]
    return conformed.geometries


def _write(codes: list[str], geometries: np.ndarray) -> int:
    with raw_cursor() as cursor:
        for code, geom in zip(codes, geometries):
            gridded = polygonal(shapely.set_precision(geom, GRID_DEGREES))  # the grid the reference loader uses
            cursor.execute(
                statement("replace_commune_geometry"),
                {"wkb": shapely.to_wkb(gridded), "source": Commune.OFFICIAL, "code": code},
            )
    refresh_commune_areas()
    return len(codes)


def import_admin(
    path: str | Path, *, srs: str | None = None, encoding: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Check the whole file, then replace every commune geometry in one transaction (or change nothing)."""
    started = time.monotonic()
    report = ImportReport("communes", str(path), dry_run=dry_run)
    try:
        source = read_source(path, encoding)
    except ReadError as exc:
        report.errors.append(str(exc))
        return report
    report.rows_read = len(source)
    src, column = source_crs(source.crs_text, srs, report), _code_column(source, report)
    if src is None or column is None:
        return report
    codes = [_code(v) for v in source.attributes[column].tolist()]
    _check_codes(codes, set(Commune.objects.values_list("code", flat=True)), source, report)
    geometries = _checked_geometries(source, src, report)
    report.row_errors.sort()
    if report.ok:
        with transaction.atomic():
            report.written = _write(codes, geometries)
            transaction.set_rollback(dry_run)
        if not dry_run:
            layer_data_changed.send(sender=import_admin, model=Commune, bbox=None)
    report.seconds = time.monotonic() - started
    return report
