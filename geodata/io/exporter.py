"""geodata_export: a layer's exposed attributes and geometry to GeoJSON, GeoPackage, Shapefile, CSV or XLSX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj
import shapely
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from geodata import crs
from geodata.io.queries import raw_cursor, statement
from geodata.io.safetext import csv_cell, inert_cell, xlsx_value
from geodata.io.targets import Target, get_target, shapefile_name

VECTOR_DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG", "shp": "ESRI Shapefile"}
FORMATS = (*VECTOR_DRIVERS, "csv", "xlsx")
XLSX_CELL_LIMIT = 32767
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")


class ExportError(Exception):
    """The export cannot be written as asked."""


def _rows(target: Target, defn: crs.CrsDef) -> pd.DataFrame:
    columns = list(target.exposed)
    with raw_cursor() as cursor:
        cursor.execute(statement("export_rows", target.table, columns), {"srid": defn.srid})
        rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=[*columns, "__wkb"])
    frame["__wkb"] = shapely.from_wkb(frame["__wkb"].map(bytes).to_numpy()) if len(frame) else []
    return frame


def _as_text(value):
    """Dates and times as ISO 8601 text, so that formats without those types keep them exactly."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _file_crs(defn: crs.CrsDef) -> pyproj.CRS:
    """The CRS written into the file: the EPSG one (recognised everywhere); our importer re-pins VN-2000."""
    return pyproj.CRS.from_user_input("OGC:CRS84" if defn.epsg is None else f"EPSG:{defn.epsg}")


def _write_vector(frame: pd.DataFrame, target: Target, fmt: str, output: Path, defn: crs.CrsDef) -> None:
    attributes = frame.drop(columns="__wkb")
    temporal = [c for c in attributes.columns if attributes[c].map(lambda v: isinstance(v, (dt.date,))).any()]
    for column in temporal:
        attributes[column] = attributes[column].map(_as_text)
    kwargs = {}
    if fmt == "shp":
        renamed = {c: shapefile_name(c) for c in attributes.columns}
        if len(set(renamed.values())) != len(renamed):
            raise ExportError(f"{target.layer_id}: attribute names collide when cut to 10 characters")
        attributes = attributes.rename(columns=renamed)
        kwargs["encoding"] = "UTF-8"
    if fmt == "gpkg":
        kwargs["layer"] = target.layer_id
    gdf = gpd.GeoDataFrame(attributes, geometry=gpd.GeoSeries(frame["__wkb"].values), crs=_file_crs(defn))
    pyogrio.write_dataframe(gdf, output, driver=VECTOR_DRIVERS[fmt], geometry_type=target.geometry_type, **kwargs)


def _write_table(frame: pd.DataFrame, fmt: str, output: Path) -> None:
    table = frame.drop(columns="__wkb").map(_as_text)
    table["wkt"] = shapely.to_wkt(frame["__wkb"].to_numpy(), rounding_precision=-1) if len(frame) else []
    if fmt == "csv":
        table.map(csv_cell).to_csv(output, index=False, encoding="utf-8")  # formula-like text quoted
        return
    too_long = int((table["wkt"].str.len() > XLSX_CELL_LIMIT).sum())
    if too_long:
        raise ExportError(
            f"{too_long} geometries are longer than an XLSX cell holds ({XLSX_CELL_LIMIT} "
            "characters); export this layer as gpkg, shp or geojson"
        )
    _write_xlsx(table, output)


def _xlsx_cell(sheet, value):
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None  # an empty cell, as pandas writes NaN and None
    cell = WriteOnlyCell(sheet, xlsx_value(value))
    inert_cell(cell)
    return cell


def _write_xlsx(table: pd.DataFrame, output: Path) -> None:
    """One sheet `features` (streamed: large layers fit in memory), text never written as a formula."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("features")
    sheet.append([str(column) for column in table.columns])
    for row in table.itertuples(index=False, name=None):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    book.save(output)


def export_layer(layer_id: str, fmt: str, output: str | Path, srs: str | None = None) -> int:
    """Write a layer's exposed attributes and geometries; returns the number of features written."""
    target = get_target(layer_id)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        defn = crs.resolve_crs(srs) if srs else crs.WGS84
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    output = Path(output)
    if output.exists():
        if fmt == "shp":
            for suffix in SHAPEFILE_PARTS:
                output.with_suffix(suffix).unlink(missing_ok=True)
        else:
            output.unlink()
    frame = _rows(target, defn)
    if fmt in VECTOR_DRIVERS:
        _write_vector(frame, target, fmt, output, defn)
    else:
        _write_table(frame, fmt, output)
    return len(frame)
