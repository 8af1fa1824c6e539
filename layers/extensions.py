"""What other apps (tiles, processes) add to the OGC API documents under /ogcapi: their conformance classes and
the builders of their OpenAPI paths.

They register at start-up (AppConfig.ready) without importing the document builders, which bring the query and
filter machinery (CQL2, date parsing: a fifth of a second of every process start, commands included); a path
builder is named by its dotted path and imported when the definition is first built.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string

_CONFORMANCE: list[str] = []
_PATH_BUILDERS: list[str] = []


def register_conformance(*uris: str) -> None:
    """Declare conformance classes implemented under /ogcapi."""
    _CONFORMANCE.extend(uri for uri in uris if uri not in _CONFORMANCE)


def conformance() -> list[str]:
    """The conformance classes other apps registered, in the order they did."""
    return list(_CONFORMANCE)


def register_paths(builder: str) -> None:
    """Add the paths an app serves under /ogcapi to the OpenAPI definition: the dotted path of a callable that
    returns them as an OpenAPI `paths` object."""
    if builder not in _PATH_BUILDERS:
        _PATH_BUILDERS.append(builder)


def path_builders() -> list[Callable[[], dict]]:
    """The registered path builders, imported."""
    return [import_string(name) for name in _PATH_BUILDERS]
