"""Backup, restore check, single-layer and full restore, end to end against the shared test database: what the
OGC API items, counts and vector tiles answer afterwards, files put back, and ids never handed out twice."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil

import mapbox_vector_tile
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from reports.photos import photo_storage
from tests.backup.conftest import scalar, sha256sum_check
from tiles.tilemath import tile_for

Z = 15  # houses are individual features from zoom 13 on (clustered below)


def clone_row(table: str, row_id: int) -> int:
    """Insert a copy of a row (new id from the table's sequence); returns the new id."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(column_name::text) FROM information_schema.columns "
            "WHERE table_name = %s AND table_schema = current_schema() AND column_name <> 'id'",
            [table],
        )
        columns = sql.SQL(", ").join(map(sql.Identifier, cursor.fetchone()[0]))
        cursor.execute(
            sql.SQL("INSERT INTO {t} ({c}) SELECT {c} FROM {t} WHERE id = %s RETURNING id").format(
                t=sql.Identifier(table), c=columns
            ),
            [row_id],
        )
        return cursor.fetchone()[0]


def matched(client, layer: str) -> int:
    """numberMatched of the layer's items."""
    response = client.get(f"/ogcapi/collections/{layer}/items?limit=1")
    assert response.status_code == 200, response.content[:300]
    return response.json()["numberMatched"]


def tile_ids(client, layer: str, x: int, y: int) -> tuple[set[int], str]:
    """Feature ids of the decoded tile, and whether it came from the cache."""
    response = client.get(f"/tiles/{layer}/{Z}/{x}/{y}.mvt")
    assert response.status_code in (200, 204), response.content[:300]  # 204: an empty tile
    decoded = mapbox_vector_tile.decode(response.content) if response.content else {}
    return {f["id"] for f in decoded.get(layer, {}).get("features", [])}, response["X-Tile-Cache"]


def envelope_ids(table: str, x: int, y: int) -> set[int]:
    """Ids of the rows inside the tile, by PostGIS directly."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "SELECT id FROM {} WHERE ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope(%s, %s, %s))"
            ).format(sql.Identifier(table)),
            [Z, x, y],
        )
        return {row[0] for row in cursor.fetchall()}


def busiest_tile(table: str) -> tuple[int, int]:
    """The zoom-Z tile of the table's first row."""
    lon, lat = (scalar(f"SELECT ST_{axis}(geom) FROM {table} ORDER BY id LIMIT 1") for axis in "XY")
    return tile_for(lon, lat, Z)


