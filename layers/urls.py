"""URLs of the layers app: OGC API Features at /ogcapi."""

from django.urls import path, re_path

from layers.views import collections, item, items, landing, planning_documents, queryables

urlpatterns = [
    path("ogcapi", landing.landing, name="ogcapi-landing"),
    path("ogcapi/", landing.landing),
    path("ogcapi/conformance", landing.conformance, name="ogcapi-conformance"),
    path("ogcapi/api", landing.api, name="ogcapi-api"),
    path("ogcapi/collections", collections.collections, name="ogcapi-collections"),
    path("ogcapi/collections/<str:collection_id>", collections.collection, name="ogcapi-collection"),
    path("ogcapi/collections/<str:collection_id>/queryables", queryables.queryables, name="ogcapi-queryables"),
    path("ogcapi/collections/<str:collection_id>/schema", queryables.schema, name="ogcapi-schema"),
    path("ogcapi/collections/<str:collection_id>/search", items.search, name="ogcapi-search"),
    path("ogcapi/collections/<str:collection_id>/items", items.items, name="ogcapi-items"),
    path("ogcapi/collections/<str:collection_id>/items/<str:feature_id>", item.item, name="ogcapi-item"),
    path(
        "documents/planning/<str:commune>/<str:zone>/<str:kind>.pdf",
        planning_documents.planning_document,
        name="planning-document",
    ),
    re_path(r"^ogcapi/", landing.not_found),  # last: the other apps' /ogcapi routes are matched before ours
]
