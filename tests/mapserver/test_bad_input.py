"""Hostile input never gives a 500: every collection, the spatial query, scenario runs, Open311 and the tiles answer
4xx with a JSON {"code", "description"} (Open311: its [{"code", "description"}] list) for values that cannot apply.

Each test sends its whole set of requests and lists every request that failed, so one run shows all of them.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client

from layers.filters import family
from layers.queries import queryables
from layers.registry import registry
from scenarios.sectors import all_specs

pytestmark = pytest.mark.django_db

BIEN_HOA = [106.82, 10.95]
BAD_ITEMS_PARAMS = [
    {"bbox": "nan,0,1,1"},
    {"bbox": "1,2,3"},
    {"bbox": "1e999,0,1,1"},
    {"bbox": "0,0,1e308,1"},
    {"bbox": "-1e308,-90,1e308,90"},
    {"bbox": "1,2,3,4,5"},
    {"bbox": ",,,"},
    {"bbox": "0,0,1,1", "bbox-crs": "x"},
    {"bbox": "-1e30,-1e30,1e30,1e30", "bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/3857"},
    {"bbox": "-1e30,-1e30,1e30,1e30", "bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/5899"},
    {"datetime": "2026-13-45"},
    {"datetime": "2026-01-01T00:00:00+99:00"},
    {"datetime": "2026-01-01T25:61:00Z"},
    {"datetime": "9999-12-31"},
    {"datetime": "0001-01-01"},
    {"datetime": "0001-01-01T00:00:00+01:00"},
    {"datetime": "9999-12-31T23:59:59-23:59"},
    {"datetime": "../.."},
    {"datetime": "2026-01-01/2025-01-01"},
    {"datetime": "x/.."},
    {"datetime": "2026-01-01/2026-01-02/2026-01-03"},
    {"datetime": "-2026-01-01"},
    {"datetime": "99999-01-01T00:00:00Z"},
    {"datetime": "2026-01-01T00:00:00+23:59:59.999999"},
    {"limit": "-1"},
    {"limit": "1e30"},
    {"limit": "0"},
    {"limit": "99999999999999999999999"},
    {"limit": "nan"},
    {"offset": "1e30"},
    {"offset": "-1"},
    {"offset": "99999999999999999999999"},
    {"offset": "inf"},
    {"sortby": "unknown"},
    {"sortby": "+"},
    {"sortby": "-geom"},
    {"properties": "unknown"},
    {"properties": ",,"},
    {"crs": "EPSG:99999"},
    {"f": "xml"},
    {"filter-lang": "sql"},
    {"filter": "1 = 1", "filter-lang": "cql2-json"},
    {"filter": '{"op":"=","args":[{"property":"geom"},1]}', "filter-lang": "cql2-json"},
    {"filter": "[" * 5000 + "]" * 5000, "filter-lang": "cql2-json"},
    {"filter": "(" * 3000 + "TRUE" + ")" * 3000},
    {"filter": "S_INTERSECTS(geom, POINT(1e308 1e308))"},
    {"filter": "S_INTERSECTS(geom, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)))"},
    {"filter": "S_INTERSECTS(geom, BBOX(200, 100, 300, 120))"},
    {"filter": "S_INTERSECTS(geom, POINT(1e30 1e30))", "filter-crs": "http://www.opengis.net/def/crs/EPSG/0/3857"},
    {"filter": "S_WITHIN(geom, POINT(1 2))", "filter-crs": "http://www.opengis.net/def/crs/EPSG/0/5899"},
    {"filter": "geom = 1"},
    {"filter": "geom LIKE 'a%'"},
    {"filter": "geom > 'x'"},
    {"filter": "geom IN (1, 2)"},
    {"filter": "geom BETWEEN 1 AND 2"},
    {"filter": "lower(geom) = 'a'"},
    {"filter": "1 = 'a'"},
    {"filter": "'a' < TRUE"},
    {"filter": "DATE('2020-01-01') = 5"},
    {"filter": "T_AFTER(geom, DATE('2020-01-01'))"},
    {"filter": "S_INTERSECTS(1, geom)"},
    {"filter": "S_INTERSECTS('x', 'y')"},
    {"filter": "unknown_queryable = 1"},
    {"filter": "geom IS NULL"},
    {"filter": "CASEI(geom) = CASEI('x')"},
    {"filter": "ACCENTI(geom) = 'x'"},
]


def typed_filters(spec) -> list[str]:
    """CQL2 text filters that mix the types of this collection's queryables (each must be a 400, or a 200)."""
    first: dict[str, str] = {}
    for name, record_type in queryables(spec, private=True).items():
        first.setdefault(family(record_type), name)
    filters = []
    names = sorted(first.items())
    for index, (_, a) in enumerate(names):
        for _, b in names[index + 1 :]:
            filters += [f"{a} = {b}", f"{b} < {a}", f"{a} IN ({b}, {a})", f"{a} BETWEEN {b} AND {b}", f"{a} = geom"]
    literals = {
        "number": ["5", "1e400", "-99999999999999999999999", "99999999999999999999999.5"],
        "text": ["'x'", "'a\x00b'", "''"],
        "boolean": ["TRUE"],
        "temporal": [
            "DATE('2020-01-01')",
            "TIMESTAMP('0001-01-01T00:00:00Z')",
            "TIMESTAMP('9999-12-31T23:59:59Z')",
            "TIMESTAMP('2026-01-01T00:00:00+99:00')",
            "DATE('2026-02-30')",
        ],
    }
    for _, name in names:
        for values in literals.values():
            for value in values:
                filters += [f"{name} = {value}", f"{name} IN ({value}, {value})", f"{name} BETWEEN {value} AND 1"]
        filters += [
            f"{name} LIKE 'a%'",
            f"{name} LIKE 5",
            f"lower({name}) = 'a'",
            f"CASEI({name}) = CASEI('a')",
            f"S_INTERSECTS({name}, POINT(1 2))",
            f"T_AFTER({name}, TIMESTAMP('2020-01-01T00:00:00Z'))",
            f"T_DURING({name}, INTERVAL('..', '..'))",
            f"T_DURING({name}, INTERVAL('2021-01-01', '2020-01-01'))",
            f"{name} IS NULL",
            f"{name} = lower({name})",
            f"NOT {name}",
        ]
    return filters


