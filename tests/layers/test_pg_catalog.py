"""Names read from the catalogue: read at once on a machine that has just booted, then cached."""

from __future__ import annotations

import pytest
from django.db import connection

from layers import pg_catalog
from layers.pg_catalog import RefreshedNames, forget_process_caches

pytestmark = pytest.mark.django_db


def _clock(monkeypatch, seconds: float) -> None:
    monkeypatch.setattr(pg_catalog.time, "monotonic", lambda: seconds)


def _queries_during(check) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        check()
    return len(captured.captured_queries)


def test_catalogue_is_read_on_a_machine_up_for_one_second(monkeypatch):
    _clock(monkeypatch, 1.0)  # monotonic() counts from boot
    names = RefreshedNames("SELECT relname::text FROM pg_class WHERE relname = 'geodata_commune'")
    assert "geodata_commune" in names


def test_names_are_cached_until_refresh_then_read_again(monkeypatch):
    _clock(monkeypatch, 10.0)
    names = RefreshedNames("SELECT relname::text FROM pg_class WHERE relname = 'geodata_commune'")
    assert _queries_during(lambda: "x" in names) == 1
    _clock(monkeypatch, 10.0 + pg_catalog.REFRESH_SECONDS - 1)
    assert _queries_during(lambda: "x" in names) == 0
    _clock(monkeypatch, 10.0 + pg_catalog.REFRESH_SECONDS + 1)
    assert _queries_during(lambda: "x" in names) == 1


def test_forget_process_caches_makes_every_cache_read_again(monkeypatch):
    _clock(monkeypatch, 50.0)
    names = RefreshedNames("SELECT relname::text FROM pg_class WHERE relname = 'geodata_commune'")
    assert "x" not in names
    assert _queries_during(lambda: "x" in names) == 0
    forget_process_caches()
    assert _queries_during(lambda: "x" in names) == 1


def test_cluster_cells_are_used_right_after_boot(monkeypatch):
    from layers.registry import registry
    from tiles.cluster_cells import has_cells

    _clock(monkeypatch, 2.0)
    forget_process_caches()
    assert has_cells(registry.get("houses"))
