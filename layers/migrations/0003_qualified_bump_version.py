"""The version trigger function with schema-qualified names and its own search_path.

pg_dump scripts and pg_restore run with `search_path = ''`, so the unqualified `layers_table_version` of 0002 was
not found when a single table's rows were restored (the statement trigger fires on the restored COPY). The schema
is the one migrate runs in (current_schema()), written into the function, so it also holds outside `public`."""

from django.db import migrations
from psycopg import sql

FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.layers_bump_version() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_catalog AS $$
BEGIN
  INSERT INTO {schema}.layers_table_version AS v (table_name, version)
  VALUES (TG_TABLE_NAME, nextval({sequence}::regclass))
  ON CONFLICT (table_name) DO UPDATE SET version = excluded.version;
  RETURN NULL;
END $$;
"""


def qualify(apps, schema_editor) -> None:
    """Redefine layers_bump_version in the schema migrate runs in."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        statement = sql.SQL(FUNCTION).format(
            schema=sql.Identifier(schema), sequence=sql.Literal(f"{schema}.layers_version_seq")
        )
        cursor.execute(statement.as_string(cursor.connection))


class Migration(migrations.Migration):
    dependencies = [("layers", "0002_version_sequence")]
    operations = [migrations.RunPython(qualify, migrations.RunPython.noop)]
