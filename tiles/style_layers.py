"""MapLibre style layers per published layer, styled by attributes, each with its legend.

`LAYER_STYLES[layer_id]` is a list of (suffix, style layer without id/source) and `LEGENDS[layer_id]` the
legend rows (label_vi, label_en, colour[, marker glyph]). Layers without an entry get a generic style from their geometry.
Values, labels and colours come from the vocabularies (geodata.vocabularies): no value list is kept here.
"""

from __future__ import annotations

from geodata.attributes import Vocabulary
from geodata.vocabularies import (
    CAMERA_STATUS,
    COMMUNE_KIND,
    CONSTRUCTION_STATUS,
    ENTERPRISE_SECTOR,
    HOUSE_STATUS,
    INCIDENT_KIND,
    LAND_USE,
    LIGHT_STATUS,
    OCOP_STARS,
    PERMITTED,
    REPORT_STATUS,
    ROAD_CLASS,
    SENSOR_KIND,
    TREE_CONDITION,
    WATERWAY_KIND,
)

Legend = list[tuple[str, str, str]]
FONT = ["DejaVu-Sans"]
FONT_BOLD = ["DejaVu-Sans-Bold"]
HALO = {"text-color": "#1d2a33", "text-halo-color": "#ffffff", "text-halo-width": 1.4}


def match(field: str, vocabulary: Vocabulary, default: str = "#888888") -> list:
    """A `match` expression colouring an attribute by its vocabulary (values compared as text)."""
    expression: list = ["match", ["to-string", ["get", field]]]
    for value in vocabulary.values:
        expression += [str(value.value), value.colour]
    return expression + [default]


def by_value(field: str, vocabulary: Vocabulary, sizes: dict, default: float) -> list:
    """A `match` expression giving some values of a vocabulary a size (line widths); unknown values fail here."""
    unknown = set(sizes) - set(vocabulary.keys)
    if unknown:
        raise ValueError(f"{sorted(unknown)} are not values of {vocabulary.id}")
    return ["match", ["get", field], *[part for value, size in sizes.items() for part in (value, size)], default]


def counts(vocabulary: Vocabulary, *values: str) -> tuple[str, ...]:
    """The count_<value> attributes of aggregated cells for some values of the clustered attribute's vocabulary."""
    unknown = set(values) - set(vocabulary.keys)
    if unknown:
        raise ValueError(f"{sorted(unknown)} are not values of {vocabulary.id}")
    return tuple(f"count_{value}" for value in values)


def legend(vocabulary: Vocabulary) -> Legend:
    return [(value.vi, value.en, value.colour) for value in vocabulary.values]


def circle(colour, radius=5.0, stroke="#ffffff", stroke_width=1) -> dict:
    return {
        "type": "circle",
        "paint": {
            "circle-color": colour,
            "circle-radius": radius,
            "circle-stroke-color": stroke,
            "circle-stroke-width": stroke_width,
        },
    }


def marker(glyph, colour, size: float = 16, halo: object = "#ffffff", halo_width: object = 1.2) -> dict:
    """A point drawn as a glyph (■ ▲ ✖ from the local fonts, tiles.glyphs.RANGES): distinct meanings get distinct
    shapes, not only distinct colours (a dead camera, a fire, a sensor alarm and a new report must not look alike)."""
    return {
        "type": "symbol",
        "layout": {
            "text-field": glyph,
            "text-font": FONT,
            "text-size": size,
            "text-allow-overlap": True,
            "text-ignore-placement": True,
        },
        "paint": {"text-color": colour, "text-halo-color": halo, "text-halo-width": halo_width},
    }


def label(field: str, minzoom: int, size: int = 11, placement: str = "point", font=None) -> dict:
    layout = {
        "text-field": ["get", field],
        "text-font": font or FONT,
        "text-size": size,
        "symbol-placement": placement,
        "text-optional": True,
    }
    if placement == "point":
        layout.update({"text-offset": [0, 1.1], "text-anchor": "top"})
    return {"type": "symbol", "minzoom": minzoom, "layout": layout, "paint": HALO}