def equals_values(spec) -> list[dict[str, str]]:
    """queryable=value parameters with values no column can hold."""
    hostile = [
        "x",
        "nan",
        "inf",
        "1e999",
        "99999999999999999999999",
        "2026-13-45",
        "2026-01-01T00:00:00+99:00",
        "0001-01-01T00:00:00+01:00",
        "a\x00b",
        "",
    ]
    return [{name: value} for name in spec.properties[:8] for value in hostile]


def problems_of(response, label: str, open311: bool = False) -> list[str]:
    """What is wrong with a response to a hostile request ([] when it is a 2xx/3xx or a well-formed 4xx)."""
    status = response.status_code
    if status >= 500:
        return [f"{label}: {status} {response.content[:200]!r}"]
    if status < 400:
        return []
    try:
        body = response.json()
    except ValueError:
        return [f"{label}: {status} without a JSON body: {response.content[:120]!r}"]
    if open311:
        body = body[0] if isinstance(body, list) and body else body
    if not isinstance(body, dict) or not body.get("code") or not body.get("description"):
        return [f"{label}: {status} without code/description: {body!r:.200}"]
    return []


class IsolatedClient(Client):
    """A client whose requests each run in a savepoint rolled back afterwards: one request's database error does
    not abort the test's transaction for the next ones (as separate autocommit requests are in production)."""

    def request(self, **request):
        savepoint = transaction.savepoint()
        try:
            return super().request(**request)
        finally:
            transaction.savepoint_rollback(savepoint)


