"""Demo HLS streams made by ffmpeg (a test pattern), played for live synthetic cameras at /hls/{id}/.

The sample cameras carry made-up RTSP addresses; their HLS URLs (/hls/{id}/index.m3u8) point at this server.
A live synthetic camera gets the demo stream of its codec there as the stream gateway delivers it (H.264 copied,
H.265 transcoded to H.264), a dead one gets 404, as the gateway answers for a camera it cannot reach. The demo streams are encoded once, on first use or by
`cameras_demo_streams`.
"""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from cameras import gateway
from mapserver.errors import NotFound, ServiceUnavailable

VARIANTS = {
    # name: (ffmpeg video encoder arguments, HLS segment type)
    "h264": (["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline", "-pix_fmt", "yuv420p"], "mpegts"),
    "h265": (
        [
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-tag:v",
            "hvc1",
            "-pix_fmt",
            "yuv420p",
            "-x265-params",
            "log-level=error",
        ],
        "fmp4",
    ),
}
SOURCE_VARIANT = {"H.264": "h264", "H.265": "h265"}  # a camera's codec: the demo source encoded in it
PLAYED = {"H.264": "h264_played", "H.265": "h265_played"}  # a camera's codec: the stream its browsers are given
FILE = re.compile(r"^[a-z0-9_]{1,40}\.(m3u8|ts|m4s|mp4)$")
CONTENT_TYPES = {
    "m3u8": "application/vnd.apple.mpegurl",
    "ts": "video/mp2t",
    "m4s": "video/iso.segment",
    "mp4": "video/mp4",
}


def demo_dir() -> Path:
    return Path(settings.MAPSERVER_MEDIA_DIR) / "cameras" / "demo"


def _vod(source: list[str], codec_args: list[str], segment_type: str, out_dir: Path) -> Path:
    """Run ffmpeg from `source` (its input arguments) to an HLS VOD stream of 2 s segments in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    playlist = out_dir / "index.m3u8"
    extension = "m4s" if segment_type == "fmp4" else "ts"
    command = [
        shutil.which("ffmpeg") or "/usr/bin/ffmpeg", "-v", "error", "-y", *source, *codec_args, "-g", "50",
        "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", segment_type,
        "-hls_segment_filename", str(out_dir / f"seg_%03d.{extension}"), str(playlist),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return playlist


def make_hls(out_dir: Path, variant: str = "h264", seconds: int = 12, size: str = "640x360") -> Path:
    """Encode a test-pattern HLS VOD stream in the variant's codec into out_dir; returns the playlist path."""
    codec_args, segment_type = VARIANTS[variant]
    return _vod(
        ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=25:duration={seconds}"], codec_args, segment_type, out_dir
    )


def make_played(out_dir: Path, codec: str, seconds: int = 12) -> Path:
    """The demo stream a sample camera of this codec plays: the test pattern encoded in its codec, then passed
    through the stream gateway's video arguments (H.264 copied, H.265 transcoded to H.264), as a real camera's
    RTSP stream is."""
    source = make_hls(out_dir.parent / f".{out_dir.name}_source", SOURCE_VARIANT[codec], seconds)
    return _vod(["-i", str(source)], gateway.video_args(codec), "mpegts", out_dir)


def ensure_demo(codec: str) -> Path:
    """The directory of the demo stream played for a camera of this codec, made once (under a lock shared by
    every worker process)."""
    out_dir = demo_dir() / PLAYED[codec]
    if (out_dir / "index.m3u8").is_file():
        return out_dir
    demo_dir().mkdir(parents=True, exist_ok=True)
    with open(demo_dir() / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out_dir / "index.m3u8").is_file():
            try:
                make_played(out_dir, codec)
            except (OSError, subprocess.SubprocessError) as exc:
                raise ServiceUnavailable(f"the demo stream could not be made: {exc.__class__.__name__}") from exc
    return out_dir


def demo_file(codec: str, name: str) -> tuple[Path, str]:
    """A file of the demo stream played for a camera of this codec, and its content type; NotFound for anything
    else."""
    if codec not in PLAYED or not FILE.match(name):
        raise NotFound("no such stream file")
    path = ensure_demo(codec) / name
    if not path.is_file():
        raise NotFound("no such stream file")
    return path, CONTENT_TYPES[name.rsplit(".", 1)[1]]
