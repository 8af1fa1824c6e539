"""NaN and Infinity are refused at every JSON and form boundary with a 400, never reach PostGIS (where a NaN
buffer radius once crashed the backend and restarted the cluster), and are never emitted."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from mapserver.errors import InvalidParameterValue
from mapserver.jsonio import JsonResponse, parse_json
from scenarios.sectors import all_specs

pytestmark = pytest.mark.django_db

NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"]
POINT = [106.82, 10.95]  # Biên Hòa


def _postmaster_started():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        return cursor.fetchone()[0]


@pytest.fixture
def cluster_survives():
    """The cluster was not restarted by the requests of the test."""
    before = _postmaster_started()
    yield
    assert _postmaster_started() == before


def _post_raw(client, path: str, text: str, content_type: str = "application/json"):
    return client.post(path, data=text.encode(), content_type=content_type)


def _assert_refused(response, what: str) -> None:
    assert response.status_code == 400, (what, response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] == "InvalidParameterValue" and body["description"], what


@pytest.mark.parametrize("literal", NON_FINITE)
def test_parse_json_refuses_non_finite_numbers(literal):
    with pytest.raises(InvalidParameterValue):
        parse_json(f'{{"radius_m": {literal}}}')


def test_parse_json_refuses_huge_integers_and_nul_characters():
    with pytest.raises(InvalidParameterValue, match="too large"):
        parse_json('{"offset": ' + "9" * 400 + "}")
    with pytest.raises(InvalidParameterValue, match="NUL"):
        parse_json('{"note": "a\\u0000b"}')
    assert parse_json('{"n": 9223372036854775807}') == {"n": 2**63 - 1}


def test_parse_json_refuses_deep_nesting_and_keeps_strings_with_brackets():
    with pytest.raises(InvalidParameterValue):
        parse_json("[" * 100_000 + "]" * 100_000)
    assert parse_json('{"a": "' + "[" * 60 + '\\"{{"}') == {"a": "[" * 60 + '"{{'}
    assert parse_json('{"x": 1.5, "n": 10}') == {"x": 1.5, "n": 10}


@pytest.mark.parametrize("literal", NON_FINITE)
def test_query_radius(api, cluster_survives, literal):
    text = f'{{"type": "radius", "center": [106.82, 10.95], "radius_m": {literal}}}'
    _assert_refused(_post_raw(api("t_admin"), "/api/query", text), literal)
    text = f'{{"type": "point", "point": [{literal}, 10.95]}}'
    _assert_refused(_post_raw(api("t_admin"), "/api/query", text), literal)


def _numeric_params():
    for spec in all_specs():
        for param in spec.all_params:
            if isinstance(param.default, (int, float)) and not isinstance(param.default, bool):
                yield spec.id, param.name


@pytest.mark.parametrize("scenario_id,param", list(_numeric_params()))
def test_every_numeric_scenario_parameter(api, cluster_survives, scenario_id, param):
    client = api("t_admin")
    for literal in ("NaN", "Infinity", "1e999"):
        text = f'{{"area": {{"type": "point", "point": {json.dumps(POINT)}}}, "params": {{"{param}": {literal}}}}}'
        _assert_refused(_post_raw(client, f"/api/scenarios/{scenario_id}/run", text), f"{scenario_id}.{param}")
        text = f'{{"inputs": {{"area": {{"type": "province"}}, "params": {{"{param}": {literal}}}}}}}'
        _assert_refused(_post_raw(client, f"/ogcapi/processes/{scenario_id}/execution", text), f"process {param}")


def test_scenario_radius_nan_does_not_restart_the_cluster(api, cluster_survives):
    """The reproduction of the crash: point_radius_m NaN on a point area."""
    params = [p.name for spec in (all_specs()) for p in spec.all_params if p.name == "point_radius_m"]
    assert params, "some scenario declares point_radius_m"
    for spec in all_specs():
        if any(p.name == "point_radius_m" for p in spec.all_params):
            text = '{"area": {"type": "point", "point": [106.82, 10.95]}, "params": {"point_radius_m": NaN}}'
            _assert_refused(_post_raw(api("t_admin"), f"/api/scenarios/{spec.id}/run", text), spec.id)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e999"])
def test_ogc_create_with_non_finite_coordinate_or_property(api, cluster_survives, literal):
    client = api("t_admin")
    feature = (
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [LITERAL, 10.95]},'
        ' "properties": {"name": "x"}}'.replace("LITERAL", literal)
    )
    _assert_refused(
        _post_raw(client, "/ogcapi/collections/construction_sites/items", feature, "application/geo+json"), literal
    )
    feature = (
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [106.82, 10.95]},'
        ' "properties": {"name": "x", "status": "permitted", "violations": LITERAL}}'.replace("LITERAL", literal)
    )
    _assert_refused(
        _post_raw(client, "/ogcapi/collections/construction_sites/items", feature, "application/geo+json"), literal
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999", "Infinity"])
def test_open311_coordinates(cluster_survives, client, value):
    from reports.models import ApiKey, ServiceCategory

    code = ServiceCategory.objects.values_list("code", flat=True).first()
    key = ApiKey.issue("test-portal", "portal")[1]
    for lat, lon in ((value, "106.82"), ("10.95", value)):
        response = client.post(
            "/open311/v2/requests.json",
            {"api_key": key, "service_code": code, "lat": lat, "long": lon, "description": "x"},
        )
        assert response.status_code == 400, response.content[:300]
        assert "must be" in response.content.decode()


def test_staff_transition_body(api, cluster_survives):
    from tests.reports.conftest import make_report

    report = make_report()
    response = _post_raw(api("t_admin"), f"/api/reports/{report.pk}/transition", '{"to": "accepted", "x": NaN}')
    _assert_refused(response, "transition")


def test_responses_never_carry_non_finite_numbers():
    with pytest.raises(ValueError):
        JsonResponse({"ratio": float("inf")})


def test_indicator_alerts_are_json_even_for_zero_targets(api):
    """A missed target of 0 once produced a bare Infinity ratio (not JSON)."""
    from geodata.models import Indicator, IndicatorValue
    from scenarios.indicators import judge

    verdict = judge(3.0, 0.0, higher_is_better=False)
    assert not verdict.met and verdict.relative_gap is None and verdict.severity == "high"
    indicator = Indicator.objects.create(
        code="T_ZERO",
        name="Số vụ cháy (kiểm thử)",
        unit="vụ",
        sector="fire",
        department="Công an tỉnh",
        target=0,
        higher_is_better=False,
    )
    value = IndicatorValue.objects.create(indicator=indicator, commune_code="26068", period="2026-10", value=3)
    response = api("t_admin").get("/api/indicators/alerts", {"period": value.period})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Infinity" not in text and "NaN" not in text
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in the alerts"))
