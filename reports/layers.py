"""The field_reports layer: the reports_public view, which has no reporter field to leak."""
from layers.registry import LayerSpec, registry

registry.register(
    LayerSpec(
        id="field_reports", title="Phản ánh hiện trường", title_en="Field reports", group="reports",
        model_label="reports.PublicReport", geometry_type="Point",
        properties=("service_code", "service_name", "status", "open311_status", "status_notes", "description",
                    "address", "agency_responsible", "department", "requested_at", "updated_at", "due_at",
                    "overdue", "rating", "media_url", "commune_code", "commune_name"),
        public=True, commune_field="commune_code", datetime_field="requested_at", label_field="service_name",
        cluster_below_zoom=11, cluster_category="status",
        description="Open311 service requests from citizens and commune staff; reporters' identities are never "
                    "part of this layer (they are stored apart and shown only to the handling unit).",
    ),
)
