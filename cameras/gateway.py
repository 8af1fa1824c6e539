"""The stream gateway: for a camera someone opens, one ffmpeg process turns its RTSP stream into HLS (copied for
H.264, transcoded to H.264 for H.265 and unknown codecs) in a directory of its own, served by /hls/{id}/.

Shared by every worker process through the file system: a camera's directory holds the ffmpeg pid and a `seen`
file touched by each playlist or segment fetch; starts are serialised by a lock file; at most
MAPSERVER_CAMERA_MAX_STREAMS run at once; a stream nobody fetched for MAPSERVER_CAMERA_IDLE_SECONDS is stopped.
The RTSP URL (with its credentials) stays on the server: browsers only see our playlist and segment names."""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings

from cameras.probe import PROTOCOLS, refusal
from geodata.models import Camera
from mapserver.errors import NotFound, ServiceUnavailable

log = logging.getLogger(__name__)
FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
PLAYLIST = "index.m3u8"
START_WAIT_S = 20.0  # the first segment of a transcoded stream takes a few seconds
_CHILDREN: dict[int, subprocess.Popen] = {}  # the ffmpeg processes this worker started (waited for when they end)


def root() -> Path:
    """The directory holding one sub-directory per running stream."""
    path = Path(settings.MAPSERVER_CAMERA_GATEWAY_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def _locked():
    with open(root() / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _pid(directory: Path) -> int | None:
    try:
        return int((directory / "pid").read_text())
    except (OSError, ValueError):
        return None


def _alive(pid: int | None) -> bool:
    """A running (not zombie) ffmpeg with this pid."""
    if not pid:
        return False
    if pid in _CHILDREN:  # started here: ask the process (its /proc entry is ours before exec finishes)
        return _CHILDREN[pid].poll() is None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z" and b"ffmpeg" in command


def _stop(directory: Path) -> None:
    pid = _pid(directory)
    if _alive(pid):
        with suppress(OSError):
            os.killpg(pid, signal.SIGTERM)
    shutil.rmtree(directory, ignore_errors=True)


def video_args(codec: str) -> list[str]:
    """ffmpeg's video arguments for a source of this codec: H.264 copied, anything else transcoded to H.264
    (browsers other than Safari cannot decode H.265)."""
    if codec == "H.264":
        return ["-c:v", "copy"]
    return ["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "50"]


def command(url: str, codec: str, out: Path) -> list[str]:
    """The ffmpeg command turning one RTSP source into a live HLS playlist of 2 s segments."""
    return [
        FFMPEG, "-nostdin", "-v", "error", "-protocol_whitelist", f"rtsp,{PROTOCOLS}", "-rtsp_transport", "tcp",
        "-timeout", "10000000", "-i", url, "-map", "0:v:0", "-an", *video_args(codec),
        "-f", "hls", "-hls_time", "2", "-hls_list_size", "6",
        "-hls_flags", "delete_segments+independent_segments+omit_endlist",
        "-hls_segment_filename", str(out / "seg_%05d.ts"), str(out / PLAYLIST),
    ]  # fmt: skip


def running() -> list[Path]:
    """The directories of the streams running now."""
    return [d for d in root().iterdir() if d.is_dir() and _alive(_pid(d))]


def reap() -> dict:
    """Stop the streams nobody watched for the idle timeout, and clear those whose ffmpeg ended."""
    for pid, child in list(_CHILDREN.items()):
        if child.poll() is not None:
            del _CHILDREN[pid]
    idle, ended = 0, 0
    limit = settings.MAPSERVER_CAMERA_IDLE_SECONDS
    with _locked():
        for directory in [d for d in root().iterdir() if d.is_dir()]:
            try:
                seen = (directory / "seen").stat().st_mtime
            except OSError:
                seen = 0
            if not _alive(_pid(directory)):
                ended += 1
                _stop(directory)
            elif time.time() - seen > limit:
                idle += 1
                _stop(directory)
    return {"stopped_idle": idle, "ended": ended}


def _start(camera: Camera, directory: Path) -> None:
    if refusal(camera.rtsp_url):
        raise ServiceUnavailable("this camera's stream address is not allowed here")
    if len(running()) >= settings.MAPSERVER_CAMERA_MAX_STREAMS:
        raise ServiceUnavailable(
            f"{settings.MAPSERVER_CAMERA_MAX_STREAMS} camera streams are playing already; try again shortly",
            headers={"Retry-After": "10"},
        )
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    with open(directory / "ffmpeg.log", "wb") as log:  # for operators; never served (not a segment name)
        process = subprocess.Popen(
            command(camera.rtsp_url, camera.codec, directory),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
        )  # fmt: skip
    _CHILDREN[process.pid] = process
    (directory / "pid").write_text(str(process.pid))
    (directory / "seen").touch()


def playlist(camera: Camera) -> Path:
    """The camera's live playlist, starting its ffmpeg when none runs (503 when it cannot start or play)."""
    reap()
    directory = root() / str(camera.pk)
    with _locked():
        if not _alive(_pid(directory)):
            _start(camera, directory)
    (directory / "seen").touch()
    deadline = time.monotonic() + START_WAIT_S
    target = directory / PLAYLIST
    while not target.is_file():
        if not _alive(_pid(directory)):
            log.warning("camera %s: ffmpeg ended: %s", camera.pk, _tail(directory / "ffmpeg.log"))
            with _locked():
                _stop(directory)
            raise ServiceUnavailable("the camera's stream cannot be reached")
        if time.monotonic() > deadline:
            raise ServiceUnavailable("the camera's stream did not start in time; try again")
        time.sleep(0.2)
    return target


def _tail(path: Path) -> str:
    """The last line of ffmpeg's log, with any credentials of the URL blanked out."""
    try:
        line = path.read_text(errors="replace").strip().splitlines()[-1][:300]
    except (OSError, IndexError):
        return ""
    return re.sub(r"//[^/@\s]*@", "//***@", line)


def segment(camera_id: int, name: str) -> Path:
    """A segment of a running stream (404 once it has rolled off the playlist or the stream stopped)."""
    directory = root() / str(camera_id)
    path = directory / name
    if not path.is_file():
        raise NotFound("no such stream segment")
    (directory / "seen").touch()
    return path
