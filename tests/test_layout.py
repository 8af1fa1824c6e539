"""The layout stays as the house style says: modules named by what they hold, no import cycles between them."""

from __future__ import annotations

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
APPS = ("geodata", "layers", "tiles", "scenarios", "reports", "cameras", "alerts", "scheduler", "mapserver")


def _modules() -> list[Path]:
    return [p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def test_no_module_is_split_by_size():
    assert not [p for p in _modules() if p.stem.endswith("_more")]


def test_a_queries_module_has_no_query_module_beside_it():
    """queries.py runs an app's SQL; anything else is named by what it holds (not query.py beside it)."""
    assert not [str(p) for p in _modules() if p.name == "queries.py" and p.with_name("query.py").exists()]


def test_there_are_no_import_cycles_between_modules():
    graph = grimp.build_graph(*APPS, include_external_packages=False)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and not imported.startswith(module + ".") and not module.startswith(imported + "."):
                chain = graph.find_shortest_chain(importer=imported, imported=module)
                if chain:
                    cycles.append(" -> ".join((module, *chain)))
    assert not cycles, "\n".join(cycles[:20])
