"""The scenarios in force: the shipped Python declarations (version 0), overridden by the newest version an
administrator saved, plus the scenarios defined through the API. Read from the database on every lookup (one small
query), with the built specs cached by (id, version), so a change is effective in every process without a restart."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, connection, transaction

from mapserver.errors import Conflict, InvalidParameterValue, NotFound
from mapserver.principal import Principal
from scenarios import definitions, sectors
from scenarios.models import ScenarioVersion
from scenarios.specs import ScenarioSpec

_built: dict[int, ScenarioSpec] = {}  # by the version row's id: a saved version never changes
NOTE_MAX = 500


def _current_versions(scenario_id: str | None = None) -> dict[str, tuple[int, int]]:
    """{scenario id: (its newest stored version, that row's id)} (one indexed query, no documents read)."""
    rows = ScenarioVersion.objects.order_by("scenario_id", "-version").distinct("scenario_id")
    if scenario_id is not None:
        rows = rows.filter(scenario_id=scenario_id)
    return {sid: (version, pk) for sid, version, pk in rows.values_list("scenario_id", "version", "id")}


def _build(scenario_id: str, row_id: int) -> ScenarioSpec:
    if row_id not in _built:
        row = ScenarioVersion.objects.get(pk=row_id)
        _built[row_id] = definitions.from_document(row.definition, sectors.get(scenario_id))
    return _built[row_id]


def get(scenario_id: str) -> ScenarioSpec | None:
    """The scenario in force with that id (its newest version, else its declaration), or None."""
    current = _current_versions(scenario_id).get(scenario_id)
    return _build(scenario_id, current[1]) if current else sectors.get(scenario_id)


def all_specs() -> list[ScenarioSpec]:
    """Every scenario in force: the declared ones in declaration order, then the defined ones by id."""
    current = _current_versions()
    declared = [s.id for s in sectors.all_specs()]
    defined = sorted(set(current) - set(declared))
    return [_build(i, current[i][1]) if i in current else sectors.get(i) for i in declared + defined]


def version_of(scenario_id: str) -> int:
    """The version in force (0: the shipped declaration)."""
    return _current_versions(scenario_id).get(scenario_id, (0, 0))[0]


def save(
    principal: Principal, scenario_id: str | None, document: Any, base_version: Any, note: Any
) -> ScenarioVersion | None:
    """Validate a definition and store it as the scenario's next version (a new scenario when scenario_id is None);
    409 when base_version is given and is not the version in force (someone saved in between); None when it
    changes nothing. A change names only what it changes (merged): see `merged`."""
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise InvalidParameterValue(f"note must be a text of at most {NOTE_MAX} characters")
    shipped = sectors.get(scenario_id) if scenario_id else None
    if scenario_id is None:
        new_id = document.get("id") if isinstance(document, dict) else None
        if isinstance(new_id, str) and (sectors.get(new_id) or version_of(new_id)):
            raise Conflict(
                f"a scenario {new_id!r} exists already; change it with PUT /api/scenarios/{new_id}/definition"
            )
    elif shipped is None and not version_of(scenario_id):
        raise NotFound(f"no scenario {scenario_id!r}")
    if scenario_id is not None:
        document = merged(definitions.to_document(get(scenario_id)), document)
    spec = definitions.from_document(document, shipped)
    if scenario_id is not None and spec.id != scenario_id:
        raise InvalidParameterValue(f"id: must stay {scenario_id!r}")
    with transaction.atomic():
        with connection.cursor() as cursor:  # one writer per scenario at a time: versions follow each other
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('scenario-definition:' || %s))", [spec.id])
        current = version_of(spec.id)
        if base_version is not None and base_version != current:
            raise Conflict(f"the definition changed since version {base_version}: version {current} is in force")
        before = definitions.to_document(get(spec.id)) if current or shipped else {}
        after = definitions.to_document(spec)
        changes = diff(before, after)
        if before and not changes:
            return None  # nothing changed: no new version
        try:
            return ScenarioVersion.objects.create(
                scenario_id=spec.id,
                version=current + 1,
                definition=after,
                created_by=principal.username,
                diff=changes,
                note=note,
            )
        except IntegrityError:
            raise Conflict(f"scenario {spec.id!r} was saved at the same moment; reload and retry") from None


def merged(current: dict[str, Any], change: Any) -> Any:
    """The definition in force with a change applied: the fields the change names replace the current ones, and
    `params` entries are matched by name (an entry {"name", "default"} changes only that default)."""
    if not isinstance(change, dict):
        return change
    result = {**current, **change}
    if isinstance(change.get("params"), list) and all(isinstance(p, dict) for p in change["params"]):
        params = [dict(p) for p in current.get("params", [])]
        by_name = {p["name"]: p for p in params}
        for entry in change["params"]:
            if entry.get("name") in by_name:
                by_name[entry["name"]].update(entry)
            else:
                params.append(entry)
        result["params"] = params
    return result


def history(scenario_id: str) -> list[ScenarioVersion]:
    """Every stored version of a scenario, newest first (404 for an unknown scenario)."""
    rows = list(ScenarioVersion.objects.filter(scenario_id=scenario_id).order_by("-version"))
    if not rows and sectors.get(scenario_id) is None:
        raise NotFound(f"no scenario {scenario_id!r}")
    return rows


def diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """The changed leaves between two documents: [{"path", "from", "to"}] (lists compared item by item)."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in list(before) + [k for k in after if k not in before]:
            changes += diff(before.get(key), after.get(key), f"{path}.{key}" if path else key)
        return changes
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [c for i, (b, a) in enumerate(zip(before, after)) for c in diff(b, a, f"{path}[{i}]")]
    return [] if before == after else [{"path": path, "from": before, "to": after}]
