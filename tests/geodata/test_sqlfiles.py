"""The one SQL loader: named statements, comments dropped, duplicates refused."""

from __future__ import annotations

import pytest

from geodata.sqlfiles import SqlFileError, load_sql, load_sql_files


def test_statements_are_read_by_name(tmp_path):
    path = tmp_path / "a.sql"
    path.write_text("-- name: one\n-- a comment\nSELECT 1;\n\n-- name: two\nSELECT 2\n  -- indented comment\nFROM x;\n")
    assert load_sql(path) == {"one": "SELECT 1", "two": "SELECT 2\nFROM x"}


def test_a_name_used_twice_is_refused(tmp_path):
    path = tmp_path / "dup.sql"
    path.write_text("-- name: one\nSELECT 1;\n-- name: one\nSELECT 2;\n")
    with pytest.raises(SqlFileError, match="named twice"):
        load_sql(path)


def test_sql_before_the_first_name_is_refused(tmp_path):
    path = tmp_path / "orphan.sql"
    path.write_text("SELECT 0;\n-- name: one\nSELECT 1;\n")
    with pytest.raises(SqlFileError, match="before the first"):
        load_sql(path)


def test_a_name_in_two_files_of_one_namespace_is_refused(tmp_path):
    (tmp_path / "a.sql").write_text("-- name: one\nSELECT 1;\n")
    (tmp_path / "b.sql").write_text("-- name: one\nSELECT 2;\n")
    with pytest.raises(SqlFileError, match="another file"):
        load_sql_files(tmp_path / "a.sql", tmp_path / "b.sql")


def test_every_sql_file_of_the_project_loads():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    apps = ("geodata", "layers", "tiles", "scenarios", "reports", "cameras", "mapserver")  # deploy/: psql scripts
    files = [p for app in apps for p in (root / app).glob("**/*.sql") if "migrations" not in p.parts]
    assert len(files) >= 15
    for path in files:
        assert load_sql(path), path
