"""The default storage of uploaded files: a folder under MAPSERVER_MEDIA_DIR (a volume every app server mounts),
read at each use so that a changed setting (tests, a second process) takes effect without rebuilding storages."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class MediaDirStorage(FileSystemStorage):
    """FileSystemStorage rooted at MAPSERVER_MEDIA_DIR/<subdir>."""

    def __init__(self, subdir: str = "", **kwargs) -> None:
        self.subdir = subdir
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        """MAPSERVER_MEDIA_DIR/<subdir>, as configured now."""
        return str(Path(settings.MAPSERVER_MEDIA_DIR) / self.subdir)

    @property
    def location(self) -> str:
        """The absolute folder files are stored in."""
        return str(Path(self.base_location).resolve())
