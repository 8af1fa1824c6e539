"""URLs of the reports app: Open311 GeoReport v2, the staff API, the phone page and report photos."""

from django.urls import path, re_path

from reports.views import open311 as o
from reports.views import page as p
from reports.views import staff as s

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^open311/v2/discovery" + FMT, o.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FMT, o.services, name="open311-services"),
    re_path(r"^open311/v2/services/(?P<code>[A-Za-z0-9_\-]{1,32})" + FMT, o.service_definition, name="open311-service"),
    re_path(r"^open311/v2/requests" + FMT, o.requests_view, name="open311-requests"),
    re_path(r"^open311/v2/requests/(?P<request_id>[0-9]{1,18})" + FMT, o.request_detail, name="open311-request"),
    re_path(r"^open311/v2/tokens/(?P<token>[A-Za-z0-9_\-]{1,64})" + FMT, o.token_detail, name="open311-token"),
    re_path(r"^open311/v2/tokens/(?P<token>[A-Za-z0-9_\-]{1,64})/rating" + FMT, o.token_rating, name="open311-rating"),
    path("api/reports", s.report_list, name="reports-list"),
    path("api/reports/<int:report_id>", s.report_detail, name="reports-detail"),
    path("api/reports/<int:report_id>/transition", s.report_transition, name="reports-transition"),
    path("report", p.report_page, name="report-page"),
    path("report/submit", p.report_submit, name="report-submit"),
    path("report-sw.js", p.service_worker, name="report-sw"),
    re_path(r"^media/reports/(?P<name>[0-9a-f]{32}\.jpg)$", p.photo, name="report-photo"),
]
