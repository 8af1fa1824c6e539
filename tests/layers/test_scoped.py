"""The scoped-access gateway (layers/scoped.py): the commune scope is written once, and every surface that reads
rows (items, tiles, /api/query, scenario runs, camera health) limits commune staff through it."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import mapbox_vector_tile
import pytest
from psycopg import sql

from geodata.models import Camera, House
from layers.registry import registry
from layers.scoped import ScopedLayer, scoped
from mapserver.errors import Forbidden, NotFound, Unauthorized
from mapserver.principal import Principal
from mapserver.scoping import LayerAccess
from scenarios.models import ScenarioRun
from scenarios.sqlparts import Params

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
APPS = ("mapserver", "geodata", "layers", "tiles", "scenarios", "reports", "cameras")
HOME = "26068"  # t_commune's commune (tests/conftest.py)
HOUSES = registry.get("houses")


def sources() -> dict[str, str]:
    """{relative path: text} of the apps' Python and SQL sources (migrations excluded)."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            if path.suffix in (".py", ".sql") and "migrations" not in path.parts:
                found[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    return found


def test_the_commune_scope_is_decided_in_scoping_and_written_only_in_the_gateway():
    """The commune a caller is limited to is read by two modules only: mapserver/scoping.py decides it,
    layers/scoped.py turns it into SQL and ORM filters. A copy of the scope elsewhere would have to read it."""
    readers = {path for path, text in sources().items() if re.search(r"\bread_commune\b", text)}
    assert readers == {"mapserver/scoping.py", "layers/scoped.py"}
    # the retired copies (layers scope_sql's own fragment, tiles _scope's, scenarios scope_predicate) stay gone
    copies = {path for path, text in sources().items() if "scope_predicate" in text or "%(scope_commune)s" in text}
    assert copies == set()
    # the role sets live in mapserver/scoping.py only
    role_sets = {path for path, text in sources().items() if re.search(r"\{Role\.ADMIN, Role\.LEADER", text)}
    assert role_sets == {"mapserver/scoping.py"}


def test_predicate_is_true_unscoped_and_a_bound_value_when_scoped():
    everyone = ScopedLayer(HOUSES, LayerAccess(read=True))
    assert everyone.predicate("t", {}).as_string() == "TRUE" and everyone.cache_scope == "all"
    params: dict = {}
    home = ScopedLayer(HOUSES, LayerAccess(read=True, read_commune=HOME))
    assert home.predicate("t", params).as_string() == '"t"."commune_code" = %(scope_commune)s'
    assert params == {"scope_commune": HOME} and home.cache_scope == f"c{HOME}"
    named = Params()
    assert isinstance(home.predicate("s", named, name="scope"), sql.Composable)
    assert list(named.values.values()) == [HOME]
    assert home.predicate(None, {}, column="commune").as_string() == '"commune" = %(scope_commune)s'
    assert set(home.queryset().values_list("commune_code", flat=True).distinct()) <= {HOME}


def test_scoped_raises_404_401_403_as_the_views_do():
    with pytest.raises(NotFound):
        scoped(Principal(), "no_such_layer")
    with pytest.raises(Unauthorized):
        scoped(Principal(), "houses")
    with pytest.raises(Forbidden):
        scoped(Principal(username="x", role="external_client"), "houses")
    assert scoped(Principal(username="x", role="commune_staff", commune_code=HOME), "houses").commune == HOME


@pytest.fixture
def spy(monkeypatch):
    """Every (layer id, commune) the gateway scoped SQL or rows for during the test."""
    seen: list[tuple[str, str | None]] = []
    predicate, queryset = ScopedLayer.predicate, ScopedLayer.queryset

    def spy_predicate(self, *args, **kwargs):
        seen.append((self.spec.id, self.commune))
        return predicate(self, *args, **kwargs)

    def spy_queryset(self, *args, **kwargs):
        seen.append((self.spec.id, self.commune))
        return queryset(self, *args, **kwargs)

    monkeypatch.setattr(ScopedLayer, "predicate", spy_predicate)
    monkeypatch.setattr(ScopedLayer, "queryset", spy_queryset)
    return seen


def test_items_limit_commune_staff_through_the_gateway(api, spy):
    doc = api("t_commune").get("/ogcapi/collections/houses/items?limit=200").json()
    assert doc["features"] and ("houses", HOME) in spy
    ids = [f["id"] for f in doc["features"]]
    assert House.objects.filter(id__in=ids).exclude(commune_code=HOME).count() == 0
    assert doc["numberMatched"] == House.objects.filter(commune_code=HOME).count()


def test_tiles_limit_commune_staff_through_the_gateway(api, spy, settings):
    settings.MAPSERVER_TILE_CACHE = False  # rendered now, through the gateway, not an earlier test's cached tile
    house = House.objects.filter(commune_code=HOME).exclude(geom=None).first()
    if house is None:
        pytest.skip("no houses in the home commune")
    z = 16
    x = int((house.geom.x + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(house.geom.y))) / math.pi) / 2 * 2**z)
    response = api("t_commune").get(f"/tiles/houses/{z}/{x}/{y}.mvt")
    assert response.status_code == 200 and ("houses", HOME) in spy
    layers = mapbox_vector_tile.decode(response.content)
    ids = [feature["id"] for feature in layers.get("houses", {}).get("features", [])]
    assert house.id in ids
    assert House.objects.filter(id__in=ids).exclude(commune_code=HOME).count() == 0


def test_spatial_query_limits_commune_staff_through_the_gateway(api, spy):
    body = {"type": "province", "layers": ["houses"]}
    response = api("t_commune").post("/api/query", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert ("houses", HOME) in spy
    assert response.json()["layers"]["houses"]["count"] == House.objects.filter(commune_code=HOME).count()


def test_scenario_run_limits_commune_staff_through_the_gateway(api, spy):
    body = {"area": {"type": "commune", "code": HOME}}
    response = api("t_commune").post(
        "/api/scenarios/social_welfare/run", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    run = ScenarioRun.objects.get(pk=response.json()["run_id"])
    assert run.scope == f"c{HOME}"
    assert any(commune == HOME for _, commune in spy)
    assert all(commune in (HOME, None) for _, commune in spy)


def test_camera_health_limits_commune_staff_through_the_gateway(api, spy):
    doc = api("t_commune").get("/api/cameras/health").json()
    assert ("cameras", HOME) in spy and doc["commune"] == HOME
    assert doc["total"] == Camera.objects.filter(commune_code=HOME).count()
