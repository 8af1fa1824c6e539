"""First full render of the operations map `/` in headless Chromium, with a warm server.

"Full render" is the moment MapLibre reports the style loaded and every tile of the default view drawn
(`map.loaded() && map.areTilesLoaded()`, or its first `idle` event), timed from the navigation start with
`performance.now()` in the page. Each load runs in a fresh browser context (empty HTTP cache, as a new
visitor); one load first warms the server (its tile cache and connections). Median of 5 loads per viewer and
screen: the control-room wall (1920×1080) and a laptop (1366×768), anonymous and a leader (bearer token).
"""

from __future__ import annotations

import os
import statistics

from bench import common
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS  # the browser tests' Chromium, started the same way

LOADS = int(os.environ.get("BENCH_RENDER_LOADS", "5"))
SCREENS = {"1920×1080": (1920, 1080), "1366×768": (1366, 768)}
TARGET_S = 1.5
# Evaluated over the DevTools protocol (outside the page's CSP): resolves with the time of the first full render.
RENDERED = """async () => {
  const m = window.IOC_MAP && window.IOC_MAP.map;
  if (!m) return null;
  if (m.loaded() && m.areTilesLoaded()) return performance.now();
  await new Promise((resolve) => m.once("idle", resolve));
  return performance.now();
}"""


def _load(browser, url: str, size: tuple[int, int], headers: dict[str, str]) -> tuple[float, int]:
    """One load in a fresh context: (seconds to the first full render, tile requests made)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, extra_http_headers=headers)
    tiles = []
    context.on("request", lambda request: tiles.append(request.url) if ".mvt" in request.url else None)
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        rendered = None
        for _ in range(600):  # the map object appears once the module graph has run
            rendered = page.evaluate(RENDERED)
            if rendered is not None:
                break
            page.wait_for_timeout(10)
        if rendered is None:
            raise RuntimeError("the map never appeared")
        return rendered / 1000, len(tiles)
    finally:
        context.close()


def run() -> None:
    """Measure and write the 'First render of the map' section of docs/benchmarks.md."""
    from playwright.sync_api import sync_playwright

    rows = []
    with common.serve_ours() as base, sync_playwright() as playwright:
        leader = {"Authorization": f"Bearer {common.bench_token('leader')}"}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for viewer, headers in (("anonymous", {}), ("leader", leader)):
                for screen, size in SCREENS.items():
                    _load(browser, base + "/", size, headers)  # warm-up: server caches, not the browser's
                    loads = [_load(browser, base + "/", size, headers) for _ in range(LOADS)]
                    seconds = [s for s, _ in loads]
                    median = statistics.median(seconds)
                    rows.append(
                        (
                            viewer,
                            screen,
                            f"{median:.2f}",
                            f"{min(seconds):.2f}-{max(seconds):.2f}",
                            loads[0][1],
                            "yes" if median < TARGET_S else "NO",
                        )
                    )
                    print(f"render {viewer} {screen}: median {median:.2f} s over {LOADS} loads", flush=True)
        finally:
            browser.close()
    table = common.markdown_table(
        ("viewer", "screen", "median s", "range s", "tile requests", f"under {TARGET_S} s"), rows
    )
    common.write_section(
        "First render of the map",
        f"{common.machine_note()}\n\nTime from navigation to the first full render of `/` (style loaded, every "
        f"tile of the default view drawn) in headless Chromium (SwiftShader, no GPU), each of {LOADS} loads in a "
        "fresh browser context after one warm-up load. The style carries its vector sources inline (tiles, zoom "
        "range, bounds), so no TileJSON round trip precedes the first tile; the page preloads the style, the map's first "
        "modules and, where markers are drawn, their glyphs; the work panels load after the map starts; minor roads "
        "enter the tiles from z10/z11 (the roads layer's `detail_zoom`). Without a GPU most of a frame is "
        "full-screen passes: the first view's fills and lines share the base map's source (one set of tile clipping "
        "masks a frame), the style has no background layer, and the tile worker starts while the modules load.\n\n"
        + table,
    )
