"""Users of the entry tests: two commune officers, a finance and a home-affairs department officer, the IOC."""

from __future__ import annotations

import pytest
from django.test import Client

EXTRA_USERS = {
    "t_commune_b": ("commune_staff", "26017", []),
    "t_dept_finance": ("department_staff", "", ["finance"]),
}


@pytest.fixture(scope="session")
def entry_tokens(tokens, django_db_blocker) -> dict[str, str]:
    """Bearer tokens of the shared role users plus the entry tests' own."""
    from mapserver.accounts import provision

    issued = dict(tokens)
    with django_db_blocker.unblock():
        for username, (role, commune, sectors) in EXTRA_USERS.items():
            issued[username] = provision(username, role, commune, sectors, [])[1]
    return issued


@pytest.fixture
def as_user(entry_tokens):
    """as_user(username) -> a client sending that user's bearer token."""

    def make(username: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {entry_tokens[username]}")

    return make
