"""Human labels in exports: column headers and category values from the layers' attribute records (Vietnamese)."""

from __future__ import annotations

from typing import Any

from geodata.attributes import Attribute
from layers.registry import LayerSpec, registry
from scenarios.specs import ScenarioSpec, Select, Step

# Columns the steps compute themselves (not layer attributes).
COMPUTED = {
    "key": "Mã",
    "label": "Tên",
    "count": "Số lượng",
    "commune": "Xã/phường",
    "within": "Số đối tượng trong bán kính",
    "covered": "Được phục vụ",
    "uncovered": "Chưa được phục vụ",
    "within_by": "Trong bán kính, theo loại",
    "nearest_id": "Mã đối tượng gần nhất",
    "nearest_label": "Đối tượng gần nhất",
    "nearest_m": "Khoảng cách gần nhất (m)",
    "radius_m": "Bán kính (m)",
    "coverage_pct": "Tỷ lệ được phục vụ (%)",
    "source_id": "Mã đối tượng",
    "target_id": "Mã vùng",
    "overlap_m2": "Diện tích chồng lấn (m²)",
    "sources": "Số đối tượng",
    "clipped_length_m": "Chiều dài trong vùng (m)",
    "clipped_area_m2": "Diện tích trong vùng (m²)",
    "density": "Mật độ",
    "share_pct": "Tỷ lệ (%)",
    "value": "Giá trị",
    "threshold": "Ngưỡng",
    "ratio": "Tỷ số",
    "features": "Số đối tượng",
    "weight": "Trọng số",
    "sensor": "Cảm biến",
    "observed_at": "Thời điểm đo",
}


def step_layers(step: Step) -> list[LayerSpec]:
    """The registry layers a step reads, its main relation first."""
    found = []
    for name in ("select", "source", "target", "resources"):
        selected = getattr(step, name, None)
        if isinstance(selected, Select) and registry.get(selected.layer) is not None:
            found.append(registry.get(selected.layer))
    return found


def record(name: str, layers: list[LayerSpec]) -> Attribute | None:
    """The attribute record of a column name in the first of the layers that has it."""
    return next((spec.attribute(name) for spec in layers if name in spec.records), None)


def header(name: str, layers: list[LayerSpec]) -> str:
    """A column's Vietnamese header (with the unit), the name itself when nothing labels it."""
    found = record(name, layers)
    if found is not None:
        return f"{found.vi} ({found.unit})" if found.unit else found.vi
    return COMPUTED.get(name, name)


def value(name: str, raw: Any, layers: list[LayerSpec]) -> Any:
    """A category value as its Vietnamese label; other values unchanged."""
    found = record(name, layers)
    if found is None or found.vocabulary is None or isinstance(raw, (dict, list)):
        return raw
    return found.vocabulary.label(raw) if raw in found.vocabulary else raw


def group_name(step: Step, layers: list[LayerSpec], key: Any) -> Any:
    """The label of a grouped row's key when the step groups by a categorical attribute."""
    group_by = getattr(step, "group_by", None) or getattr(step, "target_group_by", None)
    return value(group_by, key, layers) if isinstance(group_by, str) else key


def steps_by_id(spec: ScenarioSpec | None) -> dict[str, Step]:
    return {step.id: step for step in spec.steps} if spec is not None else {}
