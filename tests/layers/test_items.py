"""Part 1 core: items, paging, bbox, datetime, properties, sortby, numberMatched; one item with its ETag."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.contrib.gis.geos import Polygon

from geodata.models import House, Incident
from layers import queries
from tests.layers.conftest import HOME_COMMUNE, ids, point_in

pytestmark = pytest.mark.django_db
HOUSES = "/ogcapi/collections/houses/items"
INCIDENTS = "/ogcapi/collections/incidents/items"
TEST_HOUSES = "filter=address_code LIKE 'TST-%'"


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_default_page_is_ten_features_with_exact_counts(api, houses):
    document = get(api("t_leader"), HOUSES)
    assert document["type"] == "FeatureCollection"
    assert document["numberReturned"] == len(document["features"]) == 10
    assert document["numberMatched"] == House.objects.count()
    feature = document["features"][0]
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
    assert set(feature["properties"]) == {"address_code", "status", "members", "floors", "commune_code"}


@pytest.mark.parametrize("limit", ["0", "-1", "ten", "1.5"])  # above the maximum: clamped (test_ogc_compliance)
def test_bad_limits_are_400(api, limit):
    response = api("t_leader").get(f"{HOUSES}?limit={limit}")
    assert response.status_code == 400 and response.json()["code"] == "InvalidParameterValue"


def test_the_maximum_limit_is_accepted(api, houses):
    assert get(api("t_leader"), f"{HOUSES}?limit=10000&{TEST_HOUSES}")["numberReturned"] == 5


def test_next_links_walk_a_filtered_result_exactly_once(api, houses):
    client, url, seen, pages = api("t_leader"), f"{HOUSES}?limit=2&{TEST_HOUSES}&sortby=-members", [], 0
    while url:
        document = get(client, url)
        seen += [f["properties"]["members"] for f in document["features"]]
        links = {link["rel"]: link["href"] for link in document["links"]}
        assert (pages > 0) == ("prev" in links)
        if "next" in links:
            assert "filter=" in links["next"] and "sortby=-members" in links["next"]
        url = links.get("next", "").replace("http://testserver", "")
        pages += 1
    assert seen == [5, 4, 3, 2, 1] and pages == 3


def test_bbox_returns_what_intersects_the_box(api, houses):
    home = point_in(HOME_COMMUNE)
    box = (home.x - 0.00005, home.y - 0.001, home.x + 0.00025, home.y + 0.001)
    document = get(api("t_leader"), f"{HOUSES}?bbox={','.join(map(str, box))}&limit=1000")
    expected = set(House.objects.filter(geom__intersects=Polygon.from_bbox(box)).values_list("id", flat=True))
    assert set(ids(document)) == expected
    assert {h.id for h in houses[:3]} <= expected and houses[3].id not in expected


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "106,91,107,92", "1,2,3,4,5", "nan,1,2,3"])
def test_bad_bbox_is_400(api, bbox):
    response = api("t_leader").get(f"{HOUSES}?bbox={bbox}")
    assert response.status_code == 400 and response.json()["code"] == "InvalidParameterValue"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2031-03-02T08:00:00Z", [1]),
        ("2031-03-02", [1]),
        ("2031-03-01T00:00:00Z/2031-03-02T12:00:00Z", [0, 1]),
        ("../2031-03-01T09:00:00Z", [0]),
        ("2031-03-03T00:00:00Z/..", [2, 3]),
    ],
)
def test_datetime_instants_and_intervals(api, incidents, value, expected):
    document = get(api("t_leader"), f"{INCIDENTS}?datetime={value}&filter=description LIKE 'test incident%'&limit=100")
    assert sorted(ids(document)) == sorted(incidents[i].id for i in expected)


@pytest.mark.parametrize(
    "url",
    [
        f"{INCIDENTS}?datetime=yesterday",
        f"{INCIDENTS}?datetime=../..",
        f"{INCIDENTS}?datetime=2031-03-02/2031-03-01",
        "/ogcapi/collections/communes/items?datetime=yesterday",  # validated where it cannot apply too
    ],
)
def test_bad_datetime_is_400(api, url):
    assert api("t_leader").get(url).status_code == 400


def test_properties_select_a_subset_and_unknown_ones_are_400(api, houses):
    document = get(api("t_leader"), f"{HOUSES}?properties=status,members&limit=3")
    assert all(set(f["properties"]) == {"status", "members"} for f in document["features"])
    assert api("t_leader").get(f"{HOUSES}?properties=status,parcel_id").status_code == 400


def test_sortby_orders_and_rejects_unknown_fields(api, houses):
    document = get(api("t_leader"), f"{HOUSES}?{TEST_HOUSES}&sortby=status,-members")
    keys = [(f["properties"]["status"], -f["properties"]["members"]) for f in document["features"]]
    assert keys == sorted(keys)
    assert api("t_leader").get(f"{HOUSES}?sortby=geom").status_code == 400


def test_queryable_equality_parameters_filter(api, houses):
    document = get(api("t_leader"), f"{HOUSES}?status=poor&{TEST_HOUSES}")
    assert sorted(ids(document)) == sorted([houses[0].id, houses[3].id])
    assert api("t_leader").get(f"{HOUSES}?members=many").status_code == 400


def test_unknown_parameters_are_400(api):
    response = api("t_leader").get(f"{HOUSES}?colour=red")
    assert response.status_code == 400 and "colour" in response.json()["description"]


def test_number_matched_follows_inserts_through_the_cached_count(api, houses):
    client = api("t_leader")
    before = get(client, f"{HOUSES}?{TEST_HOUSES}")["numberMatched"]
    assert get(client, f"{HOUSES}?{TEST_HOUSES}")["numberMatched"] == before == 5  # served from the cache
    House.objects.create(
        address_code="TST-9", status="poor", members=2, commune_code=HOME_COMMUNE, geom=point_in(HOME_COMMUNE)
    )
    assert get(client, f"{HOUSES}?{TEST_HOUSES}")["numberMatched"] == 6


def test_unfiltered_counts_over_the_limit_are_estimates_and_say_so(api, monkeypatch):
    monkeypatch.setattr(queries, "EXACT_COUNT_LIMIT", 1)
    queries._ESTIMATES.clear()
    document = get(api(), "/ogcapi/collections/communes/items?limit=1")
    assert document["numberMatchedIsEstimate"] is True
    filtered = get(api(), "/ogcapi/collections/communes/items?limit=1&kind=xã")
    assert "numberMatchedIsEstimate" not in filtered


def test_one_item_with_etag_and_links(api, houses):
    response = api("t_leader").get(f"{HOUSES}/{houses[0].id}")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
    feature = response.json()
    assert feature["id"] == houses[0].id and feature["properties"]["address_code"] == "TST-0"
    assert abs(feature["geometry"]["coordinates"][0] - houses[0].geom.x) < 1e-6
    assert {link["rel"] for link in feature["links"]} >= {"self", "collection"}
    again = api("t_leader").get(f"{HOUSES}/{houses[0].id}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("fid", ["999999999", "abc", "0", "-3", "99999999999999999999"])
def test_missing_items_are_404(api, fid):
    response = api("t_leader").get(f"{HOUSES}/{fid}")
    assert response.status_code == 404 and response.json()["code"] == "NotFound"


def test_self_link_is_the_request_and_content_crs_is_crs84(api):
    response = api().get("/ogcapi/collections/communes/items?limit=2")
    assert response["Content-Crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    links = {link["rel"]: link["href"] for link in response.json()["links"]}
    assert urlsplit(links["self"]).query == "limit=2"
    assert "offset=2" in links["next"] and "prev" not in links


def test_last_page_has_no_next_link(api):
    document = get(api(), "/ogcapi/collections/communes/items?limit=90&offset=90")
    assert document["numberReturned"] == 5
    assert "next" not in {link["rel"] for link in document["links"]}


def test_datetime_filters_date_fields_by_day(api):
    from geodata.models import PlanningZone

    zone = PlanningZone.objects.filter(decision_date__isnull=False).first()
    if zone is None:
        pytest.skip("no planning zones with a decision date in the sample")
    day = zone.decision_date.isoformat()
    document = get(api(), f"/ogcapi/collections/planning_zones/items?datetime={day}&limit=1000")
    assert zone.id in ids(document)
    assert all(f["properties"]["decision_date"] == day for f in document["features"])


def test_naive_datetimes_are_utc(api, incidents):
    first = Incident.objects.get(pk=incidents[0].id).occurred_at.astimezone(dt.UTC)
    document = get(api(), f"{INCIDENTS}?datetime={first.strftime('%Y-%m-%dT%H:%M:%S')}")
    assert ids(document) == [incidents[0].id]


def test_bbox_includes_points_on_its_edge(api, houses):
    x, y = houses[0].geom.x, houses[0].geom.y
    document = get(api("t_leader"), f"{HOUSES}?bbox={x},{y},{x + 0.00005},{y + 0.00005}&limit=1000")
    assert houses[0].id in ids(document)


def test_bbox_on_polygons_agrees_with_st_intersects(api):
    from geodata.models import LandParcel

    parcel = LandParcel.objects.order_by("id").first()
    if parcel is None:
        pytest.skip("no land parcels in the sample")
    x1, y1, x2, y2 = parcel.geom.extent
    box = (x1 - 0.002, y1 - 0.002, (x1 + x2) / 2, (y1 + y2) / 2)  # cuts through parcels
    document = get(api(), f"/ogcapi/collections/land_parcels/items?bbox={','.join(map(str, box))}&limit=10000")
    expected = set(LandParcel.objects.filter(geom__intersects=Polygon.from_bbox(box)).values_list("id", flat=True))
    assert set(ids(document)) == expected and document["numberMatched"] == len(expected) and parcel.id in expected


def test_pages_stay_in_id_order_whichever_plan_serves_them(api, houses):
    client, url, seen = api("t_leader"), f"{HOUSES}?limit=2&{TEST_HOUSES}", []
    while url:  # the first page is counted on the way; later ones read the rare matches by index
        document = get(client, url)
        seen += ids(document)
        url = {link["rel"]: link["href"] for link in document["links"]}.get("next", "").replace("http://testserver", "")
    assert seen == sorted(h.id for h in houses)
