"""Locust users of the load benchmark (bench/load.py starts locust with this file and the environment below).

Visitors (anonymous, four in five users): map tiles, items of the public layers, now and then a citizen report.
Analysts (a leader's token): spatial queries, protected tiles, scenario runs. Both wait 1-3 s between actions,
like a person clicking. BENCH_LOAD_CONFIG is a JSON object: token, api_key, public_layers, point_layers,
scenarios, bbox (lon/lat box to draw places from), seed.
"""

from __future__ import annotations

import json
import math
import os
import random

from locust import HttpUser, between, task

CONFIG = json.loads(os.environ.get("BENCH_LOAD_CONFIG", "{}"))
RNG = random.Random(CONFIG.get("seed", 20250701))


def _place() -> tuple[float, float]:
    west, south, east, north = CONFIG["bbox"]
    return RNG.uniform(west, east), RNG.uniform(south, north)


def _tile(zoom: int) -> tuple[int, int, int]:
    lon, lat = _place()
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return zoom, x, y


class Visitor(HttpUser):
    """An anonymous visitor of the public map."""

    weight = 4
    wait_time = between(1, 3)

    @task(10)
    def tiles(self) -> None:
        z, x, y = _tile(RNG.choice([11, 12, 13, 14, 15]))
        layers = ",".join(CONFIG["public_layers"][:3])
        self.client.get(f"/tiles/{layers}/{z}/{x}/{y}.mvt", name="tiles (public)")

    @task(4)
    def items(self) -> None:
        lon, lat = _place()
        layer = RNG.choice(CONFIG["public_layers"])
        bbox = f"{lon - 0.01:.5f},{lat - 0.01:.5f},{lon + 0.01:.5f},{lat + 0.01:.5f}"
        self.client.get(f"/ogcapi/collections/{layer}/items?bbox={bbox}&limit=50", name="items (public)")

    @task(1)
    def report(self) -> None:
        lon, lat = _place()
        form = {
            "api_key": CONFIG["api_key"],
            "service_code": "street_light",
            "lat": f"{lat:.6f}",
            "long": f"{lon:.6f}",
            "description": "bench-load: đèn đường không sáng",
            "attribute[lamp_state]": "off",
        }
        with self.client.post("/open311/v2/requests.json", data=form, name="open311 post", catch_response=True) as r:
            if r.status_code == 400 and b"outside" in r.content:  # a random point off the province's land
                r.success()


class Analyst(HttpUser):
    """A leader at the operations centre."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {CONFIG['token']}"

    @task(5)
    def query(self) -> None:
        lon, lat = _place()
        body = {"type": "radius", "center": [lon, lat], "radius_m": 3000, "layers": CONFIG["point_layers"]}
        self.client.post("/api/query", json=body, name="api/query 3 km")

    @task(3)
    def protected_tiles(self) -> None:
        z, x, y = _tile(RNG.choice([14, 15, 16]))
        self.client.get(f"/tiles/houses/{z}/{x}/{y}.mvt", name="tiles (houses, token)")

    @task(1)
    def scenario_run(self) -> None:
        lon, lat = _place()
        body = {"area": {"type": "radius", "center": [lon, lat], "radius_m": 2000}}
        scenario = RNG.choice(CONFIG["scenarios"])
        self.client.post(f"/api/scenarios/{scenario}/run", json=body, name="scenario run")
