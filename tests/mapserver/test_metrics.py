"""GET /metrics: for administrators and the configured networks only; requests, errors and tile cache counted."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db


def samples(response) -> dict[tuple, float]:
    """{(sample name, sorted labels): value} of an exposition text."""
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_metrics_are_for_administrators_only(api):
    assert api(None).get("/metrics").status_code == 401
    assert api("t_planner").get("/metrics").status_code == 403
    response = api("t_admin").get("/metrics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")


def test_a_configured_network_reads_them_without_a_token(api, settings):
    settings.MAPSERVER_METRICS_NETWORKS = ["127.0.0.0/8"]
    assert api(None).get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert api(None).get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 401


def test_requests_and_tile_cache_results_are_counted(api, settings, tmp_path):
    settings.MAPSERVER_TILE_CACHE_DIR = tmp_path / "tiles"
    admin = api("t_admin")
    before = samples(admin.get("/metrics"))
    for _ in range(3):
        assert api(None).get("/healthz").status_code == 200
    assert api(None).get("/tiles/communes/10/815/480.mvt").status_code == 200  # rendered and stored
    assert api(None).get("/tiles/communes/10/815/480.mvt").status_code == 200  # from the cache
    after = samples(admin.get("/metrics"))
    key = ("mapserver_http_requests_total", (("method", "GET"), ("route", "healthz"), ("status", "200")))
    assert after[key] - before.get(key, 0) == 3
    for result in ("hit", "miss"):
        key = ("mapserver_tile_cache_total", (("result", result),))
        assert after[key] - before.get(key, 0) == 1
    assert after[("mapserver_db_server_connections", (("state", "active"),))] >= 1
