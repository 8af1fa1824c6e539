"""Statements run often with the same text: PREPAREd once per database session, then EXECUTEd by name.

Planning costs more than running for the hot statements (the 21-layer radius aggregate: 3-4 ms to plan; the token
lookup of every authenticated request: 0.4-1.4 ms), and psycopg does not cache the parsing of a long text. Each
statement is named after its text (`<prefix>_<digest>`); its PREPARE, when the session has not seen it, and its
EXECUTE go in one round trip, with any `setup` statements (SET LOCAL settings) before them: several statements in
one simple query (Django's client-side binding cursor) run as one implicit transaction, so such settings are local
to it. Inside a caller's transaction a savepoint lets the retry below run.

A PREPARE outlives a failed transaction. A session that lost its prepared statements (DISCARD ALL, a pooler) or
whose table changed its row type under one (a restore) is told by PostgreSQL; they are then dropped and prepared
again. A session keeps at most MAX_PREPARED statements per prefix, the least recently used deallocated first
(each plan holds backend memory).
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

import psycopg
from django.db import DatabaseError, transaction
from django.db import connection as default_connection

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
MAX_PREPARED = 16
# psycopg connection -> {prefix: names prepared in that session, least recently used first}
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _stale(error: DatabaseError) -> bool:
    """Whether PostgreSQL refused the EXECUTE because the session's prepared statement is gone or outdated."""
    cause = error.__cause__
    return isinstance(cause, psycopg.errors.InvalidSqlStatementName) or (
        isinstance(cause, psycopg.errors.FeatureNotSupported) and "cached plan must not change" in str(cause)
    )


def fetch(
    text: str, params: dict[str, Any], prefix: str, setup: Sequence[str] = (), connection=default_connection
) -> list[tuple]:
    """The rows of `text` (psycopg %(name)s placeholders) with `params`, prepared once per session."""
    names = list(dict.fromkeys(PLACEHOLDER.findall(text)))
    name = f"{prefix}_{hashlib.sha1(text.encode()).hexdigest()[:24]}"
    values = [params[n] for n in names]
    for attempt in (1, 2):
        statements = list(setup) if attempt == 1 else [*setup, "DEALLOCATE ALL"]
        try:
            savepoint = transaction.atomic(using=connection.alias) if connection.in_atomic_block else nullcontext()
            with savepoint, connection.cursor() as cursor:
                prepared = _PREPARED.setdefault(connection.connection, {}).setdefault(prefix, OrderedDict())
                if name in prepared:
                    prepared.move_to_end(name)
                else:
                    if len(prepared) >= MAX_PREPARED:
                        statements.append(f"DEALLOCATE {prepared.popitem(last=False)[0]}")
                    body = PLACEHOLDER.sub(lambda m: f"${names.index(m[1]) + 1}", text)
                    statements.append(f"PREPARE {name} AS {body}")
                    prepared[name] = True
                statements.append(f"EXECUTE {name}({', '.join(['%s'] * len(names))})" if names else f"EXECUTE {name}")
                cursor.execute(";\n".join(statements), values)
                while cursor.nextset():  # to the EXECUTE's rows
                    pass
                return cursor.fetchall()
        except DatabaseError as error:
            if attempt == 2 or not _stale(error):
                raise
            _PREPARED.pop(connection.connection, None)
    raise AssertionError("unreachable")
