"""The field_reports layer: the reports_public view, which has no reporter field to leak."""

from layers.registry import Attribute as A
from layers.registry import LayerSpec, registry
from layers.shared_attributes import COMMUNE

registry.register(
    LayerSpec(
        id="field_reports",
        title="Phản ánh hiện trường",
        title_en="Field reports",
        group="reports",
        model_label="reports.PublicReport",
        geometry_type="Point",
        attributes=(
            A("service_code", "Lĩnh vực phản ánh", "Service", "category"),
            A("service_name", "Tên lĩnh vực", "Service name"),
            A("status", "Trạng thái xử lý", "Status"),
            A("open311_status", "Trạng thái Open311", "Open311 status"),
            A("status_notes", "Ghi chú xử lý", "Status notes"),
            A("description", "Nội dung phản ánh", "Description"),
            A("address", "Địa chỉ", "Address"),
            A("agency_responsible", "Cơ quan xử lý", "Agency responsible", "category"),
            A("department", "Sở, ngành", "Department", "category"),
            A("requested_at", "Thời điểm gửi", "Requested at"),
            A("updated_at", "Cập nhật lần cuối", "Updated at"),
            A("due_at", "Hạn xử lý", "Due at"),
            A("overdue", "Quá hạn", "Overdue"),
            A("rating", "Đánh giá của người dân", "Citizen rating", unit="/5"),
            A("media_url", "Ảnh", "Photo"),
            COMMUNE,
            A("commune_name", "Xã/phường", "Commune"),
        ),
        public=True,
        commune_field="commune_code",
        datetime_field="requested_at",
        label_field="service_name",
        cluster_below_zoom=11,
        cluster_category="status",
        source_tables=("reports_fieldreport", "reports_servicecategory"),  # the view's base tables key its tiles
        description="Open311 service requests from citizens and commune staff; reporters' identities are never "
        "part of this layer (they are stored apart and shown only to the handling unit).",
    ),
)
