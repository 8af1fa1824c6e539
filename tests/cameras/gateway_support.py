"""RTSP sources for the gateway tests: test clips encoded by ffmpeg (H.264 and H.265), served in real time by
tests/cameras/rtsp_source.py (GStreamer's RTSP server, under Debian's python3)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.sta.mqtt_support import wait_port

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"


def has_rtsp_server() -> bool:
    """Debian's python3 with GStreamer's RTSP server and the parsers (deploy/sysdeps.sh, WITH_BROWSER)."""
    if not shutil.which("ffmpeg") or not Path(SYSTEM_PYTHON).exists():
        return False
    check = "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"
    return subprocess.run([SYSTEM_PYTHON, "-c", check], capture_output=True).returncode == 0


def make_clip(path: Path, codec: str, seconds: int = 90) -> Path:
    """A test-pattern clip in Matroska: libx264 or libx265, 320x240, 10 fps, a keyframe each second."""
    encoder = ["-c:v", "libx264"] if codec == "h264" else ["-c:v", "libx265", "-x265-params", "log-level=error"]
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size=320x240:rate=10:duration={seconds}",
         *encoder, "-preset", "ultrafast", "-g", "10", "-pix_fmt", "yuv420p", str(path)],
        check=True, timeout=120,
    )  # fmt: skip
    return path


def serve(port: int, clips: dict[str, tuple[Path, str]]) -> subprocess.Popen:
    """Serve each clip at rtsp://127.0.0.1:port/NAME until the process is stopped."""
    args = [f"{name}={path}:{codec}" for name, (path, codec) in clips.items()]
    process = subprocess.Popen(
        [SYSTEM_PYTHON, str(HERE / "rtsp_source.py"), str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_port(port)
    return process


def codec_of(path: Path) -> str:
    """The video codec of a media file (ffprobe)."""
    return subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
         str(path)], capture_output=True, text=True, check=True,
    ).stdout.split()[0]  # fmt: skip
