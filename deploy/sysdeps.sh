#!/usr/bin/env bash
# Installs the Debian packages the map server needs, when it can (root or sudo); otherwise prints the command.
set -euo pipefail
PKGS="postgresql-15 postgresql-15-postgis-3 gdal-bin libgdal-dev ffmpeg fonts-dejavu-core mosquitto mosquitto-clients"
# `make test` also needs the browser, and nginx + openssl to check and run deploy/nginx.conf.template (the Debian
# package's own service is not used; on systemd machines it starts with the default site until disabled).
# python3-qgis and qgis-providers: the QGIS 3.22 client test (tests/layers/test_qgis.py, the OAPIF provider headless);
# GStreamer's RTSP server: the camera gateway tests serve RTSP with it (ffmpeg cannot serve RTSP to readers).
[ "${WITH_BROWSER:-0}" = 1 ] && PKGS="$PKGS chromium ffmpeg nginx openssl python3-qgis qgis-providers python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good gstreamer1.0-plugins-bad"
missing=""
for p in $PKGS; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
cmd="apt-get update && apt-get install -y$missing"
if [ "$(id -u)" = 0 ]; then
  echo "sysdeps: installing$missing"; export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq $missing >/dev/null
elif sudo -n true 2>/dev/null; then
  echo "sysdeps: installing$missing with sudo"; sudo DEBIAN_FRONTEND=noninteractive sh -c "$cmd" >/dev/null
else
  echo "sysdeps: missing$missing. Run as root:  sudo sh -c '$cmd'" >&2; exit 1
fi
