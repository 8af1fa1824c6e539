"""The one place CRS definitions live: supported CRSs, VN-2000 zones and the pinned VN-2000 -> WGS 84 transform.

VN-2000 uses the WGS 84 ellipsoid but a local datum. Decision 05/2007/QĐ-BTNMT fixes one national
7-parameter set; EPSG records it as "VN-2000 to WGS 84 (2)" (EPSG:6960, Coordinate Frame rotation). PROJ's
default for EPSG:4756/5899 -> WGS 84 near Biên Hòa is EPSG:5194 (a Mekong-delta oil-industry set, smaller area of
use) and lands about 0.8 m away, so every VN-2000 CRS here carries the national set explicitly as +towgs84.
PROJ's +towgs84 is in the Position Vector convention, so the rotations are the EPSG (Coordinate Frame) values
with their signs flipped; tests/geodata/test_crs.py checks this against an explicit Helmert pipeline.
Inside PostGIS the same definitions live in spatial_ref_sys under private SRIDs (migration 0200).
"""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass

import pyproj

OGC_EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

# National VN-2000 -> WGS 84 parameters (Decision 05/2007/QĐ-BTNMT; EPSG:6960, Coordinate Frame convention):
# translations in metres, rotations in arc-seconds, scale difference in ppm.
VN2000_HELMERT_CF: tuple[float, ...] = (
    -191.90441429,
    -39.30318279,
    -111.45032835,
    -0.00928836,
    0.01975479,
    -0.00427372,
    0.252906278,
)
# The same set in PROJ's +towgs84 (Position Vector) convention: rotations negated.
VN2000_TOWGS84: tuple[float, ...] = (
    VN2000_HELMERT_CF[:3] + tuple(-r for r in VN2000_HELMERT_CF[3:6]) + (VN2000_HELMERT_CF[6],)
)
TOWGS84_TEXT = ",".join(f"{v:.11g}" for v in VN2000_TOWGS84)
VN2000_GEOG_PROJ = f"+proj=longlat +ellps=WGS84 +towgs84={TOWGS84_TEXT} +no_defs"


def tm3_proj(lon_0: float) -> str:
    """The pinned PROJ string of a VN-2000 TM-3 zone (k = 0.9999, x_0 = 500 km) with central meridian lon_0."""
    return (
        f"+proj=tmerc +lat_0=0 +lon_0={lon_0:g} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
        f"+towgs84={TOWGS84_TEXT} +units=m +no_defs"
    )


@dataclass(frozen=True)
class CrsDef:
    """A supported CRS: its OGC URI, the PostGIS SRID to transform with, and its axis order."""

    uri: str
    srid: int  # the SRID for ST_Transform; private pinned rows for VN-2000; 0 = not in PostGIS (pyproj only)
    epsg: int | None
    title: str
    lat_lon_order: bool  # True where the OGC axis order is latitude first (EPSG:4326, EPSG:4756)
    definition: str = ""  # PROJ string or WKT (the pinned one for VN-2000); empty: the EPSG / OGC definition


WGS84 = CrsDef(CRS84_URI, 4326, None, "WGS 84 longitude/latitude (OGC CRS84)", False)
EPSG4326 = CrsDef(f"{OGC_EPSG}4326", 4326, 4326, "WGS 84 (EPSG:4326, latitude/longitude)", True)
WEB_MERCATOR = CrsDef(f"{OGC_EPSG}3857", 3857, 3857, "WGS 84 / Pseudo-Mercator (EPSG:3857)", False)
VN2000 = CrsDef(
    f"{OGC_EPSG}4756", 974756, 4756, "VN-2000 geographic (EPSG:4756), national 7-parameter set", True, VN2000_GEOG_PROJ
)
TM3_107_45 = CrsDef(
    f"{OGC_EPSG}5899", 975899, 5899, "VN-2000 / TM-3 107°45' (former Đồng Nai, EPSG:5899)", False, tm3_proj(107.75)
)
TM3_106_15 = CrsDef(
    f"{OGC_EPSG}9212", 976215, 9212, "VN-2000 / TM-3 106°15' (former Bình Phước, EPSG:9212)", False, tm3_proj(106.25)
)

SUPPORTED: dict[str, CrsDef] = {d.uri: d for d in (WGS84, EPSG4326, WEB_MERCATOR, VN2000, TM3_107_45, TM3_106_15)}
PINNED: tuple[CrsDef, ...] = (VN2000, TM3_107_45, TM3_106_15)  # rows added to spatial_ref_sys
_BY_EPSG = {d.epsg: d for d in SUPPORTED.values() if d.epsg}
_CRS84_NAMES = {"crs84", "ogc:crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84"}
_EPSG_FORMS = (
    re.compile(r"^https?://www\.opengis\.net/def/crs/epsg/0/(\d+)$"),
    re.compile(r"^epsg:(\d+)$"),
    re.compile(r"^urn:ogc:def:crs:epsg:[\d.]*:(\d+)$"),
)


def resolve_crs(text: str) -> CrsDef:
    """The supported CRS named by an OGC URI, `EPSG:NNNN` or `urn:ogc:def:crs:EPSG::NNNN`; ValueError otherwise."""
    key = (text or "").strip().lower()
    if key in _CRS84_NAMES or key.replace("https://", "http://") == CRS84_URI.lower():
        return WGS84
    for pattern in _EPSG_FORMS:
        match = pattern.match(key)
        if match:
            code = int(match.group(1))
            if code in _BY_EPSG:
                return _BY_EPSG[code]
            raise ValueError(f"unsupported CRS EPSG:{code}; supported: {supported_names()}")
    raise ValueError(
        f"unrecognised CRS {text!r}; use an OGC URI, EPSG:NNNN or urn:ogc:def:crs:EPSG::NNNN "
        f"(supported: {supported_names()})"
    )


