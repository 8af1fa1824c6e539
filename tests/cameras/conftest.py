"""Fixtures of the camera tests: real HLS streams made by ffmpeg, served by a local HTTP server thread."""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cameras.demo import make_hls


def has_encoder(name: str) -> bool:
    """True when Debian's ffmpeg has this encoder (libx265 for the H.265 case)."""
    if not shutil.which("ffmpeg"):
        return False
    listing = subprocess.run(["ffmpeg", "-hide_banner", "-encoders"], capture_output=True, text=True).stdout
    return f" {name} " in listing


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="session")
def hls_server(tmp_path_factory):
    """http://127.0.0.1:PORT serving h264/index.m3u8 (and h265/index.m3u8 when libx265 exists)."""
    if not shutil.which("ffmpeg") or not shutil.which("ffprobe"):
        pytest.skip("ffmpeg/ffprobe not installed (Debian package ffmpeg, see deploy/sysdeps.sh)")
    root: Path = tmp_path_factory.mktemp("hls")
    make_hls(root / "h264", "h264", seconds=4, size="320x240")
    if has_encoder("libx265"):
        make_hls(root / "h265", "h265", seconds=4, size="320x240")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def dead_url() -> str:
    """A URL on a loopback port nobody listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/cam/index.m3u8"
