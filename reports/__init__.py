"""Field reports (phản ánh hiện trường) from commune staff and citizens.

This app owns: the Open311 GeoReport v2 endpoint (/open311/v2/), the report categories (service codes) with
their department and SLA, channel API keys, routing of a report to its commune and department, the workflow
(received -> ... -> closed) with its transition log, duplicate suggestions, ratings, the reporters' contact
details (kept in their own table and shown only to the handling unit's staff and admins), the staff API
(/api/reports), the phone page (/report), report photos, the `field_reports` layer (a view without reporter
fields) and the open/overdue indicators per commune.
"""
