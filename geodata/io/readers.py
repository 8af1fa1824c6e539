"""Reading incoming files (GeoJSON, Shapefile, GeoPackage, CSV, XLSX) into attributes, geometries and a CRS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from geodata.io.vnencoding import legacy_decoder

VECTOR_SUFFIXES = {".geojson", ".json", ".shp", ".gpkg", ".zip", ".fgb", ".kml", ".gml"}
TABLE_SUFFIXES = {".csv", ".xlsx"}
WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "wkt_geom", "shape")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "x", "kinh_do", "kinhdo")
LAT_COLUMNS = ("lat", "latitude", "y", "vi_do", "vido")


class ReadError(Exception):
    """The file cannot be read at all (missing, corrupt, unsupported format)."""


# (start, stop) -> the attributes and geometries of rows start..stop-1
Loader = Callable[[int, int], tuple[pd.DataFrame, np.ndarray]]


@dataclass
class Source:
    """What a file holds: its columns, row count and declared CRS; rows are loaded by range when asked (a
    GeoPackage or Shapefile chunk by chunk, other formats at once)."""

    path: Path
    columns: list
    count: int
    crs_text: str | None
    load: Loader
    first_row: int = 1  # the number a person sees for row 0 (feature 1, spreadsheet line 2)
    row_errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row index, column, reason)

    def __len__(self) -> int:
        return self.count

    def row_number(self, index: int) -> int:
        return index + self.first_row

    def rows(self, start: int, stop: int) -> tuple[pd.DataFrame, np.ndarray]:
        """Attributes (indexed from 0) and geometries (shapely or None) of rows start..stop-1."""
        try:
            return self.load(start, min(stop, self.count))
        except Exception as exc:  # a damaged feature further into the file
            kind = self.path.suffix[1:].upper()
            raise ReadError(f"{self.path.name}: cannot be read as {kind} ({type(exc).__name__}: {exc})") from exc

    @cached_property
    def _everything(self) -> tuple[pd.DataFrame, np.ndarray]:
        return self.rows(0, self.count)

    @property
    def attributes(self) -> pd.DataFrame:
        """The whole attribute table."""
        return self._everything[0]

    @property
    def geometries(self) -> np.ndarray:
        """Every row's geometry."""
        return self._everything[1]


def in_memory(path: Path, frame: pd.DataFrame, geometries: np.ndarray, crs_text: str | None, **kw) -> Source:
    """A Source over rows already read."""
    frame = frame.reset_index(drop=True)

    def load(start: int, stop: int) -> tuple[pd.DataFrame, np.ndarray]:
        return frame.iloc[start:stop].reset_index(drop=True), geometries[start:stop]

    return Source(path, list(frame.columns), len(frame), crs_text, load, **kw)


def read_source(path: str | Path, encoding: str | None = None, layer: str | None = None) -> Source:
    """Open any supported file; ReadError with a plain reason when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in TABLE_SUFFIXES:
            source = _read_table(path, encoding)
        elif suffix in VECTOR_SUFFIXES:
            source = _open_vector(path, encoding, layer)
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
        load = source.load

        def decoded(start: int, stop: int) -> tuple[pd.DataFrame, np.ndarray]:
            frame, geometries = load(start, stop)
            return _decoded(frame, decoder), geometries

        source.load = decoded
    return source


def _decoded(frame: pd.DataFrame, decoder: Callable[[str], str]) -> pd.DataFrame:
    for column in frame.columns:
        if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: decoder(v) if isinstance(v, str) else v)
    return frame


def _open_vector(path: Path, encoding: str | None, layer: str | None) -> Source:
    codec = "latin1" if legacy_decoder(encoding) else encoding
    kwargs = {"encoding": codec} if codec else {}
    if layer is None and path.suffix.lower() == ".gpkg":
        layers = pyogrio.list_layers(path)
        spatial = [name for name, kind in layers if kind]
        if len(spatial) != 1:
            raise ReadError(f"{path.name} holds {len(spatial)} spatial layers ({', '.join(spatial)}); name one")
        layer = spatial[0]
    info = pyogrio.read_info(path, layer=layer, **kwargs)
    if not info.get("capabilities", {}).get("fast_set_next_by_index") or info["features"] < 0:
        frame = pyogrio.read_dataframe(path, layer=layer, **kwargs)  # reading a range would re-read what precedes it
        crs_text = frame.crs.to_wkt() if frame.crs is not None else None
        geometries = np.asarray(frame.geometry.values, dtype=object)
        return in_memory(path, pd.DataFrame(frame.drop(columns=frame.geometry.name)), geometries, crs_text)

    def load(start: int, stop: int) -> tuple[pd.DataFrame, np.ndarray]:
        frame = pyogrio.read_dataframe(path, layer=layer, skip_features=start, max_features=stop - start, **kwargs)
        geometries = np.asarray(frame.geometry.values, dtype=object)
        return pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True), geometries

    crs_text = pyproj.CRS.from_user_input(info["crs"]).to_wkt() if info.get("crs") else None
    return Source(path, list(info["fields"]), int(info["features"]), crs_text, load)


def _read_table(path: Path, encoding: str | None) -> Source:
    if path.suffix.lower() == ".csv":
        codec = "latin1" if legacy_decoder(encoding) else (encoding or "utf-8-sig")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=codec)
    else:
        frame = pd.read_excel(path, dtype=object, engine="openpyxl")
    frame = frame.replace({"": None}).astype(object).where(frame.notna(), None)
    return _table_geometries(path, frame)


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).strip().lower(): c for c in frame.columns}
    return next((lower[n] for n in names if n in lower), None)


def _table_geometries(path: Path, frame: pd.DataFrame) -> Source:
    """Build geometries from a WKT column or a lon/lat pair, recording rows that do not parse."""
    wkt, lon, lat = _column(frame, WKT_COLUMNS), _column(frame, LON_COLUMNS), _column(frame, LAT_COLUMNS)
    geometries, errors = np.full(len(frame), None, dtype=object), []
    if wkt is not None:
        for i, text in enumerate(frame[wkt]):
            try:
                geometries[i] = shapely.from_wkt(str(text)) if text is not None else None
            except shapely.errors.GEOSException as exc:
                errors.append((i, str(wkt), f"not WKT: {str(exc)[:80]}"))
        frame = frame.drop(columns=[c for c in (wkt, lon, lat) if c is not None])
        return in_memory(path, frame, geometries, None, first_row=2, row_errors=errors)
    if lon is None or lat is None:
        raise ReadError(
            f"{path.name}: no geometry: add a WKT column ({', '.join(WKT_COLUMNS)}) "
            f"or longitude/latitude columns ({'/'.join(LON_COLUMNS[:4])}, {'/'.join(LAT_COLUMNS[:3])})"
        )
    xs = pd.to_numeric(frame[lon], errors="coerce").to_numpy(dtype=float)
    ys = pd.to_numeric(frame[lat], errors="coerce").to_numpy(dtype=float)
    geometries = np.asarray(shapely.points(xs, ys), dtype=object)
    for i in np.flatnonzero(np.isnan(xs) | np.isnan(ys)):
        errors.append((int(i), f"{lon}/{lat}", "coordinates missing or not numbers"))
        geometries[i] = None
    return in_memory(path, frame.drop(columns=[lon, lat]), geometries, None, first_row=2, row_errors=errors)
