"""Backups and restores: a consistent database dump with the report photos and raster files, one dated folder with
a manifest and SHA-256 checksums (archive.py, dump.py), full and single-layer restores that leave the platform
consistent (restore.py, consistency.py) and a restore check into a scratch database (check.py)."""
