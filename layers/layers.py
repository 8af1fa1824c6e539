"""Declarations of the layers stored by geodata (admin units and sector data)."""
from layers.registry import LayerSpec, registry

DERIVED_NOTE = "Ranh giới xã/phường 2025 là ranh giới suy diễn gần đúng (derived, approximate)"

registry.register(
    LayerSpec(
        id="province", title="Tỉnh Đồng Nai", title_en="Đồng Nai province", group="base",
        model_label="geodata.Province", geometry_type="MultiPolygon", properties=("code", "name"),
        commune_field=None, label_field="name", simplify=True, maxzoom=16,
    ),
    LayerSpec(
        id="districts_2024", title="Huyện/thành phố trước 2025", title_en="Districts before 2025", group="base",
        model_label="geodata.District2024", geometry_type="MultiPolygon",
        properties=("code", "name", "old_province_code", "old_province_name"),
        commune_field=None, label_field="name", simplify=True, maxzoom=16,
        description="The 22 pre-2025 districts (historical layer), real boundaries from gis.chinhphu.vn.",
    ),
    LayerSpec(
        id="communes", title="Xã, phường (2025)", title_en="Communes and wards (2025)", group="base",
        model_label="geodata.Commune", geometry_type="MultiPolygon",
        properties=("code", "name", "kind", "geometry_source", "area_km2"),
        commune_field="code", label_field="name", simplify=True, maxzoom=16, geometry_note=DERIVED_NOTE,
    ),
    LayerSpec(
        id="planning_zones", title="Phân khu quy hoạch", title_en="Planning zones", group="planning",
        model_label="geodata.PlanningZone", geometry_type="MultiPolygon",
        properties=("plan_name", "plan_level", "decision_no", "decision_date", "land_use_code", "max_height_m",
                    "max_density_pct", "drawing_url", "text_url", "decision_url", "commune_code"),
        sector="construction", editable=True, datetime_field="decision_date", simplify=True, minzoom=8,
        synthetic=True,
    ),
    LayerSpec(
        id="land_parcels", title="Thửa đất", title_en="Land parcels", group="land",
        model_label="geodata.LandParcel", geometry_type="MultiPolygon",
        properties=("map_sheet_no", "parcel_no", "area_m2", "land_use_code", "commune_code"),
        sector="agriculture_environment", simplify=True, minzoom=12, synthetic=True,
    ),
    LayerSpec(
        id="land_use_changes", title="Biến động sử dụng đất", title_en="Land-use changes", group="land",
        model_label="geodata.LandUseChange", geometry_type="MultiPolygon",
        properties=("from_code", "to_code", "changed_on", "permitted", "commune_code"),
        public=False, sector="agriculture_environment", datetime_field="changed_on", simplify=True, minzoom=10,
        synthetic=True,
    ),
    LayerSpec(
        id="houses", title="Nhà ở, địa chỉ số", title_en="Houses and digital addresses", group="housing",
        model_label="geodata.House", geometry_type="Point",
        properties=("address_code", "status", "members", "floors", "commune_code"),
        public=False, sector="home_affairs", cluster_below_zoom=13, cluster_category="status", synthetic=True,
        # the unique address codes are half of a z14 tile's bytes and encoding time: popups fetch them
        tile_properties=("status", "members", "floors", "commune_code"),
    ),
    LayerSpec(
        id="roads", title="Đường giao thông", title_en="Roads", group="infrastructure",
        model_label="geodata.Road", geometry_type="MultiLineString",
        properties=("road_class", "route_no", "name", "surface", "condition", "length_m", "commune_code"),
        sector="construction", label_field="name", simplify=True, synthetic=True,
    ),
    LayerSpec(
        id="waterways", title="Sông, kênh", title_en="Waterways", group="infrastructure",
        model_label="geodata.Waterway", geometry_type="MultiLineString",
        properties=("name", "kind", "navigable", "commune_code"), sector="construction", label_field="name",
        simplify=True, synthetic=True,
    ),
    LayerSpec(
        id="railways", title="Đường sắt", title_en="Railways", group="infrastructure",
        model_label="geodata.Railway", geometry_type="MultiLineString",
        properties=("name", "status", "commune_code"), sector="construction", label_field="name",
        simplify=True, synthetic=True,
    ),
    LayerSpec(
        id="bridges", title="Cầu", title_en="Bridges", group="infrastructure", model_label="geodata.Bridge",
        geometry_type="Point", properties=("name", "road_class", "length_m", "load_limit_t", "condition", "commune_code"),
        sector="construction", label_field="name", minzoom=9, synthetic=True,
    ),
    LayerSpec(
        id="power_lines", title="Đường dây điện", title_en="Power lines", group="infrastructure",
        model_label="geodata.PowerLine", geometry_type="MultiLineString",
        properties=("voltage_kv", "operator", "commune_code"), sector="industry_trade", simplify=True, minzoom=9,
        synthetic=True,
    ),
    LayerSpec(
        id="power_stations", title="Trạm điện, nhà máy điện", title_en="Power stations", group="infrastructure",
        model_label="geodata.PowerStation", geometry_type="Point",
        properties=("name", "kind", "capacity_mw", "commune_code"), sector="industry_trade", label_field="name",
        synthetic=True,
    ),
    LayerSpec(
        id="schools", title="Trường học", title_en="Schools", group="infrastructure", model_label="geodata.School",
        geometry_type="Point", properties=("name", "level", "students", "public", "commune_code"),
        sector="education", label_field="name", minzoom=9, synthetic=True,
    ),
    LayerSpec(
        id="health_facilities", title="Cơ sở y tế", title_en="Health facilities", group="infrastructure",
        model_label="geodata.HealthFacility", geometry_type="Point",
        properties=("name", "kind", "beds", "commune_code"), sector="health", label_field="name", synthetic=True,
    ),
    LayerSpec(
        id="water_supply", title="Cấp nước", title_en="Water supply", group="infrastructure",
        model_label="geodata.WaterSupply", geometry_type="MultiLineString",
        properties=("kind", "diameter_mm", "operator", "commune_code"), sector="construction", simplify=True,
        minzoom=11, synthetic=True,
    ),
    LayerSpec(
        id="drainage", title="Thoát nước", title_en="Drainage", group="infrastructure",
        model_label="geodata.Drainage", geometry_type="MultiLineString",
        properties=("kind", "diameter_mm", "condition", "commune_code"), sector="construction", simplify=True,
        minzoom=11, synthetic=True,
    ),
    LayerSpec(
        id="trees", title="Cây xanh", title_en="Trees", group="infrastructure", model_label="geodata.Tree",
        geometry_type="Point", properties=("species", "height_m", "planted_year", "condition", "commune_code"),
        sector="construction", minzoom=12, cluster_below_zoom=14, cluster_category="condition", synthetic=True,
    ),
    LayerSpec(
        id="street_lights", title="Chiếu sáng công cộng", title_en="Street lights", group="infrastructure",
        model_label="geodata.StreetLight", geometry_type="Point",
        properties=("status", "wattage_w", "kwh_month", "lamp_type", "commune_code"), sector="construction",
        editable=True, minzoom=10, cluster_below_zoom=14, cluster_category="status", synthetic=True,
    ),
    LayerSpec(
        id="cameras", title="Camera giám sát", title_en="Cameras", group="iot", model_label="geodata.Camera",
        geometry_type="Point",
        properties=("name", "owner_unit", "codec", "hls_url", "status", "view_direction_deg", "resolution",
                    "needs_transcoding", "last_checked_at", "commune_code"),
        private_properties=("rtsp_url",), public=False, sector="science_technology", editable=True,
        datetime_field="last_checked_at", label_field="name", synthetic=True,
    ),
    LayerSpec(
        id="sensors", title="Cảm biến môi trường, mực nước", title_en="Environment and water-level sensors",
        group="iot", model_label="geodata.Sensor", geometry_type="Point",
        properties=("code", "name", "kind", "parameter", "unit", "threshold", "last_value", "last_observed_at",
                    "commune_code"),
        sector="agriculture_environment", datetime_field="last_observed_at", label_field="name", synthetic=True,
    ),
    LayerSpec(
        id="industrial_parks", title="Khu công nghiệp", title_en="Industrial parks", group="economy",
        model_label="geodata.IndustrialPark", geometry_type="MultiPolygon",
        properties=("name", "operator", "area_ha", "occupancy_pct", "commune_code"), sector="industry_trade",
        label_field="name", simplify=True, synthetic=True,
    ),
    LayerSpec(
        id="enterprises", title="Doanh nghiệp", title_en="Enterprises", group="economy",
        model_label="geodata.Enterprise", geometry_type="Point",
        properties=("name", "tax_code", "sector", "employees", "commune_code"), sector="finance", minzoom=10,
        cluster_below_zoom=12, cluster_category="sector", synthetic=True,
    ),
    LayerSpec(
        id="tourism_sites", title="Du lịch, lễ hội", title_en="Tourism and festivals", group="economy",
        model_label="geodata.TourismSite", geometry_type="Point",
        properties=("name", "kind", "capacity", "visitors_today", "commune_code"), sector="culture_tourism",
        label_field="name", synthetic=True,
    ),
    LayerSpec(
        id="ocop_products", title="Sản phẩm OCOP", title_en="OCOP products", group="economy",
        model_label="geodata.OcopProduct", geometry_type="Point",
        properties=("name", "producer", "category", "stars", "commune_code"), sector="agriculture_environment",
        label_field="name", synthetic=True,
    ),
    LayerSpec(
        id="construction_sites", title="Công trình xây dựng", title_en="Construction sites", group="economy",
        model_label="geodata.ConstructionSite", geometry_type="Point",
        properties=("name", "permit_no", "status", "violations", "started_on", "commune_code"),
        sector="construction", editable=True, commune_editable=True, datetime_field="started_on",
        synthetic=True,
    ),
    LayerSpec(
        id="incidents", title="Sự cố, tai nạn, dịch bệnh", title_en="Incidents", group="emergency",
        model_label="geodata.Incident", geometry_type="Point",
        properties=("kind", "occurred_at", "status", "severity", "description", "cases", "commune_code"),
        sector="public_security", editable=True, commune_editable=True, datetime_field="occurred_at",
        synthetic=True,
    ),
)
