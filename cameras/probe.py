"""Probing one stream with ffprobe (Debian's ffmpeg): is it alive, which codec, which resolution.

Camera URLs are data (edited through the OGC API, imported from files), so the server opens one only when its
scheme is in MAPSERVER_CAMERA_SCHEMES and every address its host resolves to lies in MAPSERVER_CAMERA_NETWORKS;
anything else is refused without starting ffprobe (no request to the internet or to other services).
"""

from __future__ import annotations

import ipaddress
import json
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

FFPROBE = shutil.which("ffprobe") or "/usr/bin/ffprobe"
CODEC_NAMES = {"h264": "H.264", "hevc": "H.265", "h265": "H.265"}
BROWSER_CODECS = {"H.264"}  # what every browser's MSE plays; H.265 needs transcoding
# The protocols ffprobe may use, also inside playlists (no file:, data:, concat:, subfile:, gopher: ...).
PROTOCOLS = "http,https,tcp,tls,udp,rtp,crypto,httpproxy"
# Whitespace, controls and backslashes are read differently by Python's URL parser and ffmpeg's: refused.
AMBIGUOUS = re.compile(r"[\\\s\x00-\x1f\x7f]")
Resolver = Callable[..., list]


@dataclass(frozen=True)
class ProbeResult:
    """The verdict on one stream."""

    status: str  # live / dead / refused (not probed: outside the allowed schemes and networks)
    codec: str = ""  # H.264, H.265, or ffprobe's codec name
    width: int | None = None
    height: int | None = None
    elapsed_ms: int = 0
    error: str = ""

    @property
    def resolution(self) -> str:
        return f"{self.width}x{self.height}" if self.width and self.height else ""

    @property
    def needs_transcoding(self) -> bool:
        return self.status == "live" and self.codec not in BROWSER_CODECS


def _addresses(host: str, port: int | None, resolve: Resolver) -> set:
    """Every address the host resolves to (an IP literal is its own address)."""
    found = set()
    for *_, sockaddr in resolve(host, port, proto=socket.IPPROTO_TCP):
        address = ipaddress.ip_address(sockaddr[0])
        if address.version == 6 and address.ipv4_mapped:  # ::ffff:8.8.8.8 is 8.8.8.8
            address = address.ipv4_mapped
        found.add(address)
    return found


def refusal(url: str, resolve: Resolver = socket.getaddrinfo) -> str:
    """Why the server must not open this URL ("" when it may): a scheme not allowed, no host, a host that does
    not resolve, or any of its addresses outside the allowed networks."""
    if AMBIGUOUS.search(url):
        return "refused: the URL contains whitespace, control characters or backslashes"
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return "refused: the URL does not parse"
    scheme = parts.scheme.lower()
    if scheme not in settings.MAPSERVER_CAMERA_SCHEMES:
        return f"refused: scheme {scheme or '(none)'!r} is not in MAPSERVER_CAMERA_SCHEMES"
    if not host:
        return "refused: the URL has no host"
    try:
        addresses = _addresses(host, port, resolve)
    except (OSError, UnicodeError, ValueError):
        return f"refused: host {host[:60]} does not resolve"
    networks = [ipaddress.ip_network(network) for network in settings.MAPSERVER_CAMERA_NETWORKS]
    outside = sorted(str(a) for a in addresses if not any(a in network for network in networks))
    if outside or not addresses:
        where = ", ".join(outside[:3]) or "nothing"
        return f"refused: {host[:60]} resolves to {where}, outside MAPSERVER_CAMERA_NETWORKS"
    return ""


def _command(url: str, timeout_s: float) -> list[str]:
    micros = str(int(timeout_s * 1_000_000))
    scheme = urlsplit(url).scheme.lower()
    network = ["-rw_timeout", micros] if scheme in {"http", "https"} else []
    if scheme in {"rtsp", "rtsps"}:
        network = ["-rtsp_transport", "tcp", "-timeout", micros]
    return [
        FFPROBE,
        "-v",
        "error",
        "-protocol_whitelist",
        PROTOCOLS,
        *network,
        "-probesize",
        "2000000",
        "-analyzeduration",
        "3000000",
        "-select_streams",
        "v:0",
        "-show_entries",
        "stream=codec_name,width,height",
        "-of",
        "json",
        url,
    ]


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def probe(url: str, timeout_s: float = 10.0, resolve: Resolver = socket.getaddrinfo) -> ProbeResult:
    """Run ffprobe on the URL within the timeout (killed after it); live when a video stream is found.

    A URL outside the allowed schemes and networks (see refusal) is "refused" and ffprobe never starts."""
    reason = refusal(url, resolve)
    if reason:
        return ProbeResult("refused", error=reason[:300])
    started = time.monotonic()
    try:
        done = subprocess.run(
            _command(url, timeout_s), capture_output=True, text=True, timeout=timeout_s + 5, check=False
        )
    except subprocess.TimeoutExpired:
        return ProbeResult("dead", elapsed_ms=int((time.monotonic() - started) * 1000), error="timed out")
    elapsed = int((time.monotonic() - started) * 1000)
    try:
        streams = json.loads(done.stdout or "{}").get("streams", [])
    except ValueError:
        streams = []
    if done.returncode != 0 or not streams:
        return ProbeResult(
            "dead", elapsed_ms=elapsed, error=_first_line(done.stderr) or f"no video stream (exit {done.returncode})"
        )
    stream = streams[0]
    codec = CODEC_NAMES.get(stream.get("codec_name", ""), stream.get("codec_name", "")[:8])
    return ProbeResult("live", codec=codec, width=stream.get("width"), height=stream.get("height"), elapsed_ms=elapsed)