def clusters(breakdown: tuple[str, ...], colour_hot: str, colour_cold: str, warm_share: float = 0.1) -> dict:
    """Aggregated cells: radius by count, colour by the share of the `breakdown` counts in the cell."""
    counted = ["+", 0, *[["coalesce", ["get", name], 0] for name in breakdown]]
    share = ["/", counted, ["max", ["get", "count"], 1]]
    return {
        "type": "circle",
        "filter": ["==", ["get", "cluster"], True],
        "paint": {
            "circle-color": [
                "interpolate",
                ["linear"],
                share,
                0,
                colour_cold,
                warm_share,
                "#fdae61",
                2 * warm_share,
                "#f46d43",
                4 * warm_share,
                colour_hot,
            ],
            "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "count"]], 1, 2, 5, 3.5, 30, 8, 100, 14],
            "circle-opacity": 0.85,
            "circle-stroke-color": "#ffffff",
            "circle-stroke-width": 0.4,
        },
    }


def not_cluster(layer: dict) -> dict:
    return {**layer, "filter": ["!=", ["get", "cluster"], True]}


# Marker glyphs and the sensor-alarm colour, kept apart from the incident circles (a fire is a red circle)
CAMERA, DEAD_CAMERA, REPORT = "■", "✖", "▲"
SENSOR_ALARM = "#c51b7d"
OVERDUE_STROKE = ["case", ["==", ["get", "overdue"], True], "#6a040f", "#ffffff"]

