"""An RTSP server for the gateway tests (run with Debian's /usr/bin/python3 and python3-gi): serves each given
video file (H.264 or H.265 in Matroska, made by ffmpeg) at rtsp://127.0.0.1:PORT/NAME, in real time.

    /usr/bin/python3 rtsp_source.py PORT NAME=FILE.mkv:h264 NAME=FILE.mkv:h265 ...
ffmpeg reads RTSP but cannot serve it to readers, so GStreamer's RTSP server does the serving."""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main() -> None:
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(sys.argv[1])
    mounts = server.get_mount_points()
    for spec in sys.argv[2:]:
        name, rest = spec.split("=", 1)
        path, codec = rest.rsplit(":", 1)
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            f"( filesrc location={path} ! matroskademux ! {codec}parse config-interval=-1 "
            f"! rtp{codec}pay name=pay0 pt=96 config-interval=1 )"
        )
        factory.set_shared(True)
        mounts.add_factory(f"/{name}", factory)
    server.attach(None)
    print("rtsp ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
