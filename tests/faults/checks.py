"""What every fault test asserts afterwards: acknowledged writes exactly once, no answer but 2xx or a JSON 503."""

from __future__ import annotations

import json
import time

from tests.faults.support import Cluster, Writers

TABLES = {"open311": "reports_fieldreport", "ogc": "geodata_incident"}


def stored(cluster: Cluster) -> dict[str, dict[str, list[int]]]:
    """{kind: {marker: [ids]}} of the rows the writers' markers are in."""
    found: dict[str, dict[str, list[int]]] = {}
    with cluster.connect() as conn:
        for kind, table in TABLES.items():
            rows = conn.execute(f"SELECT description, id FROM {table} WHERE description LIKE 'fault-%%'").fetchall()
            found[kind] = {}
            for marker, ident in rows:
                found[kind].setdefault(marker, []).append(ident)
    return found


def assert_exactly_once(cluster: Cluster, writers: Writers) -> dict[str, int]:
    """Every acknowledged write is stored once under the id it was acknowledged with, and no write is stored twice."""
    found = stored(cluster)
    counts = {}
    for kind in TABLES:
        acked = writers.acknowledged(kind)
        assert acked, f"no {kind} write was acknowledged"
        lost = [a.marker for a in acked if a.marker not in found[kind]]
        assert not lost, f"{len(lost)} acknowledged {kind} writes lost"
        assert all(found[kind][a.marker] == [int(a.ident)] for a in acked)
        twice = {m: ids for m, ids in found[kind].items() if len(ids) > 1}
        assert not twice, f"{kind} writes stored twice: {twice}"
        counts[kind] = len(acked)
    return counts


def assert_only_503s(writers: Writers) -> None:
    """No writer got a server error other than a JSON 503 with Retry-After (status 0: no answer, connection lost)."""
    for answer in writers.answers:
        if answer.status in (0, 200, 201):
            continue
        assert answer.status == 503, (answer.status, answer.body[:300])
        assert answer.content_type.startswith("application/json"), answer.content_type
        assert json.loads(answer.body)["code"] in {"DatabaseUnavailable", "Timeout"}
        assert answer.retry_after and int(answer.retry_after) > 0


def wait_for_successes(writers: Writers, since: int, count: int = 16, timeout: float = 60) -> None:
    """Wait until `count` writes after answer number `since` were acknowledged (the service recovered)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(1 for a in writers.since(since) if a.ident) >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} writes acknowledged within {timeout} s after the fault")