LAYER_STYLES: dict[str, list[tuple[str, dict]]] = {
    "province": [("outline", {"type": "line", "paint": {"line-color": "#1d3557", "line-width": 2.6}})],
    "districts_2024": [
        ("line", {"type": "line", "paint": {"line-color": "#6d6875", "line-width": 1.1, "line-dasharray": [3, 2]}})
    ],
    "communes": [
        # no antialiasing outline of its own: the line below draws the boundaries (one shader program less to
        # compile in the first full render's frame, about 10 ms of its main thread each in a software renderer)
        (
            "fill",
            {
                "type": "fill",
                "paint": {"fill-color": match("kind", COMMUNE_KIND), "fill-opacity": 0.55, "fill-antialias": False},
            },
        ),
        (
            "line",
            {
                "type": "line",
                "paint": {
                    "line-color": "#9a8c98",
                    "line-width": ["interpolate", ["linear"], ["zoom"], 8, 0.4, 13, 1.4],
                },
            },
        ),
        (
            "label",
            {
                **label("name", 9, 12, font=FONT_BOLD),
                "source-layer": "communes_labels",
                "layout": {
                    "text-field": ["get", "name"],
                    "text-font": FONT_BOLD,
                    "text-optional": True,
                    "text-size": ["interpolate", ["linear"], ["zoom"], 9, 10, 13, 14],
                },
            },
        ),
    ],
    "waterways": [
        (
            "line",
            {
                "type": "line",
                "paint": {
                    "line-color": match("kind", WATERWAY_KIND),
                    "line-width": by_value(
                        "kind", WATERWAY_KIND, {WATERWAY_KIND.RIVER: 3, WATERWAY_KIND.CANAL: 1.6}, 1
                    ),
                },
            },
        ),
        ("label", label("name", 11, 11, "line")),
    ],
    "roads": [
        (
            "line",
            {
                "type": "line",
                "layout": {"line-cap": "round", "line-join": "round"},
                "paint": {
                    "line-color": match("road_class", ROAD_CLASS),
                    "line-width": by_value(
                        "road_class",
                        ROAD_CLASS,
                        {ROAD_CLASS.NATIONAL: 3, ROAD_CLASS.PROVINCIAL: 2.2, ROAD_CLASS.URBAN: 1.4},
                        1,
                    ),
                },
            },
        ),
        ("label", label("name", 13, 11, "line")),
    ],
    "railways": [
        ("line", {"type": "line", "paint": {"line-color": "#343a40", "line-width": 2, "line-dasharray": [4, 2]}})
    ],
    "planning_zones": [
        (
            "fill",
            {
                "type": "fill",
                "paint": {
                    "fill-color": match("land_use_code", LAND_USE),
                    "fill-opacity": 0.55,
                    "fill-outline-color": "#6d597a",
                },
            },
        )
    ],
    "land_parcels": [
        ("fill", {"type": "fill", "paint": {"fill-color": match("land_use_code", LAND_USE), "fill-opacity": 0.6}}),
        ("line", {"type": "line", "paint": {"line-color": "#7f5539", "line-width": 0.4}}),
    ],
    "land_use_changes": [
        (
            "fill",
            {
                "type": "fill",
                "paint": {
                    "fill-color": ["case", ["get", "permitted"], PERMITTED.colour(True), PERMITTED.colour(False)],
                    "fill-opacity": 0.6,
                },
            },
        )
    ],
    "houses": [
        (
            "clusters",
            clusters(counts(HOUSE_STATUS, HOUSE_STATUS.POOR, HOUSE_STATUS.TEMPORARY_HOUSE), "#a50026", "#74add1"),
        ),
        ("points", not_cluster(circle(match("status", HOUSE_STATUS), 3.5))),
    ],
    "street_lights": [
        ("clusters", clusters(counts(LIGHT_STATUS, LIGHT_STATUS.FAULT), "#a50026", "#ffd23f", 0.05)),
        ("points", not_cluster(circle(match("status", LIGHT_STATUS), 3.5, "#333333"))),
    ],
    "trees": [
        (
            "clusters",
            clusters(counts(TREE_CONDITION, TREE_CONDITION.POOR, TREE_CONDITION.DANGEROUS), "#a50026", "#52b788"),
        ),
        ("points", not_cluster(circle("#40916c", 3))),
    ],
    "enterprises": [
        ("clusters", clusters(counts(ENTERPRISE_SECTOR, ENTERPRISE_SECTOR.ELECTRONICS), "#7209b7", "#4361ee", 0.2)),
        ("points", not_cluster(circle("#4361ee", 4))),
    ],
    "cameras": [
        (
            "points",
            marker(["match", ["get", "status"], "dead", DEAD_CAMERA, CAMERA], match("status", CAMERA_STATUS), 15),
        ),
        ("label", label("name", 14, 10)),
    ],
    "field_reports": [
        (
            "clusters",
            clusters(
                counts(
                    REPORT_STATUS,
                    REPORT_STATUS.RECEIVED,
                    REPORT_STATUS.ACCEPTED,
                    REPORT_STATUS.ASSIGNED,
                    REPORT_STATUS.IN_PROGRESS,
                ),
                "#a50026",
                "#2a9d8f",
                0.15,
            ),
        ),
        (
            "points",
            not_cluster(
                marker(
                    REPORT,
                    match("status", REPORT_STATUS),
                    15,
                    OVERDUE_STROKE,
                    ["case", ["==", ["get", "overdue"], True], 2.5, 1.2],
                )
            ),
        ),
    ],
    "incidents": [
        ("points", circle(match("kind", INCIDENT_KIND), ["interpolate", ["linear"], ["get", "severity"], 1, 5, 4, 10]))
    ],
    "sensors": [
        (
            "alert",
            {
                "type": "circle",
                "filter": [">", ["coalesce", ["get", "last_value"], 0], ["get", "threshold"]],
                "paint": {
                    "circle-color": "rgba(197,27,125,0.18)",
                    "circle-radius": 14,
                    "circle-stroke-color": SENSOR_ALARM,
                    "circle-stroke-width": 2.5,
                },
            },
        ),
        ("points", circle(match("kind", SENSOR_KIND), 6)),
        ("label", label("name", 13, 10)),
    ],
    "industrial_parks": [
        # the outline as a line like the boundaries' (the same shader program) rather than the fill's own
        ("fill", {"type": "fill", "paint": {"fill-color": "#b392ac", "fill-opacity": 0.45, "fill-antialias": False}}),
        ("outline", {"type": "line", "paint": {"line-color": "#5e548e", "line-width": 1}}),
        ("label", {**label("name", 10, 11), "source-layer": "industrial_parks_labels"}),
    ],
    "construction_sites": [("points", circle(match("status", CONSTRUCTION_STATUS), 5))],
    "power_lines": [
        (
            "line",
            {
                "type": "line",
                "paint": {
                    "line-color": "#9d4edd",
                    "line-width": ["interpolate", ["linear"], ["get", "voltage_kv"], 22, 0.8, 500, 3],
                },
            },
        )
    ],
    "power_stations": [("points", circle("#9d4edd", 6))],
    "schools": [("points", circle("#ff9f1c", 5)), ("label", label("name", 14, 10))],
    "health_facilities": [("points", circle("#ef233c", 6)), ("label", label("name", 13, 10))],
    "water_supply": [("line", {"type": "line", "paint": {"line-color": "#0096c7", "line-width": 1.2}})],
    "drainage": [
        ("line", {"type": "line", "paint": {"line-color": "#6c757d", "line-width": 1, "line-dasharray": [2, 1]}})
    ],
    "bridges": [("points", circle("#495057", 5))],
    "tourism_sites": [("points", circle("#06d6a0", 6)), ("label", label("name", 12, 10))],
    "ocop_products": [("points", circle(match("stars", OCOP_STARS), 5))],
}

