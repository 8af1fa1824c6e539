"""Read replicas with a real streaming replica (pg_basebackup -R): safe requests read the replica, writes and the
rest of a request that wrote read the primary, a caller that wrote is pinned to the primary, and reads fall back
to the primary when the replica lags beyond the limit (replay paused) or is down, without an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.replica.conftest import wait_until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db  # the test database is only read: its schema and rows seed the primary


class Driver:
    """The map server process of tests/replica/driver.py, one command at a time."""

    def __init__(self, primary, replica) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAPSERVER_", "DATABASE_URL", "PG"))}
        env |= {
            "DATABASE_URL": primary.url(),
            "MAPSERVER_REPLICA_DATABASE_URL": replica.url(),
            "MAPSERVER_REPLICA_MAX_LAG_SECONDS": "3600",
            "MAPSERVER_REPLICA_CHECK_SECONDS": "0",  # probe on every read: the test changes the replica's state
            "MAPSERVER_REPLICA_RETRY_SECONDS": "0",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.replica.driver"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the driver died on {command!r}"
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def driver(clusters):
    made = Driver(*clusters)
    yield made
    made.close()


def schools(cluster) -> int:
    return int(cluster.psql("SELECT count(*) FROM geodata_school"))


def test_reads_go_to_the_replica_writes_and_read_your_writes_to_the_primary(clusters, driver):
    primary, replica = clusters
    first = driver("read")
    assert (first["raw"], first["orm"], first["status"]) == (True, True, 200)  # in recovery: the replica
    assert first["matched"] == schools(replica) == schools(primary)

    wrote = driver("write")
    assert wrote["sees_it"] and (wrote["raw"], wrote["orm"]) == (False, False)  # the rest of the request: primary
    assert wrote["pin_seconds"] == 10  # and the caller's next requests, for MAPSERVER_REPLICA_PIN_SECONDS
    assert primary.psql(f"SELECT count(*) FROM geodata_school WHERE id = {wrote['id']}") == "1"
    assert (driver("pinned")["raw"], driver("pinned")["orm"]) == (False, False)
    wait_until(lambda: schools(replica) == schools(primary))
    again = driver("read")
    assert again["raw"] and again["matched"] == schools(primary)


def test_a_lagging_replica_is_skipped_beyond_the_limit(clusters, driver):
    primary, replica = clusters
    # lag is measured from the last commit the replica replayed: make sure there is one, whichever test ran first
    # (a replica that replayed none while WAL waits has no measurable lag, and is rightly skipped)
    primary.psql("SELECT txid_current()")
    wait_until(lambda: replica.psql("SELECT pg_last_xact_replay_timestamp() IS NOT NULL") == "t")
    replica.psql("SELECT pg_wal_replay_pause()")
    try:
        primary.psql("INSERT INTO geodata_school SELECT * FROM geodata_school ORDER BY id LIMIT 0")  # warm up
        wrote = driver("write")  # replay is paused: the replica does not have this row
        stale = driver("read")  # lag within 3600 s: still the replica, one school short
        assert stale["raw"] and stale["matched"] == schools(primary) - 1 == schools(replica)
        driver("lag 0.5")
        time.sleep(1.0)  # the last replayed commit is now more than 0.5 s old while WAL waits to be replayed
        fresh = driver("read")
        assert not fresh["raw"] and not fresh["orm"] and fresh["matched"] == schools(primary)
        assert primary.psql(f"SELECT count(*) FROM geodata_school WHERE id = {wrote['id']}") == "1"
    finally:
        replica.psql("SELECT pg_wal_replay_resume()")
    wait_until(lambda: schools(replica) == schools(primary))
    caught_up = driver("read")
    assert caught_up["raw"] and caught_up["matched"] == schools(primary)


def test_reads_fall_back_to_the_primary_when_the_replica_is_down(clusters, driver):
    primary, replica = clusters
    assert driver("read")["raw"]
    replica.stop()
    try:
        down = driver("read")
        assert (down["raw"], down["orm"], down["status"]) == (False, False, 200)
        assert down["matched"] == schools(primary) and down["seconds"] < 5
        wrote = driver("write")
        assert wrote["sees_it"] and not wrote["raw"]
    finally:
        replica.start()
    wait_until(lambda: replica.psql("SELECT pg_is_in_recovery()") == "t" and schools(replica) == schools(primary))
    assert driver("read")["raw"]  # back to the replica once it is up again
