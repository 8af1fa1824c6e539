"""The /ogcapi conformance document lists the tiles and processes classes, and their endpoints answer."""

import pytest

pytestmark = pytest.mark.django_db


def test_conformance_lists_features_tiles_and_processes_and_they_answer(client):
    classes = client.get("/ogcapi/conformance?f=json").json()["conformsTo"]
    assert any("ogcapi-features-1/1.0/conf/core" in c for c in classes)
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt" in classes
    assert "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/core" in classes
    assert client.get("/ogcapi/tileMatrixSets/WebMercatorQuad").status_code == 200
    assert client.get("/ogcapi/collections/communes/tiles/WebMercatorQuad").status_code == 200
    assert client.get("/ogcapi/processes").status_code == 200
