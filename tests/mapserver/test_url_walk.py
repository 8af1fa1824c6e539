"""Every URL pattern, every caller: an endpoint cannot be added without saying who may call it.

ACCESS lists each pattern of the URL configuration with the cases to call and who may call them:
`PUBLIC` (everybody), `AUTHENTICATED` (any account), or role descriptors: `admin`, `commune_staff`,
`department_staff[home_affairs]` (with that sector), `external_client[houses]` (with that grant). `hide=True`
means callers without access get 404, as for a collection that does not exist; `scoped=True` means commune
staff see only their commune's rows (the cases marked "outside" check that with a row of another commune).

Each case is called anonymously and with every role's token (tests/conftest.py ROLE_USERS):
anonymous gets 401 (404 when hidden) on non-public endpoints, callers without access 403 or 404 (404 when
hidden), callers with access neither 401 nor 403, and nobody a server error. A pattern missing from ACCESS fails
the test; so does a case whose path does not reach its pattern.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.conftest import ROLE_USERS

pytestmark = pytest.mark.django_db
PUBLIC, AUTHENTICATED = "public", "authenticated"

HOUSE_READERS = (
    "admin",
    "leader",
    "planner",
    "department_staff[home_affairs]",
    "commune_staff",
    "external_client[houses]",
)
CAMERA_READERS = ("admin", "leader", "planner", "department_staff[science_technology]", "commune_staff")
STAFF = ("admin", "leader", "planner", "department_staff", "commune_staff")
INCIDENT_WRITERS = ("admin", "planner", "department_staff[public_security]", "commune_staff")
# a street-light report in t_commune's commune: read by province roles and its handling unit
REPORT_READERS = ("admin", "leader", "planner", "commune_staff", "department_staff[construction]")
REPORT_HANDLERS = ("admin", "commune_staff", "department_staff[construction]")
# an alert in t_commune's commune for the construction sector: seen by province roles and those two units,
# handled by admins, leaders and the two units
ALERT_READERS = ("admin", "leader", "planner", "commune_staff", "department_staff[construction]")
ALERT_HANDLERS = ("admin", "leader", "commune_staff", "department_staff[construction]")
# indicator entry: admins, departments (their own indicators; others get a 400 by row) and communes (their own)
ENTRY_WRITERS = ("admin", "department_staff", "commune_staff")
ENTRY_BODY = {"period": "2026-10", "commune": "26068", "values": [{"indicator": "XH_HO_NGHEO", "value": 1.5}]}
# a social_welfare run made by an admin (scope "all"): commune staff have another scope, so 404
ADMIN_RUN_READERS = ("admin", "leader", "planner", "department_staff[home_affairs]", "external_client[houses]")


@dataclass(frozen=True)
class Case:
    """One call: method, path (with {sample} slots), body, and who may make it."""

    path: str
    who: str | tuple[str, ...]
    method: str = "get"
    body: dict | None = None
    hide: bool = False
    scoped: bool = False
    anonymous: int = 401  # what anonymous callers get when not allowed (Open311 answers 403 without api_key)
    note: str = ""


def get(path: str, who=PUBLIC, **kw) -> Case:
    return Case(path, who, **kw)


def post(path: str, who, body: dict | None = None, **kw) -> Case:
    return Case(path, who, method="post", body=body, **kw)


AREA = {"type": "commune", "code": "26068"}
ACCESS: dict[str, list[Case]] = {
    "healthz": [get("/healthz")],
    "metrics": [get("/metrics", ("admin",))],
    "api/layers": [get("/api/layers")],
    "api/communes.geojson": [get("/api/communes.geojson")],
    "accounts/login/": [get("/accounts/login/"), post("/accounts/login/", PUBLIC)],
    "accounts/logout/": [post("/accounts/logout/", PUBLIC)],
    "": [get("/")],
    "tiles/raster/<str:layer_id>/<int:z>/<int:x>/<int:y>.png": [get("/tiles/raster/elevation/10/815/480.png")],
    "tiles/<str:layers>/<int:z>/<int:x>/<int:y>.mvt": [
        get("/tiles/communes/10/815/480.mvt"),
        get("/tiles/houses/14/13047/7686.mvt", HOUSE_READERS, scoped=True),
        get("/tiles/communes,cameras/14/13047/7686.mvt", CAMERA_READERS, scoped=True),
    ],
    "tiles/<str:layers>.json": [get("/tiles/communes.json"), get("/tiles/houses.json", HOUSE_READERS, scoped=True)],
    "styles/operations.json": [get("/styles/operations.json")],
    "ogcapi/tileMatrixSets": [get("/ogcapi/tileMatrixSets")],
    "ogcapi/tileMatrixSets/<str:tms_id>": [get("/ogcapi/tileMatrixSets/WebMercatorQuad")],
    "ogcapi/collections/<str:collection_id>/tiles": [
        get("/ogcapi/collections/communes/tiles"),
        get("/ogcapi/collections/houses/tiles", HOUSE_READERS),
    ],
    "ogcapi/collections/<str:collection_id>/tiles/<str:tms_id>": [
        get("/ogcapi/collections/communes/tiles/WebMercatorQuad"),
        get("/ogcapi/collections/houses/tiles/WebMercatorQuad", HOUSE_READERS),
    ],
    "ogcapi/collections/<str:collection_id>/tiles/<str:tms_id>/<int:tile_matrix>/<int:tile_row>/<int:tile_col>": [
        get("/ogcapi/collections/communes/tiles/WebMercatorQuad/10/480/815"),
        get("/ogcapi/collections/houses/tiles/WebMercatorQuad/14/7686/13047", HOUSE_READERS, scoped=True),
    ],
    "api/query": [
        post("/api/query", PUBLIC, {"type": "province", "layers": ["communes"]}),
        post("/api/query", HOUSE_READERS, {**AREA, "layers": ["houses"]}, scoped=True),
        post("/api/query", PUBLIC, note="empty body: 400 for everyone"),
    ],
    "api/indicators": [get("/api/indicators")],
    "api/indicators/alerts": [get("/api/indicators/alerts")],
    "api/indicators/<str:code>/values": [get("/api/indicators/{indicator}/values")],
    # indicator entry (issue 14): the units that own figures write, province staff read versions and the tracker
    "api/indicators/entry": [
        get("/api/indicators/entry?period=2026-10", ENTRY_WRITERS),
        post("/api/indicators/entry", ENTRY_WRITERS, ENTRY_BODY, note="other departments: 400 by row"),
    ],
    "api/indicators/entry/upload": [post("/api/indicators/entry/upload", ENTRY_WRITERS, note="no file: 400")],
    "api/indicators/entry/template": [get("/api/indicators/entry/template?period=2026-10", ENTRY_WRITERS)],
    "api/indicators/tracker": [
        get("/api/indicators/tracker?period=2026-10", STAFF, scoped=True),
        post("/api/indicators/tracker?period=2026-10", ("admin", "leader")),
    ],
    "api/indicators/locks": [get("/api/indicators/locks", STAFF)],
    "api/indicators/locks/<str:period>": [post("/api/indicators/locks/2030-01", ("admin", "leader"))],
    "api/indicators/<str:code>/history": [
        get("/api/indicators/KT_GRDP/history?commune=26068", ("admin", "leader", "planner", "commune_staff"))
    ],
    "api/indicators/<str:code>/tiles/<str:period>/<int:z>/<int:x>/<int:y>.mvt": [
        get("/api/indicators/{indicator}/tiles/{period}/10/815/480.mvt")
    ],
    "api/scenarios": [
        get("/api/scenarios"),
        post("/api/scenarios", ("admin",), note="a new scenario; empty body: 400 for admins"),
    ],
    "api/scenarios/<str:scenario_id>/definition": [
        get("/api/scenarios/ocop_products/definition", STAFF),
        Case("/api/scenarios/ocop_products/definition", ("admin",), method="put", note="empty body: 400 for admins"),
    ],
    "api/scenarios/<str:scenario_id>/history": [get("/api/scenarios/ocop_products/history", STAFF)],
    "api/jobs": [get("/api/jobs", ("admin",))],
    "api/jobs/<str:name>/runs": [get("/api/jobs/scenarios.periodic/runs", ("admin",))],
    "api/violations": [get("/api/violations", AUTHENTICATED)],
    "api/scenarios/<str:scenario_id>": [get("/api/scenarios/social_welfare")],
    "api/scenarios/<str:scenario_id>/run": [
        post("/api/scenarios/social_welfare/run", HOUSE_READERS, {"area": AREA}, scoped=True),
        post("/api/scenarios/social_welfare/run", AUTHENTICATED, note="empty body: 401, then the body's 400"),
    ],
    "api/scenarios/<str:scenario_id>/runs": [get("/api/scenarios/social_welfare/runs", HOUSE_READERS, scoped=True)],
    "api/scenarios/<str:scenario_id>/runs/<str:run_id>": [
        get("/api/scenarios/social_welfare/runs/{run}", ADMIN_RUN_READERS, scoped=True)
    ],
    "api/scenarios/<str:scenario_id>/runs/<str:run_id>/export": [
        get("/api/scenarios/social_welfare/runs/{run}/export?format=html", ADMIN_RUN_READERS, scoped=True)
    ],
    "ogcapi/processes": [get("/ogcapi/processes")],
    "ogcapi/processes/<str:process_id>": [get("/ogcapi/processes/social_welfare")],
    "ogcapi/processes/<str:process_id>/execution": [
        post("/ogcapi/processes/social_welfare/execution", HOUSE_READERS, {"inputs": {"area": AREA}}, scoped=True),
        post("/ogcapi/processes/social_welfare/execution", AUTHENTICATED, note="empty body"),
    ],
    "ogcapi/jobs": [get("/ogcapi/jobs", AUTHENTICATED)],
    "ogcapi/jobs/<str:job_id>": [get("/ogcapi/jobs/{run}", ADMIN_RUN_READERS, scoped=True)],
    "ogcapi/jobs/<str:job_id>/results": [get("/ogcapi/jobs/{run}/results", ADMIN_RUN_READERS, scoped=True)],
    r"^open311/v2/discovery\.(?P<fmt>json|xml)$": [get("/open311/v2/discovery.json")],
    r"^open311/v2/services\.(?P<fmt>json|xml)$": [get("/open311/v2/services.xml")],
    r"^open311/v2/services/(?P<code>[A-Za-z0-9_\-]{1,32})\.(?P<fmt>json|xml)$": [
        get("/open311/v2/services/street_light.json")
    ],
    r"^open311/v2/requests\.(?P<fmt>json|xml)$": [
        get("/open311/v2/requests.json"),
        post("/open311/v2/requests.json", STAFF, anonymous=403, note="api_key or a staff bearer token"),
    ],
    r"^open311/v2/requests/(?P<request_id>[0-9]{1,18})\.(?P<fmt>json|xml)$": [
        get("/open311/v2/requests/{report}.json")
    ],
    r"^open311/v2/tokens/(?P<token>[A-Za-z0-9_\-]{1,64})\.(?P<fmt>json|xml)$": [
        get("/open311/v2/tokens/not-a-real-token.json", note="the token is the credential: 404")
    ],
    r"^open311/v2/tokens/(?P<token>[A-Za-z0-9_\-]{1,64})/rating\.(?P<fmt>json|xml)$": [
        post("/open311/v2/tokens/not-a-real-token/rating.json", PUBLIC)
    ],
    "api/reports": [get("/api/reports", STAFF, scoped=True)],
    "api/reports/<int:report_id>": [
        get("/api/reports/{report}", REPORT_READERS, scoped=True),
        get(
            "/api/reports/{report_outside}",
            ("admin", "leader", "planner", "department_staff[construction]"),
            note="outside t_commune's commune",
        ),
    ],
    "api/reports/<int:report_id>/transition": [post("/api/reports/{report}/transition", REPORT_HANDLERS, scoped=True)],
    "api/alerts": [get("/api/alerts", STAFF, scoped=True)],
    "api/alerts/<int:alert_id>": [get("/api/alerts/{alert}", ALERT_READERS, scoped=True)],
    "api/alerts/<int:alert_id>/acknowledge": [post("/api/alerts/{alert}/acknowledge", ALERT_HANDLERS, scoped=True)],
    "api/alerts/<int:alert_id>/resolve": [post("/api/alerts/{alert}/resolve", ALERT_HANDLERS, {"note": "ok"})],
    "report": [get("/report")],
    "report/submit": [post("/report/submit", PUBLIC, note="the phone page (CSRF by the middleware)")],
    "report-sw.js": [get("/report-sw.js")],
    r"^media/reports/(?P<name>[0-9a-f]{32}\.jpg)$": [get("/media/reports/" + "0" * 32 + ".jpg")],
    "api/cameras/health": [get("/api/cameras/health", CAMERA_READERS, scoped=True)],  # counts of readable cameras
    "hls/<int:camera_id>/<str:name>": [
        get("/hls/{camera}/index.m3u8", CAMERA_READERS, scoped=True),
        get(
            "/hls/{camera_outside}/index.m3u8",
            ("admin", "leader", "planner", "department_staff[science_technology]"),
            note="outside t_commune's commune",
        ),
    ],
    "api/events": [get("/api/events", note="every caller: each gets only the events their scope shows")],
    "sta/v1.1": [get("/sta/v1.1")],
    "sta/v1.1/": [get("/sta/v1.1/")],
    r"^sta/v1\.1/(?P<path>.+)$": [
        get("/sta/v1.1/Things?$expand=Datastreams"),
        get("/sta/v1.1/Datastreams({sensor})/Observations?$top=2"),
        post("/sta/v1.1/Observations", ("admin",), note="devices with a grant, and admins (empty body: 400)"),
        post("/sta/v1.1/CreateObservations", ("admin",), note="devices with a grant, and admins"),
    ],
    "ogcapi": [get("/ogcapi")],
    "ogcapi/": [get("/ogcapi/")],
    "ogcapi/conformance": [get("/ogcapi/conformance")],
    "ogcapi/api": [get("/ogcapi/api")],
    "ogcapi/collections": [get("/ogcapi/collections")],
    "ogcapi/collections/<str:collection_id>": [
        get("/ogcapi/collections/communes"),
        get("/ogcapi/collections/houses", HOUSE_READERS, hide=True),
    ],
    "ogcapi/collections/<str:collection_id>/queryables": [
        get("/ogcapi/collections/communes/queryables"),
        get("/ogcapi/collections/houses/queryables", HOUSE_READERS, hide=True),
    ],
    "ogcapi/collections/<str:collection_id>/schema": [
        get("/ogcapi/collections/communes/schema"),
        get("/ogcapi/collections/houses/schema", HOUSE_READERS, hide=True),
    ],
    "ogcapi/collections/<str:collection_id>/search": [
        post("/ogcapi/collections/communes/search", PUBLIC, {"limit": 1}),
        post("/ogcapi/collections/houses/search", HOUSE_READERS, {"limit": 1}, hide=True, scoped=True),
    ],
    "ogcapi/collections/<str:collection_id>/items": [
        get("/ogcapi/collections/communes/items"),
        get("/ogcapi/collections/houses/items", HOUSE_READERS, hide=True, scoped=True),
        get("/ogcapi/collections/cameras/items", CAMERA_READERS, hide=True, scoped=True),
        post("/ogcapi/collections/incidents/items", INCIDENT_WRITERS, scoped=True),
        post(
            "/ogcapi/collections/cameras/items",
            ("admin", "planner", "department_staff[science_technology]"),
            hide=True,
            note="readers who may not write: 403; others: 404",
        ),
        post("/ogcapi/collections/houses/items", (), hide=True, note="not editable: readers 403, others 404"),
    ],
    "ogcapi/collections/<str:collection_id>/items/<str:feature_id>": [
        get("/ogcapi/collections/communes/items/{commune}"),
        get("/ogcapi/collections/houses/items/{house}", HOUSE_READERS, hide=True, scoped=True),
        get(
            "/ogcapi/collections/houses/items/{house_outside}",
            ("admin", "leader", "planner", "department_staff[home_affairs]", "external_client[houses]"),
            hide=True,
            note="outside t_commune's commune",
        ),
        Case("/ogcapi/collections/incidents/items/{incident}", INCIDENT_WRITERS, method="patch", scoped=True),
        Case(
            "/ogcapi/collections/incidents/items/{incident}",
            INCIDENT_WRITERS,
            method="delete",
            scoped=True,
            note="no If-Match: writers get 428, nothing is deleted",
        ),
    ],
    "documents/planning/<str:commune>/<str:zone>/<str:kind>.pdf": [get("{planning_document}")],
    "^ogcapi/": [get("/ogcapi/no-such-thing")],
}


def url_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every pattern's full route string (included patterns joined to their prefix)."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found.extend(url_patterns(entry, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return found


def test_every_url_pattern_has_an_access_rule():
    patterns = url_patterns()
    missing = sorted(set(patterns) - set(ACCESS))
    assert not missing, f"URL patterns with no entry in ACCESS (say who may call them): {missing}"
    stale = sorted(set(ACCESS) - set(patterns))
    assert not stale, f"ACCESS lists patterns that no longer exist: {stale}"
    assert all(ACCESS[p] for p in patterns)


def allowed(who: str | tuple[str, ...], username: str) -> bool:
    """Does the role descriptor list admit this test user (tests/conftest.py ROLE_USERS)?"""
    if who in (PUBLIC, AUTHENTICATED):
        return True
    role, _commune, sectors, grants = ROLE_USERS[username]
    for descriptor in who:
        name, _, qualifier = descriptor.partition("[")
        qualifier = qualifier.rstrip("]")
        if name == role and (not qualifier or qualifier in sectors or qualifier in grants):
            return True
    return False


HOME = "26068"  # t_commune's commune


def _first(queryset) -> object:
    return queryset.order_by("pk").values_list("pk", flat=True).first()


def _indicator_period() -> tuple[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.code, v.period FROM geodata_indicatorvalue v JOIN geodata_indicator i "
            "ON i.id = v.indicator_id ORDER BY v.period DESC LIMIT 1"
        )
        return cursor.fetchone()


def _admin_run() -> object:
    from mapserver.principal import Principal
    from scenarios import runner, sectors

    return runner.run_scenario(
        sectors.get("social_welfare"), Principal(username="t_admin", role="admin"), AREA, {}, "ad_hoc"
    ).id


def _report(inside: bool) -> int:
    from geodata.models import Commune
    from tests.reports.conftest import make_report

    commune = HOME if inside else Commune.objects.exclude(code=HOME).order_by("code").first().code
    return make_report("street_light", commune=commune, **{"attribute[lamp_state]": "off"}).pk


def _alert() -> int:
    from alerts import service

    return service.raise_alert(
        source="report",
        key="walk",
        severity="medium",
        title="Phản ánh quá hạn",
        commune_code=HOME,
        sector="construction",
    )[0].pk


def _factories() -> dict:
    from geodata.models import Camera, House, Incident, PlanningZone, Sensor
    from layers.registry import registry

    communes = registry.get("communes")
    return {
        "house": lambda: _first(House.objects.filter(commune_code=HOME)),
        "house_outside": lambda: _first(House.objects.exclude(commune_code=HOME)),
        "incident": lambda: _first(Incident.objects.filter(commune_code=HOME)),
        "camera": lambda: _first(Camera.objects.filter(commune_code=HOME, status="live")),
        "camera_outside": lambda: _first(Camera.objects.exclude(commune_code=HOME).filter(status="live")),
        "commune": lambda: communes.model.objects.values_list(communes.id_field, flat=True).first(),
        "report": lambda: _report(inside=True),
        "alert": _alert,
        "sensor": lambda: _first(Sensor.objects.all()),
        "report_outside": lambda: _report(inside=False),
        "run": _admin_run,
        "indicator": lambda: _indicator_period()[0],
        "period": lambda: _indicator_period()[1],
        "planning_document": lambda: (
            PlanningZone.objects.exclude(drawing_url="").order_by("pk").values_list("drawing_url", flat=True).first()
        ),
    }


class Samples(dict):
    """Real ids for the path slots, made on first use (features in and outside t_commune's commune, a report,
    a run...); a slot with no real value fails the test."""

    def __init__(self) -> None:
        super().__init__()
        self.factories = _factories()

    def __missing__(self, key: str) -> str:
        value = self.factories[key]()
        assert value is not None, f"no sample for {{{key}}} in the test database"
        self[key] = str(value)
        return self[key]


@pytest.fixture
def samples(db) -> Samples:
    return Samples()


CASES = [(pattern, index, case) for pattern, cases in ACCESS.items() for index, case in enumerate(cases)]


def call(client, case: Case, path: str):
    if case.method in ("get", "delete"):
        return getattr(client, case.method)(path)
    data = json.dumps(case.body) if case.body is not None else ""
    return getattr(client, case.method)(path, data, content_type="application/json")


@pytest.mark.parametrize("pattern, index, case", CASES, ids=[f"{c.method} {c.path}" for _, _, c in CASES])
def test_every_caller_gets_what_the_table_says(api, samples, pattern, index, case):
    path = case.path.format_map(samples)
    assert resolve(path.split("?")[0]).route == pattern, f"{path} does not reach {pattern!r}"
    failures = []
    for username in [None, *ROLE_USERS]:
        status = call(api(username), case, path).status_code
        if status >= 500 and status != 503:  # 503: a raster file or stream not installed here
            failures.append(f"{username or 'anonymous'}: {status} (server error)")
        elif username is None:
            expected = {404} if case.hide else {case.anonymous}
            if case.who != PUBLIC and status not in expected:
                failures.append(f"anonymous: {status}, expected {sorted(expected)}")
            if case.who == PUBLIC and status in (401, 403):
                failures.append(f"anonymous: {status} on a public endpoint")
        elif allowed(case.who, username):
            if status in (401, 403):
                failures.append(f"{username}: {status}, but the table allows it")
        else:
            expected = {404} if case.hide and not _reads(case, username) else {403, 404}
            if status not in expected:
                failures.append(f"{username}: {status}, expected {sorted(expected)} (not allowed)")
    assert not failures, f"{case.method.upper()} {path} ({case.note or pattern}): " + "; ".join(failures)


def _reads(case: Case, username: str) -> bool:
    """For hidden write cases: callers who may read the collection get 403, the others 404."""
    if case.method == "get":
        return False
    layer = case.path.split("/collections/")[1].split("/")[0] if "/collections/" in case.path else ""
    readers = {"houses": HOUSE_READERS, "cameras": CAMERA_READERS}.get(layer, ())
    return allowed(readers, username)


@pytest.mark.parametrize(
    "pattern, index, case",
    [c for c in CASES if c[2].method == "get"],
    ids=[f"post {c.path}" for _, _, c in CASES if c.method == "get"],
)
def test_posting_to_read_endpoints_is_never_a_server_error(api, samples, pattern, index, case):
    path = case.path.format_map(samples)
    for username in (None, "t_admin"):
        response = api(username).post(path, "{not json", content_type="application/json")
        assert response.status_code < 500 or response.status_code == 503, (username, path, response.status_code)
