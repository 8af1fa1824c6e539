"""A per-table change counter, bumped by a statement-level trigger, so counts can be cached across workers."""

from django.db import migrations

SQL = """
CREATE TABLE IF NOT EXISTS layers_table_version (
  table_name text PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0
);
CREATE OR REPLACE FUNCTION layers_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO layers_table_version AS v (table_name, version) VALUES (TG_TABLE_NAME, 1)
  ON CONFLICT (table_name) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END $$;
"""
REVERSE = "DROP TABLE IF EXISTS layers_table_version; DROP FUNCTION IF EXISTS layers_bump_version() CASCADE;"


class Migration(migrations.Migration):
    initial = True
    dependencies = [("geodata", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
