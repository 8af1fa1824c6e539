"""MapLibre style layers per published layer, styled by attributes, each with its legend.

`LAYER_STYLES[layer_id]` is a list of (suffix, style layer without id/source) and `LEGENDS[layer_id]` the
legend rows (label_vi, label_en, colour). Layers without an entry get a generic style from their geometry.
"""
from __future__ import annotations

Legend = list[tuple[str, str, str]]
FONT = ["DejaVu-Sans"]
FONT_BOLD = ["DejaVu-Sans-Bold"]
HALO = {"text-color": "#1d2a33", "text-halo-color": "#ffffff", "text-halo-width": 1.4}


def match(field: str, rows: Legend | list[tuple[str, str, str, str]], default: str = "#888888") -> list:
    """A `match` expression on a string attribute; rows are (value, label_vi, label_en, colour)."""
    expression: list = ["match", ["to-string", ["get", field]]]
    for value, _, _, colour in rows:
        expression += [value, colour]
    return expression + [default]


def legend(rows: list[tuple[str, str, str, str]]) -> Legend:
    return [(vi, en, colour) for _, vi, en, colour in rows]


def circle(colour, radius=5.0, stroke="#ffffff", stroke_width=1) -> dict:
    return {"type": "circle", "paint": {"circle-color": colour, "circle-radius": radius, "circle-stroke-color": stroke,
                                        "circle-stroke-width": stroke_width}}


def label(field: str, minzoom: int, size: int = 11, placement: str = "point", font=None) -> dict:
    layout = {"text-field": ["get", field], "text-font": font or FONT, "text-size": size,
              "symbol-placement": placement, "text-optional": True}
    if placement == "point":
        layout.update({"text-offset": [0, 1.1], "text-anchor": "top"})
    return {"type": "symbol", "minzoom": minzoom, "layout": layout, "paint": HALO}


def clusters(breakdown: tuple[str, ...], colour_hot: str, colour_cold: str, warm_share: float = 0.1) -> dict:
    """Aggregated cells: radius by count, colour by the share of the `breakdown` counts in the cell."""
    counted = ["+", 0, *[["coalesce", ["get", name], 0] for name in breakdown]]
    share = ["/", counted, ["max", ["get", "count"], 1]]
    return {"type": "circle", "filter": ["==", ["get", "cluster"], True], "paint": {
        "circle-color": ["interpolate", ["linear"], share, 0, colour_cold, warm_share, "#fdae61",
                         2 * warm_share, "#f46d43", 4 * warm_share, colour_hot],
        "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "count"]], 1, 2, 5, 3.5, 30, 8, 100, 14],
        "circle-opacity": 0.85, "circle-stroke-color": "#ffffff", "circle-stroke-width": 0.4}}


def not_cluster(layer: dict) -> dict:
    return {**layer, "filter": ["!=", ["get", "cluster"], True]}


HOUSE_STATUS = [("poor", "Hộ nghèo", "Poor", "#d7263d"), ("near_poor", "Cận nghèo", "Near-poor", "#f49d37"),
                ("temporary_house", "Nhà tạm", "Temporary house", "#7b2cbf"), ("normal", "Bình thường", "Normal", "#3f88c5")]
LIGHT_STATUS = [("on", "Đang sáng", "On", "#ffd23f"), ("off", "Tắt", "Off", "#8d99ae"), ("fault", "Sự cố", "Fault", "#e63946")]
CAMERA_STATUS = [("live", "Hoạt động", "Live", "#2a9d8f"), ("dead", "Mất tín hiệu", "Dead", "#e63946"),
                 ("unknown", "Chưa rõ", "Unknown", "#8d99ae")]
INCIDENT_KIND = [("fire", "Cháy", "Fire", "#e63946"), ("flood", "Ngập lụt", "Flood", "#1d70b8"),
                 ("traffic_accident", "Tai nạn giao thông", "Traffic accident", "#f77f00"),
                 ("rescue", "Cứu hộ, cứu nạn", "Rescue", "#6a4c93"), ("epidemic", "Dịch bệnh", "Epidemic", "#2b9348")]
SENSOR_KIND = [("water_level", "Mực nước", "Water level", "#0077b6"), ("air_quality", "Không khí", "Air quality", "#6c757d"),
               ("water_quality", "Chất lượng nước", "Water quality", "#00b4d8")]
