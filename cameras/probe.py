"""Probing one stream with ffprobe (Debian's ffmpeg): is it alive, which codec, which resolution."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

FFPROBE = shutil.which("ffprobe") or "/usr/bin/ffprobe"
CODEC_NAMES = {"h264": "H.264", "hevc": "H.265", "h265": "H.265"}
BROWSER_CODECS = {"H.264"}  # what every browser's MSE plays; H.265 needs transcoding


@dataclass(frozen=True)
class ProbeResult:
    """The verdict on one stream."""

    status: str  # live / dead
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


def _command(url: str, timeout_s: float) -> list[str]:
    micros = str(int(timeout_s * 1_000_000))
    scheme = urlsplit(url).scheme.lower()
    network = ["-rw_timeout", micros] if scheme in {"http", "https"} else []
    if scheme in {"rtsp", "rtsps"}:
        network = ["-rtsp_transport", "tcp", "-timeout", micros]
    return [FFPROBE, "-v", "error", *network, "-probesize", "2000000", "-analyzeduration", "3000000",
            "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "json", url]


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def probe(url: str, timeout_s: float = 10.0) -> ProbeResult:
    """Run ffprobe on the URL within the timeout (killed after it); live when a video stream is found."""
    if urlsplit(url).scheme.lower() not in {"rtsp", "rtsps", "http", "https"}:
        return ProbeResult("dead", error=f"unsupported URL scheme in {url[:60]!r}")
    started = time.monotonic()
    try:
        done = subprocess.run(_command(url, timeout_s), capture_output=True, text=True, timeout=timeout_s + 5,
                              check=False)
    except subprocess.TimeoutExpired:
        return ProbeResult("dead", elapsed_ms=int((time.monotonic() - started) * 1000), error="timed out")
    elapsed = int((time.monotonic() - started) * 1000)
    try:
        streams = json.loads(done.stdout or "{}").get("streams", [])
    except ValueError:
        streams = []
    if done.returncode != 0 or not streams:
        return ProbeResult("dead", elapsed_ms=elapsed,
                           error=_first_line(done.stderr) or f"no video stream (exit {done.returncode})")
    stream = streams[0]
    codec = CODEC_NAMES.get(stream.get("codec_name", ""), stream.get("codec_name", "")[:8])
    return ProbeResult("live", codec=codec, width=stream.get("width"), height=stream.get("height"),
                       elapsed_ms=elapsed)
