"""Landing page, conformance, OpenAPI definition, collections and queryables (Part 1 core, Part 3 queryables)."""
import pytest

pytestmark = pytest.mark.django_db


def test_landing_links_to_api_conformance_and_data(api):
    response = api().get("/ogcapi")
    assert response.status_code == 200
    rels = {link["rel"]: link for link in response.json()["links"]}
    assert {"self", "service-desc", "service-doc", "conformance", "data"} <= set(rels)
    assert rels["data"]["href"].endswith("/ogcapi/collections")
