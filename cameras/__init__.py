"""Camera health and playback.

This app owns: probing every camera stream (`cameras_check`, ffprobe in a thread pool) and the probe log, the
health summary (/api/cameras/health), the demo HLS streams for live cameras (`cameras_demo_streams`, served
under /cameras/demo/) and the map popup that plays a stream (static/cameras/). The cameras themselves are
stored by geodata (geodata.Camera) and published as the `cameras` layer declared in layers/layers.py.
"""