def test_the_backup_holds_the_database_and_files_with_checksums(backup):
    folder = backup["folder"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["counts"]["geodata_house"] == backup["houses"]
    assert manifest["database"]["counts"]["geodata_school"] == backup["schools"]
    files = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert files[f"files/photos/{backup['photo']}"] == backup["photo_sha"]
    assert files["files/rasters/flood_depth.tif"] == backup["raster_sha"]
    dump = folder / "database.dump"
    assert files["database.dump"] == hashlib.sha256(dump.read_bytes()).hexdigest()
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    done = sha256sum_check(folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert folder.name.startswith(f"mapserver-{connection.settings_dict['NAME']}-")


def test_the_restore_check_restores_into_a_scratch_database(backup):
    out = io.StringIO()
    call_command("mapserver_restore_check", str(backup["folder"]), stdout=out)
    report = json.loads(out.getvalue())
    manifest = json.loads((backup["folder"] / "manifest.json").read_text())
    assert report["rows"] == sum(manifest["database"]["counts"].values()) and report["rows"] > backup["houses"]
    assert report["files"] == len(manifest["files"])
    assert not scalar("SELECT count(*) FROM pg_database WHERE datname LIKE %s", ["%\\_check\\_%"])


def test_an_altered_backup_is_refused(backup, tmp_path):
    altered = tmp_path / "altered"
    shutil.copytree(backup["folder"], altered, copy_function=os.link)  # hard links: the dump is not copied
    photo = altered / "files" / "photos" / backup["photo"]
    photo.unlink()
    photo.write_bytes(b"not the photo")
    assert sha256sum_check(altered).returncode != 0
    with pytest.raises(CommandError, match="checksum mismatch: files/photos/"):
        call_command("mapserver_restore_check", str(altered))
    with pytest.raises(CommandError, match="checksum mismatch"):
        call_command("mapserver_restore", str(altered), "--yes")
    (altered / "files" / "extra.bin").write_bytes(b"x")
    with pytest.raises(CommandError, match="not in the manifest: files/extra.bin"):
        call_command("mapserver_restore_check", str(altered))


def test_restore_refuses_without_confirmation_or_with_an_unknown_layer(backup):
    with pytest.raises(CommandError, match="--yes"):
        call_command("mapserver_restore", str(backup["folder"]))
    with pytest.raises(CommandError, match="unknown layer 'nope'"):
        call_command("mapserver_restore", str(backup["folder"]), "--layer", "nope", "--yes")
    with pytest.raises(CommandError, match="view over reports_fieldreport"):
        call_command("mapserver_restore", str(backup["folder"]), "--layer", "field_reports", "--yes")


def test_a_single_layer_restore(backup, api):
    """houses: its rows back as backed up (items, counts, tiles, cluster cells), other layers untouched, and the
    ids given out before the restore are not given again."""
    admin = api("t_admin")
    x, y = busiest_tile("geodata_house")
    before_ids, _ = tile_ids(admin, "houses", x, y)
    assert before_ids and envelope_ids("geodata_house", x, y) <= before_ids
    with connection.cursor() as cursor:  # changes after the backup: some houses gone, one added, a school added
        cursor.execute("DELETE FROM geodata_house WHERE id = ANY(%s)", [sorted(before_ids)])
    added = clone_row("geodata_house", scalar("SELECT min(id) FROM geodata_house"))
    school = clone_row("geodata_school", scalar("SELECT min(id) FROM geodata_school"))
    assert matched(admin, "houses") == backup["houses"] - len(before_ids) + 1  # the count cache warmed here
    assert tile_ids(admin, "houses", x, y)[0].isdisjoint(before_ids)  # ... and this tile cached

    call_command("mapserver_restore", str(backup["folder"]), "--layer", "houses", "--yes", stdout=io.StringIO())

    assert scalar("SELECT count(*) FROM geodata_house") == backup["houses"]
    assert matched(admin, "houses") == backup["houses"]
    after_ids, cache = tile_ids(admin, "houses", x, y)
    assert (after_ids, cache) == (before_ids, "miss")
    assert not scalar("SELECT count(*) FROM geodata_house WHERE id = %s", [added])
    assert scalar("SELECT count(*) FROM geodata_school WHERE id = %s", [school]) == 1  # another layer: kept
    clustered = scalar("SELECT coalesce(sum(n), 0) FROM tiles_cluster_cell WHERE layer = 'houses' AND lvl = 6")
    assert clustered == scalar("SELECT count(*) FROM geodata_house WHERE geom IS NOT NULL")
    again = clone_row("geodata_house", scalar("SELECT min(id) FROM geodata_house"))
    assert again > added
    with connection.cursor() as cursor:  # leave the database as backed up
        cursor.execute("DELETE FROM geodata_house WHERE id = %s", [again])
        cursor.execute("DELETE FROM geodata_school WHERE id = %s", [school])


def test_a_full_restore(backup, api):
    """Everything back as backed up: rows, the photo, items and counts, tiles not served from the pre-restore
    cache, and new ids above every id handed out before the restore."""
    admin, public = api("t_admin"), api()
    x, y = busiest_tile("geodata_school")
    before_ids, _ = tile_ids(public, "schools", x, y)
    houses_now = scalar("SELECT count(*) FROM geodata_house")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM geodata_school WHERE id = ANY(%s)", [sorted(before_ids)])
        cursor.execute("DELETE FROM geodata_house WHERE id IN (SELECT id FROM geodata_house ORDER BY id LIMIT 10)")
    added = clone_row("geodata_school", scalar("SELECT max(id) FROM geodata_school"))
    photo_storage().delete(backup["photo"])
    assert matched(public, "schools") == scalar("SELECT count(*) FROM geodata_school")
    assert matched(admin, "houses") == houses_now - 10
    assert tile_ids(public, "schools", x, y)[0].isdisjoint(before_ids)

    issued = scalar("SELECT last_value FROM layers_version_seq")  # every version number handed out so far

    out = io.StringIO()
    call_command("mapserver_restore", str(backup["folder"]), "--yes", stdout=out)
    assert "restored" in out.getvalue()
    # the restored tables carry versions never issued before, so no pre-restore cache entry can match them
    assert scalar("SELECT min(version) FROM layers_table_version") > issued

    assert scalar("SELECT count(*) FROM geodata_school") == backup["schools"]
    assert matched(public, "schools") == backup["schools"]
    assert matched(admin, "houses") == backup["houses"]
    after_ids, cache = tile_ids(public, "schools", x, y)
    assert (after_ids, cache) == (before_ids, "miss") and envelope_ids("geodata_school", x, y) <= after_ids
    assert not scalar("SELECT count(*) FROM geodata_school WHERE id = %s", [added])
    assert clone_row("geodata_school", scalar("SELECT min(id) FROM geodata_school")) > added
    with photo_storage().open(backup["photo"], "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == backup["photo_sha"]
    response = public.get(f"/media/reports/{backup['photo']}")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # the app role can still read and write (grants put back), and the version trigger fires again
    assert scalar("SELECT has_table_privilege('mapserver_app', 'geodata_school', 'INSERT')")
    version = scalar("SELECT version FROM layers_table_version WHERE table_name = 'geodata_school'")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM geodata_school WHERE id = (SELECT max(id) FROM geodata_school)")
    assert scalar("SELECT version FROM layers_table_version WHERE table_name = 'geodata_school'") > version
