"""A little fuzzing: random parameter values and bodies must give 2xx/4xx, never a 500."""

import json
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "hypothesis-mapserver"))  # keep caches out of the checkout

pytestmark = pytest.mark.django_db
PARAMS = [
    "limit",
    "offset",
    "bbox",
    "bbox-crs",
    "datetime",
    "properties",
    "sortby",
    "crs",
    "filter",
    "filter-lang",
    "filter-crs",
    "status",
    "members",
    "f",
]
SNIPPETS = [
    "",
    "..",
    "/",
    ",",
    "1",
    "-1",
    "1e309",
    "nan",
    "0,0,1,1",
    "106,10,107,11",
    "EPSG:4326",
    "EPSG:3857",
    "status = 'poor'",
    "members > 'x'",
    "S_INTERSECTS(geom,POINT(1 2))",
    "T_AFTER(status, DATE('2020-01-01'))",
    "2020-01-01/..",
    "2020-13-45",
    "+members",
    "-geom",
    "json",
    "html",
    "cql2-json",
    '{"op":"="}',
    "\x00",
    "é",
    "'",
    '"',
    "%",
    "(((",
    "members BETWEEN 'a' AND 2",
    "9" * 30,
]
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
values = st.one_of(
    st.sampled_from(SNIPPETS),
    st.text(max_size=30),
    st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=4).map(" ".join),
)


@FUZZ
@given(query=st.dictionaries(st.sampled_from(PARAMS), values, max_size=4))
def test_items_parameters_never_500(api, query):
    response = api("t_leader").get(f"/ogcapi/collections/houses/items?{urlencode(query)}")
    assert response.status_code in (200, 400), (query, response.content[:300])
    if response.status_code == 400:
        assert set(response.json()) == {"code", "description"}


@FUZZ
@given(
    fid=st.text(max_size=25),
    query=st.dictionaries(st.sampled_from(["crs", "properties", "f", "x"]), values, max_size=2),
)
def test_item_paths_never_500(api, fid, query):
    response = api("t_leader").get(f"/ogcapi/collections/houses/items/{fid.replace('/', '')}?{urlencode(query)}")
    assert response.status_code in (200, 301, 400, 404), (fid, query, response.content[:300])


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(
    properties=st.dictionaries(
        st.sampled_from(["kind", "severity", "occurred_at", "status", "cases", "x"]), json_values, max_size=5
    ),
    geometry=st.one_of(
        json_values,
        st.fixed_dictionaries({"type": st.sampled_from(["Point", "Polygon", "Nope"]), "coordinates": json_values}),
    ),
)
def test_feature_bodies_never_500(api, properties, geometry):
    body = json.dumps({"type": "Feature", "geometry": geometry, "properties": properties}, allow_nan=True)
    response = api("t_planner").post("/ogcapi/collections/incidents/items", body, content_type="application/geo+json")
    assert response.status_code in (201, 400, 403), (body, response.content[:300])