@pytest.fixture
def raw(tokens):
    """raw(user) -> a client that returns 500 responses instead of raising the view's exception."""

    def make(user: str | None = None) -> Client:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[user]}"} if user else {}
        return IsolatedClient(raise_request_exception=False, **headers)

    return make


def test_every_collection_answers_hostile_items_parameters_with_a_400(raw):
    client = raw("t_admin")
    problems = []
    for spec in registry.all():
        base = f"/ogcapi/collections/{spec.id}/items"
        hostile = BAD_ITEMS_PARAMS + [{"filter": f} for f in typed_filters(spec)] + equals_values(spec)
        for params in hostile:
            problems += problems_of(client.get(base, params), f"{spec.id} {params!r:.160}")
        for params in ({"crs": "EPSG:99999"}, {"properties": "unknown"}, {"x": "1"}):
            problems += problems_of(client.get(f"{base}/1", params), f"{spec.id}/1 {params!r}")
    assert not problems, "\n".join(problems)


def test_every_collection_rejects_a_mismatched_comparison_before_sql(raw):
    """A type mismatch is the filter's fault (400 InvalidParameterValue), not the database's."""
    client = raw("t_admin")
    wrong = []
    for spec in registry.all():
        for text in ("geom = 1", "geom LIKE 'a%'"):
            response = client.get(f"/ogcapi/collections/{spec.id}/items", {"filter": text})
            if response.status_code != 400 or response.json()["code"] != "InvalidParameterValue":
                wrong.append(f"{spec.id} {text}: {response.status_code}")
    assert not wrong, wrong
    response = client.get("/ogcapi/collections/incidents/items", {"filter": "severity = kind"})
    assert response.status_code == 400 and "severity" in response.json()["description"]


def test_hostile_datetimes_are_400_and_valid_extremes_are_served(raw):
    client = raw("t_admin")
    for value in ("2026-01-01T00:00:00+99:00", "2026-13-45", "2026-01-01T24:00:01Z"):
        response = client.get("/ogcapi/collections/incidents/items", {"datetime": value})
        assert response.status_code == 400, value
        assert response.json()["code"] == "InvalidParameterValue"
    for value in ("9999-12-31", "0001-01-01/..", "../9999-12-31T23:59:59Z"):
        assert client.get("/ogcapi/collections/incidents/items", {"datetime": value}).status_code == 200, value


QUERY_BODIES = [
    {"type": "radius", "center": BIEN_HOA, "radius_m": 500, "layers": ["schools"], "features": True, "offset": 1e30},
    {"type": "radius", "center": BIEN_HOA, "radius_m": 500, "layers": ["schools"], "features": True, "offset": 10**30},
    {"type": "radius", "center": BIEN_HOA, "radius_m": 500, "layers": ["schools"], "features": True, "limit": 10**30},
    {"type": "radius", "center": BIEN_HOA, "radius_m": 500, "layers": ["schools"], "features": True, "limit": 1e30},
    {"type": "radius", "center": BIEN_HOA, "radius_m": 500, "layers": ["schools"], "features": True, "offset": -1},
    {
        "type": "radius",
        "center": BIEN_HOA,
        "radius_m": 500,
        "layers": ["schools"],
        "features": True,
        "offset": 2**63 - 1,
    },
    {"type": "radius", "center": BIEN_HOA, "radius_m": 10**30},
    {"type": "radius", "center": [10**30, 0], "radius_m": 5},
    {"type": "radius", "center": [180, 90], "radius_m": 50000, "layers": ["schools"]},
    {"type": "radius", "center": [-180, -90], "radius_m": 1, "layers": ["schools"]},
    {"type": "point", "point": [180, 90], "layers": ["schools"]},
    {"type": "point", "point": [1e308, 0]},
    {"type": "point", "point": ["1", "2"]},
    {"type": "point", "point": [1]},
    {
        "type": "polygon",
        "geometry": {"type": "Polygon", "coordinates": [[[179, 0], [-179, 0], [-179, 1], [179, 1], [179, 0]]]},
    },
    {"type": "polygon", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}},
    {"type": "polygon", "geometry": {"type": "Polygon", "coordinates": [[[0, 0]]]}},
    {"type": "polygon", "geometry": {"type": "Polygon", "coordinates": "x"}},
    {"type": "polygon", "geometry": {"type": "Polygon", "coordinates": [[[1e308, 0], [0, 1e308], [0, 0], [1e308, 0]]]}},
    {"type": "commune", "code": "99999999"},
    {"type": "commune", "code": 12345678901234567890},
    {"type": "commune", "code": "26068", "layers": "houses"},
    {"type": "commune", "code": "26068", "layers": [1]},
    {"type": "commune", "code": "26068", "layers": ["houses"], "group_by": {"houses": ["status"]}},
    {"type": "commune", "code": "26068", "layers": ["houses"], "sums": ["geom"]},
    {"type": "commune", "code": "26068", "layers": ["houses"], "sums": {"houses": "members"}},
    {"type": "commune", "code": "26068", "layers": ["elevation"], "features": True},
    {"type": "province", "layers": ["nope"]},
    {"type": None},
    {"type": ["point"]},
    [],
    "x",
    1,
    None,
]