LEGENDS: dict[str, Legend] = {
    "houses": legend(HOUSE_STATUS)
    + [
        (
            "Ô gộp: càng đỏ, càng nhiều hộ nghèo, nhà tạm",
            "Cells: the redder, the more poor or temporary houses",
            "#a50026",
        )
    ],
    "street_lights": legend(LIGHT_STATUS),
    "cameras": [
        (*row, DEAD_CAMERA if row[0] == CAMERA_STATUS.label("dead") else CAMERA) for row in legend(CAMERA_STATUS)
    ],
    "incidents": legend(INCIDENT_KIND),
    "field_reports": [(*row, REPORT) for row in legend(REPORT_STATUS)]
    + [
        ("Viền đậm: quá hạn xử lý", "Thick outline: overdue", "#6a040f", REPORT),
        ("Ô gộp: càng đỏ, càng nhiều phản ánh chưa xử lý", "Cells: the redder, the more open reports", "#a50026"),
    ],
    "sensors": legend(SENSOR_KIND) + [("Vượt ngưỡng (vòng tím)", "Above threshold (purple ring)", SENSOR_ALARM)],
    "planning_zones": legend(LAND_USE),
    "land_parcels": legend(LAND_USE),
    "roads": legend(ROAD_CLASS),
    "waterways": legend(WATERWAY_KIND),
    "construction_sites": legend(CONSTRUCTION_STATUS),
    "ocop_products": legend(OCOP_STARS),
    "land_use_changes": legend(PERMITTED),
    "communes": legend(COMMUNE_KIND),
    "districts_2024": [("Ranh giới huyện cũ", "Former district boundary", "#6d6875")],
    "province": [("Ranh giới tỉnh", "Province boundary", "#1d3557")],
}


def generic_style(geometry_type: str) -> list[tuple[str, dict]]:
    """A plain style for a layer without its own entry."""
    if "Polygon" in geometry_type:
        return [("fill", {"type": "fill", "paint": {"fill-color": "#8ecae6", "fill-opacity": 0.5}})]
    if "Line" in geometry_type:
        return [("line", {"type": "line", "paint": {"line-color": "#219ebc", "line-width": 1.2}})]
    return [("points", circle("#219ebc", 5))]
