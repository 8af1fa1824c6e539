"""API tokens through HTTP Basic (any user name, the token as password) for clients that cannot send a bearer
header (QGIS 3.22): accepted over HTTPS (directly or behind the proxy's X-Forwarded-Proto when
SECURE_PROXY_SSL_HEADER is set), or over plain HTTP only when DEBUG; refused otherwise."""

import base64

import pytest
from django.test import Client

from geodata.models import House

pytestmark = pytest.mark.django_db
HOUSES = "/ogcapi/collections/houses/items?limit=1"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize("user", ["qgis", "t_leader", "", "Nguyễn Văn A"])  # RFC 7617: no colon in a user-id
def test_basic_with_the_token_as_password_reads_a_protected_layer_over_https(tokens, user):
    response = Client().get(HOUSES, HTTP_AUTHORIZATION=basic(user, tokens["t_leader"]), secure=True)
    assert response.status_code == 200, response.content
    assert response.json()["numberMatched"] == House.objects.count()


def test_basic_carries_the_tokens_role_and_scope(tokens):
    scoped = Client().get(HOUSES, HTTP_AUTHORIZATION=basic("x", tokens["t_commune"]), secure=True).json()
    assert scoped["numberMatched"] == House.objects.filter(commune_code="26068").count()
    refused = Client().get(HOUSES, HTTP_AUTHORIZATION=basic("x", tokens["t_dept_construction"]), secure=True)
    assert refused.status_code == 404  # not a reader of houses: the collection does not exist for them


def test_basic_is_refused_over_plain_http_in_production(tokens, settings):
    settings.DEBUG = False
    response = Client().get(HOUSES, HTTP_AUTHORIZATION=basic("qgis", tokens["t_leader"]))
    assert response.status_code == 401 and "HTTPS" in response.json()["description"]
    bearer = Client().get(HOUSES, HTTP_AUTHORIZATION=f"Bearer {tokens['t_leader']}")
    assert bearer.status_code == 200  # bearer tokens are unchanged


def test_basic_behind_the_tls_proxy_follows_secure_proxy_ssl_header(tokens, settings):
    settings.DEBUG = False
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    header = basic("qgis", tokens["t_leader"])
    assert Client().get(HOUSES, HTTP_AUTHORIZATION=header, HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert Client().get(HOUSES, HTTP_AUTHORIZATION=header, HTTP_X_FORWARDED_PROTO="http").status_code == 401
    settings.SECURE_PROXY_SSL_HEADER = None  # not trusted (local settings): the header proves nothing
    assert Client().get(HOUSES, HTTP_AUTHORIZATION=header, HTTP_X_FORWARDED_PROTO="https").status_code == 401


def test_basic_over_plain_http_is_accepted_when_debug(tokens, settings):
    settings.DEBUG = True
    assert Client().get(HOUSES, HTTP_AUTHORIZATION=basic("qgis", tokens["t_leader"])).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        basic("qgis", "not-a-token"),
        basic("qgis", ""),
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic %%%not-base64",
        "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
        "Basic",
        "Digest abc",
    ],
)
def test_bad_basic_credentials_are_401(header):
    response = Client().get(HOUSES, HTTP_AUTHORIZATION=header, secure=True)
    assert response.status_code == 401 and response.json()["code"] == "Unauthorized"
