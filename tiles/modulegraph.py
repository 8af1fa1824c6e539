"""The static import graph of the front end's ES modules, so that a page can ask for all of its first modules at
once (`<link rel="modulepreload">`) instead of discovering them one import level per round trip."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from django.contrib.staticfiles import finders

# `import x from "./y.js"`, `import { a } from "./y.js"`, `import "./y.js"`; not the dynamic `import("./y.js")`
STATIC_IMPORT = re.compile(r"""^\s*import\s+(?!\()(?:[^"';]*?\s+from\s+)?["'](\.{1,2}/[^"']+)["']""", re.M)


@lru_cache(maxsize=16)
def static_imports(entry: str) -> tuple[str, ...]:
    """The static paths of every module `entry` (a static path) imports without `import()`, directly or through
    others, in the order they are found; the entry itself is not included."""
    found: list[str] = []
    pending = [entry]
    while pending:
        module = pending.pop(0)
        path = finders.find(module)
        if not path:
            continue
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        for target in STATIC_IMPORT.findall(source):
            name = posixpath.normpath(posixpath.join(posixpath.dirname(module), target))
            if name != entry and name not in found:
                found.append(name)
                pending.append(name)
    return tuple(found)
