"""OGC API - Processes suite assertions: /req/core/process-list (limit), the exception schema and its type URIs
(no-such-process, no-such-job, input validation), /req/core/process-execute-sync-one (the raw value of the one
output), and the processes, jobs and tiles paths in the /ogcapi OpenAPI definition."""

import json
import uuid

import pytest

from scenarios import sectors
from tests.scenarios.conftest import BIEN_HOA

pytestmark = pytest.mark.django_db
EXCEPTIONS = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/"
WARD = {"type": "commune", "code": BIEN_HOA}


def execute(api, user, process, body):
    return api(user).post(f"/ogcapi/processes/{process}/execution", json.dumps(body), content_type="application/json")


def assert_exception(response, status: int, type_uri: str) -> None:
    """The exception schema (exception.yaml): type required, title/status/detail as RFC 9457."""
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["type"] == type_uri and isinstance(body["title"], str) and body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]


def test_the_process_list_takes_a_limit(api):
    declared = [spec.id for spec in sectors.all_specs()]
    assert len(declared) > 3
    listed = api().get("/ogcapi/processes?limit=3").json()
    assert [p["id"] for p in listed["processes"]] == declared[:3]
    following = next(link for link in listed["links"] if link["rel"] == "next")
    rest = api().get(following["href"]).json()["processes"]
    assert [p["id"] for p in rest] == declared[3:6]
    assert len(api().get("/ogcapi/processes?limit=100000").json()["processes"]) == len(declared)
    assert len(api().get("/ogcapi/processes").json()["processes"]) == len(declared)
    assert not any(x["rel"] == "next" for x in api().get("/ogcapi/processes").json()["links"])
    assert_exception(api().get("/ogcapi/processes?limit=zero"), 400, "about:blank")


def test_unknown_processes_and_jobs_carry_their_exception_types(api):
    assert_exception(api().get("/ogcapi/processes/no_such_scenario"), 404, EXCEPTIONS + "no-such-process")
    response = execute(api, "t_planner", "no_such_scenario", {"inputs": {"area": WARD}})
    assert_exception(response, 404, EXCEPTIONS + "no-such-process")
    for path in (f"/ogcapi/jobs/{uuid.uuid4()}", f"/ogcapi/jobs/{uuid.uuid4()}/results", "/ogcapi/jobs/not-a-uuid"):
        assert_exception(api("t_planner").get(path), 404, EXCEPTIONS + "no-such-job")
    assert_exception(api().get("/ogcapi/jobs"), 401, "about:blank")


@pytest.mark.parametrize(
    "body",
    [
        {"area": WARD},
        {"inputs": {"area": {"type": "commune", "code": "99999"}}},
        {"inputs": {"area": WARD, "params": {"max_fault_pct": "many"}}},
        {"inputs": {"area": WARD}, "response": "both"},
    ],
)
def test_input_validation_answers_the_exception_schema(api, body):
    assert_exception(execute(api, "t_planner", "street_lighting", body), 400, "about:blank")


def test_one_output_is_returned_raw_unless_a_document_is_asked(api):
    raw = execute(api, "t_planner", "street_lighting", {"inputs": {"area": WARD}})
    assert raw.status_code == 200
    value = raw.json()
    job = raw["Location"].rsplit("/", 1)[1]
    stored = api("t_planner").get(f"/ogcapi/jobs/{job}/results").json()["result"]
    assert "result" not in value and value["groups"] == stored["groups"] and value["level"] == "on_demand"
    document = execute(api, "t_planner", "street_lighting", {"inputs": {"area": WARD}, "response": "document"})
    assert untimed(document.json()["result"]["groups"]) == untimed(value["groups"])  # another run: another "now"


def untimed(groups: dict) -> dict:
    """The groups of a run without the instant their freshness was measured from (each run has its own)."""
    return {k: {**g, "freshness": {**g.get("freshness", {}), "reference_time": None}} for k, g in groups.items()}


def test_openapi_lists_the_processes_jobs_and_tiles_paths(api):
    paths = api().get("/ogcapi/api?f=json").json()["paths"]
    expected = {
        "/processes": "get",
        "/processes/{processId}": "get",
        "/processes/{processId}/execution": "post",
        "/jobs": "get",
        "/jobs/{jobId}": "get",
        "/jobs/{jobId}/results": "get",
        "/tileMatrixSets": "get",
        "/tileMatrixSets/{tileMatrixSetId}": "get",
        "/collections/{collectionId}/tiles": "get",
        "/collections/{collectionId}/tiles/{tileMatrixSetId}": "get",
        "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}": "get",
    }
    for path, method in expected.items():
        operation = paths[path][method]
        declared = {p["name"] for p in operation["parameters"] if p.get("in") == "path"}
        assert declared == set(path.replace("}", "{").split("{")[1::2]), path
    tile = paths["/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"]["get"]
    assert {"200", "204", "404"} <= set(tile["responses"])
