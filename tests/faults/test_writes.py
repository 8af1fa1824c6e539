"""Kill -9 PostgreSQL, a worker, the master while eight writers post Open311 reports and OGC incidents: every
acknowledged write is in the database exactly once, and nobody got an answer other than success or a JSON 503."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.faults.checks import assert_exactly_once, assert_only_503s, wait_for_successes

pytestmark = pytest.mark.django_db


def _run_then(writers, seconds: float = 2.0) -> int:
    writers.start()
    time.sleep(seconds)
    return len(writers.answers)


def test_kill_postgres_loses_no_acknowledged_write(fault_cluster, fault_server, writers):
    before = _run_then(writers)
    fault_cluster.crash()
    time.sleep(3)  # writers meet the outage: 503 with Retry-After
    during = len(writers.answers)
    fault_cluster.start()  # crash recovery replays the WAL
    wait_for_successes(writers, during)
    writers.stop()
    assert before > 0 and any(a.status == 503 for a in writers.since(before))
    assert_only_503s(writers)
    print("acknowledged and found once:", assert_exactly_once(fault_cluster, writers))


def test_kill_worker_loses_no_acknowledged_write(fault_cluster, fault_server, writers):
    victim = fault_server.worker_pids()[0]
    assert victim > 1
    _run_then(writers)
    os.kill(victim, signal.SIGKILL)
    at_kill = len(writers.answers)
    wait_for_successes(writers, at_kill)
    writers.stop()
    assert victim not in fault_server.worker_pids()
    assert len(fault_server.worker_pids()) == fault_server.workers  # the master forked a new one
    assert_only_503s(writers)
    print("acknowledged and found once:", assert_exactly_once(fault_cluster, writers))


def test_kill_master_the_supervisor_restarts_it_and_no_write_is_lost(fault_cluster, fault_server, writers):
    master, old_workers = fault_server.running_master(), fault_server.worker_pids()
    _run_then(writers)
    os.kill(master, signal.SIGKILL)
    at_kill = len(writers.answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and fault_server.master_pid() in (0, master):
        time.sleep(0.2)
    fresh = fault_server.master_pid()
    assert fresh not in (0, master)
    body = fault_server.wait_healthy_from(fresh)  # the new master bound the port: no orphan holds it
    assert body["database"] == "ok"
    wait_for_successes(writers, at_kill)
    writers.stop()
    deadline = time.monotonic() + 40  # orphaned workers finish their requests, then exit (graceful_timeout 30 s)
    while time.monotonic() < deadline and any(_alive(p) for p in old_workers):
        time.sleep(0.2)
    assert not [p for p in old_workers if _alive(p)]
    assert_only_503s(writers)
    print("acknowledged and found once:", assert_exactly_once(fault_cluster, writers))


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
