"""Reading incoming files (GeoJSON, Shapefile, GeoPackage, CSV, XLSX) into attributes, geometries and a CRS."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import shapely

from geodata.io.vnencoding import legacy_decoder

VECTOR_SUFFIXES = {".geojson", ".json", ".shp", ".gpkg", ".zip", ".fgb", ".kml", ".gml"}
TABLE_SUFFIXES = {".csv", ".xlsx"}
WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "wkt_geom", "shape")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "x", "kinh_do", "kinhdo")
LAT_COLUMNS = ("lat", "latitude", "y", "vi_do", "vido")


class ReadError(Exception):
    """The file cannot be read at all (missing, corrupt, unsupported format)."""


@dataclass
class Source:
    """What a file holds: attribute table, one shapely geometry (or None) per row, and its declared CRS."""

    path: Path
    attributes: pd.DataFrame
    geometries: np.ndarray
    crs_text: str | None
    first_row: int = 1  # the number a person sees for row 0 (feature 1, spreadsheet line 2)
    row_errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row index, column, reason)
    dropped_columns: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.attributes)

    def row_number(self, index: int) -> int:
        return index + self.first_row


def read_source(path: str | Path, encoding: str | None = None, layer: str | None = None) -> Source:
    """Read any supported file; ReadError with a plain reason when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in TABLE_SUFFIXES:
            source = _read_table(path, encoding)
        elif suffix in VECTOR_SUFFIXES:
            source = _read_vector(path, encoding, layer)
        else:
            raise ReadError(
                f"{path.name}: unsupported format {suffix or '(no extension)'}; use GeoJSON, "
                "Shapefile, GeoPackage, CSV or XLSX"
            )
    except ReadError:
        raise
    except Exception as exc:  # pyogrio, pandas and openpyxl raise many kinds for a damaged file
        raise ReadError(f"{path.name}: cannot be read as {suffix[1:].upper()} ({type(exc).__name__}: {exc})") from exc
    decoder = legacy_decoder(encoding)
    if decoder is not None:
        for column in source.attributes.columns:
            if pd.api.types.is_object_dtype(source.attributes[column]) or pd.api.types.is_string_dtype(
                source.attributes[column]
            ):
                source.attributes[column] = source.attributes[column].map(
                    lambda v: decoder(v) if isinstance(v, str) else v
                )
    return source


def _read_vector(path: Path, encoding: str | None, layer: str | None) -> Source:
    codec = "latin1" if legacy_decoder(encoding) else encoding
    kwargs = {"encoding": codec} if codec else {}
    if layer is None and path.suffix.lower() == ".gpkg":
        layers = pyogrio.list_layers(path)
        spatial = [name for name, kind in layers if kind]
        if len(spatial) != 1:
            raise ReadError(f"{path.name} holds {len(spatial)} spatial layers ({', '.join(spatial)}); name one")
        layer = spatial[0]
    frame = pyogrio.read_dataframe(path, layer=layer, **kwargs)
    crs_text = frame.crs.to_wkt() if frame.crs is not None else None
    geometries = np.asarray(frame.geometry.values, dtype=object)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return Source(path, attributes.reset_index(drop=True), geometries, crs_text)


def _read_table(path: Path, encoding: str | None) -> Source:
    if path.suffix.lower() == ".csv":
        codec = "latin1" if legacy_decoder(encoding) else (encoding or "utf-8-sig")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=codec)
    else:
        frame = pd.read_excel(path, dtype=object, engine="openpyxl")
    frame = frame.replace({"": None}).astype(object).where(frame.notna(), None)
    source = Source(path, frame, np.full(len(frame), None, dtype=object), None, first_row=2)
    _table_geometries(source)
    return source


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).strip().lower(): c for c in frame.columns}
    return next((lower[n] for n in names if n in lower), None)


def _table_geometries(source: Source) -> None:
    """Build geometries from a WKT column or a lon/lat pair, recording rows that do not parse."""
    frame = source.attributes
    wkt, lon, lat = _column(frame, WKT_COLUMNS), _column(frame, LON_COLUMNS), _column(frame, LAT_COLUMNS)
    if wkt is not None:
        for i, text in enumerate(frame[wkt]):
            try:
                source.geometries[i] = shapely.from_wkt(str(text)) if text is not None else None
            except shapely.errors.GEOSException as exc:
                source.row_errors.append((i, str(wkt), f"not WKT: {str(exc)[:80]}"))
        source.attributes = frame.drop(columns=[c for c in (wkt, lon, lat) if c is not None])
        return
    if lon is None or lat is None:
        raise ReadError(
            f"{source.path.name}: no geometry: add a WKT column ({', '.join(WKT_COLUMNS)}) "
            f"or longitude/latitude columns ({'/'.join(LON_COLUMNS[:4])}, {'/'.join(LAT_COLUMNS[:3])})"
        )
    xs = pd.to_numeric(frame[lon], errors="coerce").to_numpy(dtype=float)
    ys = pd.to_numeric(frame[lat], errors="coerce").to_numpy(dtype=float)
    points = shapely.points(xs, ys)
    for i in np.flatnonzero(np.isnan(xs) | np.isnan(ys)):
        source.row_errors.append((int(i), f"{lon}/{lat}", "coordinates missing or not numbers"))
        points[i] = None
    source.geometries = np.asarray(points, dtype=object)
    source.attributes = frame.drop(columns=[lon, lat])