def test_spatial_query_bodies_never_500(raw):
    client = raw("t_admin")
    problems = []
    for body in QUERY_BODIES:
        response = client.post("/api/query", json.dumps(body), content_type="application/json")
        problems += problems_of(response, f"query {body!r:.160}")
    for text in (
        "[" * 10_000 + "]" * 10_000,
        '{"type": "point", "point": [NaN, 1]}',
        '{"a": 1e999}',
        "{",
        '{"type": "radius", "center": [106.8, 10.9], "radius_m": 1' + "0" * 400 + "}",
        "\xff",
    ):
        response = client.post("/api/query", text.encode("utf-8", "surrogateescape"), content_type="application/json")
        problems += problems_of(response, f"query text {text[:60]!r}")
    assert not problems, "\n".join(problems)


def test_huge_query_offset_is_a_400(raw):
    body = {
        "type": "radius",
        "center": BIEN_HOA,
        "radius_m": 500,
        "layers": ["schools"],
        "features": True,
        "offset": 10**30,
    }
    response = raw("t_admin").post("/api/query", json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "InvalidParameterValue"


def scenario_bodies(spec) -> list[dict]:
    """Run bodies with hostile parameter values and areas."""
    area = {"type": "radius", "center": BIEN_HOA, "radius_m": 300}
    bodies = []
    for param in spec.all_params:
        for value in (
            1e308,
            -1e308,
            10**30,
            -(10**30),
            "x",
            True,
            None,
            [],
            {},
            "0001-01-01T00:00:00",
            "9999-12-31T23:59:59",
            "2026-01-01T00:00:00+99:00",
            "0001-01-01",
            "\x00",
        ):
            bodies.append({"area": area, "params": {param.name: value}})
    bodies += [{"area": a} for a in ({"type": "commune", "code": "1"}, {"type": "radius"}, [], None)]
    bodies += [
        {"area": area, "params": []},
        {"area": area, "level": "periodic"},
        {"area": area, "level": []},
        {"params": {}},
        [],
        {"area": area, "params": {"nope": 1}},
    ]
    return bodies


def test_scenario_run_bodies_never_500(raw):
    client = raw("t_admin")
    problems = []
    for spec in all_specs():
        for body in scenario_bodies(spec):
            response = client.post(f"/api/scenarios/{spec.id}/run", json.dumps(body), content_type="application/json")
            problems += problems_of(response, f"{spec.id} {body!r:.160}")
        response = client.post(
            f"/api/scenarios/{spec.id}/run", "[" * 5000 + "]" * 5000, content_type="application/json"
        )
        problems += problems_of(response, f"{spec.id} deep nesting")
        for path in (
            f"/api/scenarios/{spec.id}/runs/not-a-uuid",
            f"/api/scenarios/{spec.id}/runs?level=x",
            f"/api/scenarios/{spec.id}/runs/00000000-0000-0000-0000-000000000000/export?format=exe",
        ):
            problems += problems_of(client.get(path), path)
    assert not problems, "\n".join(problems)


def test_a_window_end_at_the_start_of_time_is_a_400(raw):
    """`until` near year 1 made the window start before datetime.min (an OverflowError)."""
    spec = next(s for s in all_specs() if "until" in {p.name for p in s.all_params})
    body = {"area": {"type": "radius", "center": BIEN_HOA, "radius_m": 300}, "params": {"until": "0001-01-01T00:00:00"}}
    response = raw("t_admin").post(f"/api/scenarios/{spec.id}/run", json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and "until" in response.json()["description"]


def test_open311_hostile_coordinates_and_dates_never_500(raw, db):
    from reports.models import ApiKey

    key = ApiKey.issue("test-bad-input", "portal")[1]
    client = raw()
    problems = []
    for lat, lon in (
        ("nan", "106.8"),
        ("10.9", "inf"),
        ("1e999", "106.8"),
        ("10.9", "-1e999"),
        ("0x1p3", "106.8"),
        ("", "106.8"),
        ("10,9", "106,8"),
        ("91", "106.8"),
        ("10.9", "181"),
        ("-0", "0"),
        ("10.9\x00", "106.8"),
        ("1" * 5000, "106.8"),
    ):
        for fmt in ("json", "xml"):
            response = client.post(
                f"/open311/v2/requests.{fmt}",
                {"api_key": key, "service_code": "waste", "lat": lat, "long": lon, "description": "x"},
            )
            if fmt == "json":
                problems += problems_of(response, f"POST lat={lat[:20]} long={lon}", open311=True)
            elif response.status_code >= 500:
                problems.append(f"POST xml lat={lat[:20]} long={lon}: {response.status_code}")
    for name in ("start_date", "end_date"):
        for value in (
            "2026-01-01T00:00:00+99:00",
            "2026-13-45",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31",
            "9999-12-31T23:59:59-23:59",
            "x" * 500,
            "2026-01-01T00:00:00\x00",
        ):
            response = client.get("/open311/v2/requests.json", {name: value})
            problems += problems_of(response, f"GET {name}={value[:40]}", open311=True)
    for params in (
        {"service_request_id": "1" * 30},
        {"service_request_id": "-1"},
        {"status": "x"},
        {"service_code": "\x00"},
        {"jurisdiction_id": "x"},
    ):
        problems += problems_of(client.get("/open311/v2/requests.json", params), f"GET {params}", open311=True)
    assert not problems, "\n".join(problems)


def test_tiles_out_of_range_never_500(raw):
    client = raw("t_admin")
    paths = []
    for z, x, y in (
        (25, 0, 0),
        (3, 99, 0),
        (3, 0, 8),
        (99999999999999999999, 0, 0),
        (0, 99999999999999999999, 0),
        (64, 2**63, 2**63),
        (30, 0, 0),
    ):
        paths += [
            f"/tiles/houses/{z}/{x}/{y}.mvt",
            f"/tiles/communes,roads/{z}/{x}/{y}.mvt",
            f"/tiles/raster/elevation/{z}/{x}/{y}.png",
            f"/ogcapi/collections/houses/tiles/WebMercatorQuad/{z}/{y}/{x}",
            f"/api/indicators/reports_open/tiles/2026-03/{z}/{x}/{y}.mvt",
        ]
    paths += [
        "/tiles/houses,houses,nope/1/0/0.mvt",
        "/tiles/" + ",".join(["houses"] * 500) + "/1/0/0.mvt",
        "/tiles/raster/nope/1/0/0.png",
        "/api/indicators/reports_open/tiles/9999-99/1/0/0.mvt",
        "/api/indicators/reports_open/tiles/0000/1/0/0.mvt",
        "/api/indicators/nope/tiles/2026/1/0/0.mvt",
        "/ogcapi/collections/houses/tiles/Nope/1/0/0",
        "/tiles/" + "x" * 5000 + ".json",
    ]
    problems = []
    for path in paths:
        problems += problems_of(client.get(path), path)
    assert not problems, "\n".join(problems)


def test_other_query_strings_never_500(raw):
    client = raw("t_admin")
    paths = [
        "/api/violations?limit=1e30",
        "/api/violations?limit=99999999999999999999",
        "/api/violations?since=x",
        "/api/violations?since=2026-01-01T00:00:00%2B99:00",
        "/api/violations?since=0001-01-01T00:00:00%2B01:00",
        "/api/reports?limit=1e30",
        "/api/reports?offset=99999999999999999999",
        "/api/reports?commune=x",
        "/api/reports?overdue=maybe",
        "/api/reports?status=x",
        "/api/indicators/alerts?commune=x",
        "/api/indicators/alerts?period=2026-13",
        "/api/indicators/nope/values?period=2026",
        "/api/indicators/reports_open/values?period=0000",
        "/api/indicators/reports_open/values?period=x",
    ]
    problems = []
    for path in paths:
        problems += problems_of(client.get(path), path)
    assert not problems, "\n".join(problems)


def test_filter_timestamps_are_strict_rfc_3339_and_cheap(raw):
    """pygeofilter hands TIMESTAMP() text to dateparser: "tomorrow" was accepted, and each malformed one cost a
    third of a second (a filter can hold hundreds); they are parsed strictly before pygeofilter sees them."""
    import time

    client = raw("t_admin")
    for text in (
        "T_AFTER(occurred_at, TIMESTAMP('tomorrow'))",
        "occurred_at > TIMESTAMP('3 days ago')",
        "T_DURING(occurred_at, INTERVAL('yesterday', '..'))",
        "occurred_at > DATE('2026-02-30')",
    ):
        response = client.get("/ogcapi/collections/incidents/items", {"filter": text})
        assert response.status_code == 400 and response.json()["code"] == "InvalidParameterValue", text
    many = " OR ".join(["occurred_at = TIMESTAMP('2026-01-01T00:00:00+99:00')"] * 100)
    started = time.monotonic()
    assert client.get("/ogcapi/collections/incidents/items", {"filter": many}).status_code == 400
    assert time.monotonic() - started < 5
    valid = "T_DURING(occurred_at, INTERVAL('2020-01-01', '2030-01-01T00:00:00Z')) AND occurred_at < DATE('2031-01-01')"
    assert client.get("/ogcapi/collections/incidents/items", {"filter": valid}).status_code == 200


def test_deeply_nested_filters_are_refused_before_parsing(raw):
    """A few thousand nested brackets, NOTs or signs overflowed cql2's (Rust) stack and killed the worker process
    (a segmentation fault, not even a 500)."""
    client = raw("t_admin")
    for params in (
        {"filter": "(" * 3000 + "TRUE" + ")" * 3000},
        {"filter": "[" * 3000 + "]" * 3000, "filter-lang": "cql2-json"},
        {"filter": "NOT " * 4900 + "severity = 1"},
        {"filter": "severity = " + "- " * 9000 + "1"},
        {"filter": "NOT " * 40 + "severity = 1"},
        {"filter": "severity = 1" + " AND severity = 1" * 1500},
    ):
        response = client.get("/ogcapi/collections/incidents/items", params)
        assert response.status_code == 400, params["filter"][:40]
    chain = " AND ".join(["severity >= 1"] * 500)  # long flat chains are fine: translated without recursion
    assert client.get("/ogcapi/collections/incidents/items", {"filter": chain}).status_code == 200
    for quoted in ("kind = '" + "(" * 100 + "'", "kind = '" + "NOT - " * 100 + "'", "NOT NOT severity > -1"):
        assert client.get("/ogcapi/collections/incidents/items", {"filter": quoted}).status_code == 200, quoted


def test_process_execution_and_report_transition_bodies_never_500(raw):
    from tests.reports.conftest import make_report

    client = raw("t_admin")
    area = {"type": "radius", "center": BIEN_HOA, "radius_m": 300}
    problems = []
    for body in (
        {"inputs": {"area": area, "params": {"days": 10**400}}},
        {"inputs": {"area": area, "params": []}},
        {"inputs": {"area": [], "params": {}}},
        {"inputs": []},
        {"inputs": {"area": area, "params": "x"}},
        {"inputs": {"area": {"type": "commune", "code": "0" * 30}}},
        [1],
        "x",
    ):
        response = client.post("/ogcapi/processes/fire/execution", json.dumps(body), content_type="application/json")
        problems += problems_of(response, f"process {body!r:.120}")
    for path in ("/ogcapi/jobs/not-a-uuid", "/ogcapi/jobs/00000000-0000-0000-0000-000000000000/results"):
        problems += problems_of(client.get(path), path)
    report = make_report()
    for body in (
        {"to": []},
        {"to": "accepted", "note": ["x"]},
        {"to": "duplicate", "duplicate_of": 10**30},
        {"to": "duplicate", "duplicate_of": "x"},
        {"to": "assigned", "assigned_to": {"a": 1}},
        {"to": "accepted", "service_code": 5},
        {"to": "accepted", "note": "\x00"},
        {"to": "x" * 10_000},
        {"to": "accepted", "public_note": "a" * 100_000},
    ):
        response = client.post(
            f"/api/reports/{report.pk}/transition", json.dumps(body), content_type="application/json"
        )
        problems += problems_of(response, f"transition {body!r:.120}")
    problems += problems_of(client.get("/api/reports/99999999999999999999"), "report id too large")
    assert not problems, "\n".join(problems)


def test_feature_writes_with_hostile_values_never_500(raw):
    from tests.layers.conftest import point_in

    client = raw("t_admin")
    home = point_in("26068")
    problems = []
    for properties in (
        {"description": "a\x00b"},
        {"severity": 10**30},
        {"severity": 1e308},
        {"cases": -(10**30)},
        {"occurred_at": "2026-01-01T00:00:00+99:00"},
        {"occurred_at": "9999-12-31T23:59:59-23:59"},
        {"occurred_at": "0001-01-01T00:00:00+01:00"},
        {"kind": ["fire"]},
        {"description": "x" * 5000},
    ):
        body = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [home.x, home.y]},
            "properties": {
                "kind": "fire",
                "occurred_at": "2031-05-01T10:00:00Z",
                "status": "reported",
                "severity": 2,
                **properties,
            },
        }
        response = client.post(
            "/ogcapi/collections/incidents/items", json.dumps(body), content_type="application/geo+json"
        )
        problems += problems_of(response, f"POST incident {properties!r:.100}")
    for geometry in (
        {"type": "Point", "coordinates": [1e308, 1e308]},
        {"type": "Point", "coordinates": [10**30, 0]},
        {"type": "Point", "coordinates": []},
        {"type": "Point", "coordinates": [[[[[1]]]]]},
    ):
        body = {
            "type": "Feature",
            "geometry": geometry,
            "properties": {"kind": "fire", "status": "reported", "occurred_at": "2031-05-01T10:00:00Z", "severity": 2},
        }
        response = client.post(
            "/ogcapi/collections/incidents/items", json.dumps(body), content_type="application/geo+json"
        )
        problems += problems_of(response, f"POST incident geometry {geometry!r:.100}")
    assert not problems, "\n".join(problems)
