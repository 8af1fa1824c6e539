"""Point counts and exact (numeric) sums per cell of a 0.002° lon/lat grid and per commune, kept by triggers on the
tables of layers declared with `radius_cells`, so a radius query sums the cells inside the circle and tests only
the rows near its edge (scenarios/cells.py)."""

from django.db import migrations

SQL = """
CREATE TABLE IF NOT EXISTS scenarios_radius_cell (
  layer text NOT NULL,
  cy integer NOT NULL,
  cx integer NOT NULL,
  commune text,
  n bigint NOT NULL,
  sums numeric[] NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS scenarios_radius_cell_key
  ON scenarios_radius_cell (layer, cy, cx, commune) NULLS NOT DISTINCT;
CREATE INDEX IF NOT EXISTS scenarios_radius_cell_emptied ON scenarios_radius_cell (layer) WHERE n <= 0;
CREATE TABLE IF NOT EXISTS scenarios_radius_layer (
  layer text PRIMARY KEY,
  table_name text NOT NULL,
  definition text NOT NULL
);
"""
REVERSE = "DROP TABLE IF EXISTS scenarios_radius_cell; DROP TABLE IF EXISTS scenarios_radius_layer;"


class Migration(migrations.Migration):
    dependencies = [("scenarios", "0030_scenario_versions")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
