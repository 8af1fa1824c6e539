"""Report photos: checked as real images, re-encoded without metadata, kept in the `photos` storage (settings.STORAGES:
MAPSERVER_MEDIA_DIR/reports by default, a volume shared by every app server, or an S3-compatible store)."""

from __future__ import annotations

import io
import re
import uuid

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from mapserver.errors import InvalidParameterValue, NotFound

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40 Mpx phone photo; more is a decompression bomb, not a report
MAX_SIDE = 2048  # stored size: enough to see the problem, small for slow connections
FORMATS = {"JPEG", "PNG", "WEBP"}
NAME = re.compile(r"^[0-9a-f]{32}\.jpg$")
URL_PREFIX = "/media/reports/"


def photo_storage() -> Storage:
    """Where report photos are kept (settings.STORAGES["photos"])."""
    return storages["photos"]


def store_photo(upload: UploadedFile) -> str:
    """Validate the upload (JPEG/PNG/WebP, at most 10 MB) and store it as a metadata-free JPEG; return its name.

    Re-encoding drops EXIF (GPS, device serial numbers) so a published photo carries nothing of the reporter.
    """
    if upload.size is None or upload.size > MAX_PHOTO_BYTES:
        raise InvalidParameterValue(f"the photo must be at most {MAX_PHOTO_BYTES // (1024 * 1024)} MB")
    if upload.size == 0:
        raise InvalidParameterValue("the photo is empty")
    try:
        with Image.open(upload) as probe:
            kind, (width, height) = probe.format, probe.size
            probe.verify()
        if kind not in FORMATS:
            raise InvalidParameterValue(f"the photo must be JPEG, PNG or WebP, not {kind}")
        if width * height > MAX_PIXELS:
            raise InvalidParameterValue("the photo has too many pixels")
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            encoded = io.BytesIO()
            image.save(encoded, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidParameterValue("the photo is not a readable image") from None
    return photo_storage().save(f"{uuid.uuid4().hex}.jpg", ContentFile(encoded.getvalue()))


def open_photo(name: str) -> File:
    """The stored file of a photo name, open for reading; NotFound for anything that is not one of ours."""
    if not NAME.match(name):
        raise NotFound("no such photo")
    try:
        return photo_storage().open(name, "rb")
    except FileNotFoundError:
        raise NotFound("no such photo") from None
