"""Pinned VN-2000 CRSs in spatial_ref_sys (private SRIDs), so that ST_Transform uses the national parameters."""

from django.db import migrations

from geodata.crs import PINNED, spatial_ref_sys_rows


def add_rows(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        for srid, auth_name, auth_srid, srtext, proj4text in spatial_ref_sys_rows():
            cursor.execute(
                "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (srid) DO UPDATE SET auth_name = EXCLUDED.auth_name, auth_srid = EXCLUDED.auth_srid,"
                " srtext = EXCLUDED.srtext, proj4text = EXCLUDED.proj4text",
                [srid, auth_name, auth_srid, srtext, proj4text],
            )


def remove_rows(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM spatial_ref_sys WHERE srid = ANY(%s)", [[d.srid for d in PINNED]])


class Migration(migrations.Migration):
    dependencies = [("geodata", "0001_initial")]
    operations = [migrations.RunPython(add_rows, remove_rows)]
