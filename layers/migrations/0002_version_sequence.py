"""Versions from a sequence: a rolled-back change never hands its version number to a later, different change."""

from django.db import migrations

SQL = """
CREATE SEQUENCE IF NOT EXISTS layers_version_seq;
CREATE OR REPLACE FUNCTION layers_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO layers_table_version AS v (table_name, version) VALUES (TG_TABLE_NAME, nextval('layers_version_seq'))
  ON CONFLICT (table_name) DO UPDATE SET version = excluded.version;
  RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0001_table_version")]
    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
