"""Exports label columns and category values from the attribute records (Vietnamese), not raw names."""

from __future__ import annotations

from scenarios import sectors
from scenarios.exports import step_tables
from scenarios.models import ScenarioRun


def test_step_tables_use_record_labels_for_headers_and_categories():
    spec = sectors.get("social_welfare")
    run = ScenarioRun(
        result={
            "groups": {
                "houses_by_status": {
                    "title": "Hộ theo tình trạng",
                    "totals": {"count": 3, "members": 9},
                    "rows": [
                        {"key": "near_poor", "label": "near_poor", "count": 2, "members": 6},
                        {"key": "poor", "label": "poor", "count": 1, "members": 3},
                    ],
                }
            }
        }
    )
    table = step_tables(run, spec)[0]
    assert table["columns"] == ["key", "label", "count", "members"]
    assert table["headers"] == ["Mã", "Tên", "Số lượng", "Số nhân khẩu"]
    assert table["rows"][0][:2] == ["near_poor", "Cận nghèo"] and table["rows"][1][1] == "Hộ nghèo"
    assert table["totals"] == {"Số lượng": 3, "Số nhân khẩu": 9}


def test_step_tables_without_a_spec_keep_raw_names():
    run = ScenarioRun(result={"groups": {"s": {"rows": [{"key": "a", "label": "a", "count": 1}], "totals": {}}}})
    table = step_tables(run)[0]
    assert table["headers"] == ["Mã", "Tên", "Số lượng"] and table["rows"] == [["a", "a", 1]]
