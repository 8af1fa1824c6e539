"""Point counts per grid cell, zoom level, commune and category, kept by triggers on clustered layers' tables,
so a clustered tile sums a few thousand cells instead of grouping every point of the tile."""

from django.db import migrations

SQL = """
CREATE TABLE IF NOT EXISTS tiles_cluster_cell (
  layer text NOT NULL,
  lvl smallint NOT NULL,
  gy integer NOT NULL,
  gx integer NOT NULL,
  commune text NOT NULL,
  cat text NOT NULL,
  n integer NOT NULL,
  sx double precision NOT NULL,
  sy double precision NOT NULL,
  PRIMARY KEY (layer, lvl, gy, gx, commune, cat)
);
CREATE INDEX IF NOT EXISTS tiles_cluster_cell_emptied ON tiles_cluster_cell (layer) WHERE n <= 0;
CREATE TABLE IF NOT EXISTS tiles_cluster_layer (
  layer text PRIMARY KEY,
  table_name text NOT NULL,
  definition text NOT NULL
);
"""
REVERSE = "DROP TABLE IF EXISTS tiles_cluster_cell; DROP TABLE IF EXISTS tiles_cluster_layer;"


class Migration(migrations.Migration):
    initial = True
    dependencies = [("layers", "0002_version_sequence")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
