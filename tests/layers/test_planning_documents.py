"""The planning zones' drawing, text and decision links answer with a PDF (they once answered 404)."""

from __future__ import annotations

import pytest
from django.test import Client

from geodata.models import PlanningZone

pytestmark = pytest.mark.django_db


def test_every_document_link_of_a_sample_zone_is_a_pdf_that_says_it_is_a_sample():
    zone = PlanningZone.objects.filter(synthetic=True).exclude(drawing_url="").order_by("pk").first()
    assert zone is not None
    for url in (zone.drawing_url, zone.text_url, zone.decision_url):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        body = response.content
        assert body.startswith(b"%PDF")


def test_the_links_in_the_ogc_items_resolve():
    feature = Client().get("/ogcapi/collections/planning_zones/items", {"limit": 3}).json()["features"][0]
    for key in ("drawing_url", "text_url", "decision_url"):
        assert Client().get(feature["properties"][key]).status_code == 200


def test_a_stored_file_is_served_as_it_is(settings, tmp_path):
    zone = PlanningZone.objects.filter(synthetic=True).order_by("pk").first()
    parts = zone.decision_url.strip("/").split("/")  # documents/planning/{commune}/{zone}/decision.pdf
    settings.MAPSERVER_MEDIA_DIR = tmp_path
    stored = tmp_path.joinpath(*parts)
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4 the province's own decision")
    response = Client().get(zone.decision_url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the province's own decision"


def test_unknown_documents_are_404_and_real_zones_without_a_file_too(settings, tmp_path):
    settings.MAPSERVER_MEDIA_DIR = tmp_path
    assert Client().get("/documents/planning/00000/9/drawing.pdf").status_code == 404
    zone = PlanningZone.objects.filter(synthetic=True).order_by("pk").first()
    assert Client().get(zone.drawing_url.replace("drawing.pdf", "other.pdf")).status_code == 404
    PlanningZone.objects.filter(pk=zone.pk).update(synthetic=False)
    assert Client().get(zone.drawing_url).status_code == 404
