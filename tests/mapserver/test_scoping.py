"""The one scoping function, for every role, and bearer-token authentication."""

import pytest
from django.core.management import call_command

from layers.registry import registry
from mapserver.principal import ANONYMOUS, Principal
from mapserver.scoping import layer_access

houses = registry.get("houses")  # protected, sector home_affairs, has commune rows
communes = registry.get("communes")  # public, read-only
incidents = registry.get("incidents")  # public, editable, commune-editable
planning = registry.get("planning_zones")  # public, editable by construction, not commune-editable
cameras = registry.get("cameras")  # protected, private rtsp_url


def who(role, commune="", sectors=(), grants=()):
    return Principal(
        username="u", role=role, commune_code=commune, sectors=frozenset(sectors), granted_layers=frozenset(grants)
    )


def test_anonymous_reads_public_layers_only_and_writes_nothing():
    assert layer_access(ANONYMOUS, communes).read
    assert not layer_access(ANONYMOUS, houses).read
    assert not layer_access(ANONYMOUS, incidents).write


@pytest.mark.parametrize("role", ["admin", "leader", "planner"])
def test_admin_leader_planner_read_every_layer(role):
    assert all(layer_access(who(role), spec).read for spec in registry.all())
    assert layer_access(who(role), houses).read_commune is None


def test_only_admins_and_planners_write_editable_layers_and_only_admins_see_private_fields():
    assert layer_access(who("admin"), incidents).write and layer_access(who("planner"), planning).write
    assert not layer_access(who("leader"), incidents).write
    assert not layer_access(who("planner"), communes).write  # not editable at all
    assert layer_access(who("admin"), cameras).private_fields
    assert not layer_access(who("planner"), cameras).private_fields


def test_department_staff_read_their_sectors_protected_layers_and_write_their_sectors_editable_layers():
    home = who("department_staff", sectors=["home_affairs"])
    construction = who("department_staff", sectors=["construction"])
    assert layer_access(home, houses).read and not layer_access(construction, houses).read
    assert layer_access(construction, planning).write and not layer_access(home, planning).write
    assert layer_access(home, communes).read and not layer_access(home, communes).write


def test_commune_staff_see_their_communes_rows_of_protected_layers_and_write_incidents_there():
    staff = who("commune_staff", commune="26068")
    access = layer_access(staff, houses)
    assert access.read and access.read_commune == "26068" and not access.write
    public = layer_access(staff, incidents)
    assert public.read and public.read_commune is None
    assert public.write and public.write_commune == "26068"
    assert not layer_access(staff, planning).write
    assert not layer_access(who("commune_staff"), houses).read  # no commune bound: nothing protected


def test_external_clients_read_public_and_granted_layers_and_never_write():
    plain, granted = who("external_client"), who("external_client", grants=["houses"])
    assert not layer_access(plain, houses).read and layer_access(granted, houses).read
    assert not layer_access(granted, incidents).write
    assert layer_access(plain, communes).read


def test_cache_scope_separates_commune_scoped_rows():
    assert layer_access(who("commune_staff", commune="26068"), houses).cache_scope == "c26068"
    assert layer_access(who("leader"), houses).cache_scope == "all"


@pytest.mark.django_db
def test_token_grants_access_and_a_revoked_token_gets_401(api, tokens):
    assert api("t_leader").get("/api/layers").status_code == 200
    from mapserver.accounts import provision

    _, raw = provision("t_revoked", "leader")
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert "houses" in {layer["id"] for layer in client.get("/api/layers").json()["layers"]}
    call_command("mapserver_token", user="t_revoked", revoke=True)
    response = client.get("/api/layers")
    assert response.status_code == 401
    assert response.json()["code"] == "Unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_unknown_token_malformed_header_and_locked_account_get_401(client):
    from mapserver.accounts import provision, set_locked

    assert client.get("/api/layers", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert client.get("/api/layers", HTTP_AUTHORIZATION="Basic abc").status_code == 401
    _, raw = provision("t_locked", "planner")
    set_locked("t_locked", True)
    response = client.get("/api/layers", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401 and "locked" in response.json()["description"]


@pytest.mark.django_db
def test_mapserver_token_prints_the_token_on_its_last_line_and_refuses_bad_scopes(capsys):
    from django.core.management.base import CommandError

    call_command("mapserver_token", role="commune_staff", user="t_cmd", commune="26068")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert raw.startswith("ms_")
    from django.test import Client

    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/layers").status_code == 200
    with pytest.raises(CommandError, match="unknown commune"):
        call_command("mapserver_token", role="commune_staff", user="t_cmd", commune="00000")
    with pytest.raises(CommandError, match="needs --commune"):
        call_command("mapserver_token", role="commune_staff", user="t_cmd2")
    with pytest.raises(CommandError, match="unknown layer"):
        call_command("mapserver_token", role="external_client", user="t_cmd3", grant=["nope"])


def test_require_read_is_401_for_anonymous_and_403_for_others():
    from mapserver.errors import Forbidden, Unauthorized
    from mapserver.scoping import require_read

    with pytest.raises(Unauthorized):
        require_read(ANONYMOUS, houses)
    with pytest.raises(Forbidden):
        require_read(who("department_staff", sectors=["construction"]), houses)
    assert require_read(who("commune_staff", commune="26068"), houses).read_commune == "26068"