LAND_USE = [("ODT", "Đất ở đô thị", "Urban residential", "#f6a5a5"), ("ONT", "Đất ở nông thôn", "Rural residential", "#f9c6a0"),
            ("TMD", "Thương mại, dịch vụ", "Commerce, services", "#e76f51"), ("SKK", "Khu công nghiệp", "Industrial park", "#b392ac"),
            ("SKC", "Cơ sở sản xuất", "Production", "#9d8189"), ("DGT", "Giao thông", "Transport", "#bcbcbc"),
            ("DGD", "Giáo dục", "Education", "#ffb4a2"), ("DYT", "Y tế", "Health", "#ff8fab"),
            ("CLN", "Cây lâu năm", "Perennial crops", "#95d5b2"), ("HNK", "Cây hằng năm", "Annual crops", "#d8f3dc"),
            ("LUC", "Chuyên trồng lúa", "Rice", "#fff3b0"), ("RSX", "Rừng sản xuất", "Production forest", "#52b788"),
            ("RPH", "Rừng phòng hộ", "Protection forest", "#2d6a4f"), ("NTS", "Nuôi trồng thủy sản", "Aquaculture", "#90e0ef"),
            ("CXD", "Công trình công cộng", "Public works", "#cdb4db")]
ROAD_CLASS = [("national", "Quốc lộ", "National", "#d62828"), ("provincial", "Tỉnh lộ", "Provincial", "#f77f00"),
              ("urban", "Đường đô thị", "Urban", "#6c757d"), ("commune", "Đường xã", "Commune", "#adb5bd")]
CONSTRUCTION = [("permitted", "Có phép", "Permitted", "#2a9d8f"), ("unpermitted", "Không phép", "Unpermitted", "#e63946"),
                ("suspended", "Đình chỉ", "Suspended", "#f4a261"), ("completed", "Hoàn thành", "Completed", "#8d99ae")]
REPORT_STATUS = [("received", "Đã tiếp nhận", "Received", "#e63946"), ("accepted", "Đã phân loại", "Accepted", "#f77f00"),
                 ("assigned", "Đã giao xử lý", "Assigned", "#fcbf49"), ("in_progress", "Đang xử lý", "In progress", "#4895ef"),
                 ("resolved", "Đã xử lý xong", "Resolved", "#2a9d8f"), ("closed", "Đã đóng", "Closed", "#8d99ae"),
                 ("rejected", "Từ chối", "Rejected", "#adb5bd"), ("duplicate", "Trùng lặp", "Duplicate", "#ced4da")]
OVERDUE_STROKE = ["case", ["==", ["get", "overdue"], True], "#6a040f", "#ffffff"]

