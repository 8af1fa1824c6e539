"""The settings of this part refuse bad values at start-up: photo storage options, replica URL and limits."""

from __future__ import annotations

import pytest

from tests.mapserver.test_deploy_settings import manage


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MAPSERVER_PHOTO_STORAGE_OPTIONS": "{not json"}, "MAPSERVER_PHOTO_STORAGE_OPTIONS is not JSON"),
        ({"MAPSERVER_PHOTO_STORAGE_OPTIONS": "[1, 2]"}, "MAPSERVER_PHOTO_STORAGE_OPTIONS must be a JSON object"),
        ({"MAPSERVER_REPLICA_MAX_LAG_SECONDS": "-1"}, "MAPSERVER_REPLICA_*_SECONDS must be >= 0"),
        ({"MAPSERVER_REPLICA_DATABASE_URL": "postgis://u:p@h:notaport/db"}, "MAPSERVER_REPLICA_DATABASE_URL is not"),
    ],
)
def test_bad_values_are_refused(env, message):
    done = manage("check", **env)
    assert done.returncode != 0 and message in done.stderr, done.stderr[-500:]


def test_a_replica_gets_its_alias_and_the_router():
    code = (
        "from django.conf import settings; from django.db import router; from geodata.models import School; "
        "print(sorted(settings.DATABASES), settings.DATABASES['replica']['PORT'], router.db_for_write(School))"
    )
    done = manage("shell", "-c", code, MAPSERVER_REPLICA_DATABASE_URL="postgis://u:p@replica.example:5439/mapserver")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['default', 'replica'] 5439 default"
