"""Scenario benchmark: every declared scenario run on the whole province, median of a few runs, against 2 s.

Runs in-process (Django set up on the server's database, DATABASE_URL) as an admin principal, through the same
`scenarios.runner.run_scenario` the API calls, so the time is the scenario's (steps, alerts, indicator misses,
storing the run), not HTTP. Every spec in the registry is iterated, so scenarios declared later are included.
`## Scenarios` of docs/benchmarks.md gets the table.
"""

from __future__ import annotations

import os
import statistics
import time

from bench.common import machine_note, markdown_table, write_section

RUNS = int(os.environ.get("BENCH_SCENARIO_RUNS", "3"))
TARGET_S = 2.0


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapserver.settings")
    import django

    django.setup()


def measure(runs: int = RUNS) -> list[tuple[str, float, float, int]]:
    """(scenario id, median s, max s, alerts) of each declared scenario over the province."""
    _setup()
    from mapserver.principal import Principal
    from scenarios import sectors
    from scenarios.runner import run_scenario

    admin = Principal(username="bench_scenarios", role="admin")
    found = []
    for spec in sectors.all_specs():
        times, alerts = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            run = run_scenario(spec, admin, {"type": "province"}, {}, "on_demand")
            times.append(time.perf_counter() - started)
            alerts = len(run.result["alerts"])
        found.append((spec.id, statistics.median(times), max(times), alerts))
        print(f"  {spec.id}: median {statistics.median(times):.3f} s", flush=True)
    return found


def run() -> None:
    """Measure every scenario and write the `## Scenarios` section."""
    rows = measure()
    table = markdown_table(
        ("scenario", "median (s)", "max (s)", "alerts", f"under {TARGET_S:g} s"),
        [
            (sid, f"{med:.3f}", f"{worst:.3f}", alerts, "yes" if med < TARGET_S else "**no**")
            for sid, med, worst, alerts in rows
        ],
    )
    write_section(
        "Scenarios",
        f"Each declared scenario run on the whole province (in-process, `scenarios.runner.run_scenario`), median of "
        f"{RUNS} runs; target under {TARGET_S:g} s.\n\n{table}\n\n{machine_note()}",
    )