def supported_names() -> str:
    """A short comma-separated list of the supported CRSs for error messages."""
    return ", ".join("OGC:CRS84" if d.epsg is None else f"EPSG:{d.epsg}" for d in SUPPORTED.values())


def pyproj_crs(defn: CrsDef) -> pyproj.CRS:
    """The pyproj CRS of a definition: the pinned PROJ string for VN-2000, the authority's otherwise."""
    if defn.definition:
        return pyproj.CRS.from_user_input(defn.definition)
    if defn.epsg is None:
        return pyproj.CRS.from_user_input("OGC:CRS84")
    return pyproj.CRS.from_epsg(defn.epsg)


def transformer(src: CrsDef, dst: CrsDef) -> pyproj.Transformer:
    """An always_xy transformer between two definitions, through the pinned VN-2000 parameters."""
    return pyproj.Transformer.from_crs(pyproj_crs(src), pyproj_crs(dst), always_xy=True)


def _is_vn2000(crs: pyproj.CRS) -> bool:
    geodetic = crs.geodetic_crs
    if geodetic is None:
        return False
    if geodetic.to_epsg(min_confidence=70) == 4756:
        return True
    name = f"{geodetic.name} {geodetic.datum.name if geodetic.datum else ''}".lower().replace("_", " ")
    return "vn-2000" in name or "vn 2000" in name or "vietnam 2000" in name or "vn2000" in name


def _proj_dict(crs: pyproj.CRS) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the PROJ form drops the datum shift: we only read parameters
        return crs.to_dict()


def _match_zone(crs: pyproj.CRS) -> CrsDef | None:
    if crs.is_geographic:
        return VN2000
    raw = _proj_dict(crs)
    params = {k: float(v) for k, v in raw.items() if k in ("lon_0", "lat_0", "k", "k_0", "x_0", "y_0")}
    if raw.get("proj") != "tmerc" or params.get("y_0", 0) != 0 or params.get("x_0") != 500000:
        return None
    scale = params.get("k", params.get("k_0", 1.0))
    for zone, lon_0 in ((TM3_107_45, 107.75), (TM3_106_15, 106.25)):
        if abs(params.get("lon_0", 0) - lon_0) < 1e-9 and abs(scale - 0.9999) < 1e-12:
            return zone
    return None


def crs_from_file_srs(text: str) -> CrsDef | None:
    """Our pinned definition for a file's .prj / WKT / PROJ text when VN-2000 based, else None.

    A VN-2000 zone we do not list (e.g. UTM 48N, another TM-3 meridian) gets a definition with the same
    pinned datum shift and srid 0 (transformed in Python, not registered in PostGIS).
    """
    try:
        crs = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        return None
    if not _is_vn2000(crs):
        return None
    zone = _match_zone(crs)
    if zone is not None:
        return zone
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # to_proj4 warns that it drops the datum shift: we add ours
        base = re.sub(r"\s*\+(towgs84|datum|nadgrids|type)=\S+", "", crs.to_proj4())
    epsg = crs.to_epsg(min_confidence=90)
    uri = f"{OGC_EPSG}{epsg}" if epsg else f"urn:mapserver:crs:vn2000:{hashlib.sha1(base.encode()).hexdigest()[:12]}"
    return CrsDef(
        uri, 0, epsg, f"{crs.name} (VN-2000, national 7-parameter set)", False, f"{base} +towgs84={TOWGS84_TEXT}"
    )


def spatial_ref_sys_rows() -> list[tuple[int, str, int, str, str]]:
    """(srid, auth_name, auth_srid, srtext, proj4text) rows for the pinned VN-2000 definitions in PostGIS."""
    rows = []
    for defn in PINNED:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            wkt = pyproj.CRS.from_proj4(defn.definition).to_wkt(pyproj.enums.WktVersion.WKT1_GDAL)
        rows.append((defn.srid, "MAPSERVER", defn.srid, wkt, defn.definition))
    return rows


def crs_for_input(text: str) -> CrsDef:
    """The CRS of incoming data: a supported one, a VN-2000 one (pinned), or any other CRS PROJ knows (srid 0)."""
    try:
        return resolve_crs(text)
    except ValueError:
        pass
    try:
        crs = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError as exc:
        raise ValueError(f"unrecognised CRS {text[:80]!r}: {exc}") from None
    pinned = crs_from_file_srs(text)
    if pinned is not None:
        return pinned
    epsg = crs.to_epsg(min_confidence=90)
    if epsg in _BY_EPSG:
        return _BY_EPSG[epsg]
    if crs.is_geographic and crs.geodetic_crs and crs.geodetic_crs.to_epsg(min_confidence=90) == 4326:
        return WGS84  # a WGS 84 longitude/latitude file (GeoJSON, .prj of GCS_WGS_1984)
    uri = f"{OGC_EPSG}{epsg}" if epsg else f"urn:mapserver:crs:{hashlib.sha1(crs.to_wkt().encode()).hexdigest()[:12]}"
    return CrsDef(uri, 0, epsg, crs.name, False, crs.to_wkt())