LAYER_STYLES: dict[str, list[tuple[str, dict]]] = {
    "province": [("outline", {"type": "line", "paint": {"line-color": "#1d3557", "line-width": 2.6}})],
    "districts_2024": [("line", {"type": "line", "paint": {"line-color": "#6d6875", "line-width": 1.1,
                                                           "line-dasharray": [3, 2]}})],
    "communes": [
        ("fill", {"type": "fill", "paint": {"fill-color": match("kind", [("phường", "", "", "#f1e3d3")], "#eef4e6"),
                                            "fill-opacity": 0.55}}),
        ("line", {"type": "line", "paint": {"line-color": "#9a8c98", "line-width": ["interpolate", ["linear"], ["zoom"], 8, 0.4, 13, 1.4]}}),
        ("label", {**label("name", 9, 12, font=FONT_BOLD), "source-layer": "communes_labels", "layout": {
            "text-field": ["get", "name"], "text-font": FONT_BOLD, "text-optional": True,
            "text-size": ["interpolate", ["linear"], ["zoom"], 9, 10, 13, 14]}}),
    ],
    "waterways": [("line", {"type": "line", "paint": {"line-color": "#4ea8de", "line-width": ["match", ["get", "kind"], "river", 3, "canal", 1.6, 1]}}),
                  ("label", label("name", 11, 11, "line"))],
    "roads": [("line", {"type": "line", "layout": {"line-cap": "round", "line-join": "round"}, "paint": {
                  "line-color": match("road_class", ROAD_CLASS),
                  "line-width": ["match", ["get", "road_class"], "national", 3, "provincial", 2.2, "urban", 1.4, 1]}}),
              ("label", label("name", 13, 11, "line"))],
    "railways": [("line", {"type": "line", "paint": {"line-color": "#343a40", "line-width": 2, "line-dasharray": [4, 2]}})],
    "planning_zones": [("fill", {"type": "fill", "paint": {"fill-color": match("land_use_code", LAND_USE), "fill-opacity": 0.55,
                                                           "fill-outline-color": "#6d597a"}})],
    "land_parcels": [("fill", {"type": "fill", "paint": {"fill-color": match("land_use_code", LAND_USE), "fill-opacity": 0.6}}),
                     ("line", {"type": "line", "paint": {"line-color": "#7f5539", "line-width": 0.4}})],
    "land_use_changes": [("fill", {"type": "fill", "paint": {"fill-color": ["case", ["get", "permitted"], "#52b788", "#e63946"],
                                                             "fill-opacity": 0.6}})],
    "houses": [("clusters", clusters(("count_poor", "count_temporary_house"), "#a50026", "#74add1")),
               ("points", not_cluster(circle(match("status", HOUSE_STATUS), 3.5)))],
    "street_lights": [("clusters", clusters(("count_fault",), "#a50026", "#ffd23f", 0.05)),
                      ("points", not_cluster(circle(match("status", LIGHT_STATUS), 3.5, "#333333")))],
    "trees": [("clusters", clusters(("count_poor", "count_dangerous"), "#a50026", "#52b788")), ("points", not_cluster(circle("#40916c", 3)))],
    "enterprises": [("clusters", clusters(("count_electronics",), "#7209b7", "#4361ee", 0.2)),
                    ("points", not_cluster(circle("#4361ee", 4)))],
    "cameras": [("points", circle(match("status", CAMERA_STATUS), 6, "#1d3557")), ("label", label("name", 14, 10))],
    "field_reports": [("clusters", clusters(("count_received", "count_accepted", "count_assigned", "count_in_progress"),
                                            "#a50026", "#2a9d8f", 0.15)),
                      ("points", not_cluster(circle(match("status", REPORT_STATUS), 5.5, OVERDUE_STROKE,
                                                    ["case", ["==", ["get", "overdue"], True], 2.5, 1])))],
    "incidents": [("points", circle(match("kind", INCIDENT_KIND), ["interpolate", ["linear"], ["get", "severity"], 1, 5, 4, 10]))],
    "sensors": [("alert", {"type": "circle", "filter": [">", ["coalesce", ["get", "last_value"], 0], ["get", "threshold"]],
                           "paint": {"circle-color": "rgba(230,57,70,0.25)", "circle-radius": 14, "circle-stroke-color": "#e63946",
                                     "circle-stroke-width": 2}}),
                ("points", circle(match("kind", SENSOR_KIND), 6)), ("label", label("name", 13, 10))],
    "industrial_parks": [("fill", {"type": "fill", "paint": {"fill-color": "#b392ac", "fill-opacity": 0.45,
                                                             "fill-outline-color": "#5e548e"}}),
                         ("label", {**label("name", 10, 11), "source-layer": "industrial_parks_labels"})],
    "construction_sites": [("points", circle(match("status", CONSTRUCTION), 5))],
    "power_lines": [("line", {"type": "line", "paint": {"line-color": "#9d4edd",
                                                        "line-width": ["interpolate", ["linear"], ["get", "voltage_kv"], 22, 0.8, 500, 3]}})],
    "power_stations": [("points", circle("#9d4edd", 6))],
    "schools": [("points", circle("#ff9f1c", 5)), ("label", label("name", 14, 10))],
    "health_facilities": [("points", circle("#ef233c", 6)), ("label", label("name", 13, 10))],
    "water_supply": [("line", {"type": "line", "paint": {"line-color": "#0096c7", "line-width": 1.2}})],
    "drainage": [("line", {"type": "line", "paint": {"line-color": "#6c757d", "line-width": 1, "line-dasharray": [2, 1]}})],
    "bridges": [("points", circle("#495057", 5))],
    "tourism_sites": [("points", circle("#06d6a0", 6)), ("label", label("name", 12, 10))],
    "ocop_products": [("points", circle(["interpolate", ["linear"], ["get", "stars"], 3, "#ffd166", 5, "#ef476f"], 5))],
}

LEGENDS: dict[str, Legend] = {
    "houses": legend(HOUSE_STATUS) + [("Ô gộp: càng đỏ, càng nhiều hộ nghèo, nhà tạm", "Cells: the redder, the more poor or temporary houses", "#a50026")],
    "street_lights": legend(LIGHT_STATUS), "cameras": legend(CAMERA_STATUS), "incidents": legend(INCIDENT_KIND),
    "field_reports": legend(REPORT_STATUS) + [("Viền đậm: quá hạn xử lý", "Thick outline: overdue", "#6a040f"),
                                              ("Ô gộp: càng đỏ, càng nhiều phản ánh chưa xử lý",
                                               "Cells: the redder, the more open reports", "#a50026")],
    "sensors": legend(SENSOR_KIND) + [("Vượt ngưỡng", "Above threshold", "#e63946")],
    "planning_zones": legend(LAND_USE), "land_parcels": legend(LAND_USE), "roads": legend(ROAD_CLASS),
    "construction_sites": legend(CONSTRUCTION),
    "land_use_changes": [("Được phép", "Permitted", "#52b788"), ("Không phép", "Not permitted", "#e63946")],
    "communes": [("Phường", "Ward", "#f1e3d3"), ("Xã", "Commune", "#eef4e6")],
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
