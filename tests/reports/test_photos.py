"""Report photos: uploaded with the report, validated, stored without metadata, served at their media_url."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from reports import photos
from reports.models import FieldReport
from tests.reports.conftest import COMMUNE, jpeg, point_in

pytestmark = pytest.mark.django_db


def upload(api_key: str, content: bytes, name: str = "p.jpg", kind: str = "image/jpeg", **extra):
    lat, lon = point_in(COMMUNE)
    data = {
        "api_key": api_key,
        "service_code": "waste",
        "lat": lat,
        "long": lon,
        "media": SimpleUploadedFile(name, content, content_type=kind),
        **extra,
    }
    return Client().post("/open311/v2/requests.json", data)


def test_photo_is_stored_without_exif_and_served_at_the_public_media_url(api_key, media_dir):
    response = upload(api_key, jpeg(gps=True, size=(3000, 1000)))
    assert response.status_code == 200, response.content
    report = FieldReport.objects.get(pk=response.json()[0]["service_request_id"])
    stored = media_dir / "reports" / report.photo
    with Image.open(stored) as image:
        assert image.format == "JPEG" and max(image.size) == photos.MAX_SIDE
        assert not image.getexif() and "exif" not in image.info
    assert b"SERIAL-123456" not in stored.read_bytes()
    row = Client().get(f"/open311/v2/requests/{report.pk}.json").json()[0]
    assert row["media_url"] == f"http://testserver/media/reports/{report.photo}"
    served = Client().get(f"/media/reports/{report.photo}")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == stored.read_bytes()


def test_a_photo_alone_is_a_valid_report(api_key):
    assert upload(api_key, jpeg()).status_code == 200


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(out, "PNG")
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("P", (20, 20)).save(out, "GIF")
    return out.getvalue()


def test_png_is_accepted_and_converted(api_key, media_dir):
    response = upload(api_key, png_bytes(), "p.png", "image/png")
    assert response.status_code == 200
    name = FieldReport.objects.get(pk=response.json()[0]["service_request_id"]).photo
    assert name.endswith(".jpg") and (media_dir / "reports" / name).is_file()


@pytest.mark.parametrize(
    "content,fragment",
    [
        (b"%PDF-1.4 not an image", "not a readable image"),
        (b"", "empty"),
        (jpeg()[:40], "not a readable image"),
        (None, "JPEG, PNG or WebP"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(api_key, media_dir, content, fragment):
    response = upload(api_key, gif_bytes() if content is None else content, description="x")
    assert response.status_code == 400 and fragment in response.json()[0]["description"]
    assert not FieldReport.objects.exists()
    assert not list((media_dir / "reports").glob("*.jpg")) if (media_dir / "reports").exists() else True


def test_too_large_photo_is_refused(api_key, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 1000)
    response = upload(api_key, jpeg(size=(400, 400)) + b"\0" * 2000)
    assert response.status_code == 400 and "at most" in response.json()[0]["description"]


def test_photo_names_outside_the_store_are_404():
    for path in ["/media/reports/../../settings.py", "/media/reports/" + "0" * 32 + ".jpg", "/media/reports/x.jpg"]:
        assert Client().get(path).status_code == 404


def test_point_outside_the_province_stores_no_photo(api_key, media_dir):
    response = upload(api_key, jpeg(), lat="21.03", long="105.85")
    assert response.status_code == 400
    assert not (media_dir / "reports").exists() or not list((media_dir / "reports").iterdir())
