"""`python -m bench.run`: run every benchmark module present; each writes its own section of docs/benchmarks.md."""

from __future__ import annotations

import importlib
import sys
import time
import traceback

MODULES = (
    "bench.features",
    "bench.tiles",
    "bench.query",
    "bench.imports",
    "bench.render",
    "bench.scenarios",
    "bench.load",
    "bench.live",
)


def main(names: list[str] | None = None) -> int:
    """Run the named modules (default: all present); return the number that failed."""
    failed = 0
    for name in names or MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                print(f"{name}: not present, skipped")
                continue
            raise
        started = time.monotonic()
        print(f"{name}: running", flush=True)
        try:
            module.run()
        except Exception:  # one broken bench must not hide the others' results
            failed += 1
            traceback.print_exc()
        print(f"{name}: done in {time.monotonic() - started:.0f} s", flush=True)
    return failed


if __name__ == "__main__":
    sys.exit(1 if main([f"bench.{n}" if "." not in n else n for n in sys.argv[1:]] or None) else 0)
