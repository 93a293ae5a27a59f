import io
import math
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.images import validate_image
from articles.models import Author, Picture

pytestmark = pytest.mark.django_db


# Files, made in memory


def picture(fmt="PNG", size=(64, 48)):
    """A real image of noise, which compresses badly, so that bytes are many."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, fmt)
    return buffer.getvalue()


def cut_short(data):
    return data[: len(data) // 2]


def blank_png(width, height):
    """A real, whole PNG: all white pixels compress to almost nothing."""
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width, height):
    """A PNG header announcing ``width`` × ``height`` pixels, in a few dozen bytes."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def pillow_bomb(factor):
    """Just over ``factor`` times Pillow's own pixel limit, as a square."""
    side = math.isqrt(int(Image.MAX_IMAGE_PIXELS * factor)) + 1
    return png_claiming(side, side)


def upload(data, name="photo.png"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# case -> (file name, a way to make the bytes, the validation error's code)
REFUSED = {
    "text": ("notes.jpg", lambda: b"Minutes of the meeting, not a photo.", "not_an_image"),
    "truncated JPEG": ("photo.jpg", lambda: cut_short(picture("JPEG")), "image_damaged"),
    "truncated PNG": ("photo.png", lambda: cut_short(picture("PNG")), "image_damaged"),
    "too many pixels": ("map.png", lambda: blank_png(8000, 6000), "image_too_many_pixels"),
    "over Pillow's warning limit": ("map.png", lambda: pillow_bomb(1.5), "image_bomb"),
    "over twice Pillow's limit": ("map.png", lambda: pillow_bomb(2), "image_bomb"),
    "BMP": ("photo.bmp", lambda: picture("BMP"), "image_format"),
    "over byte limit": ("photo.png", lambda: picture(size=(256, 256)), "image_too_large"),
}

# code -> what the editor reads
MESSAGES = {
    "not_an_image": "This file is not an image",
    "image_damaged": "This image is damaged or incomplete",
    "image_too_many_pixels": "This image is 8000 × 6000 pixels; the most accepted is 40 million",
    "image_bomb": "would take too much memory to open (a decompression bomb)",
    "image_format": "BMP images are not accepted",
    "image_too_large": "the largest image accepted is 97.7\xa0KB",
}


@pytest.fixture
def limits(settings):
    # The noise picture of 256 × 256 is larger than this; every other file
    # in REFUSED is smaller.
    settings.NEWSROOM_MAX_IMAGE_BYTES = 100_000
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 40_000_000


# The validator


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_whole_web_images_pass_and_keep_file_position(fmt):
    file = upload(picture(fmt))
    file.seek(7)
    validate_image(file)
    assert file.tell() == 7


@pytest.mark.parametrize("case", REFUSED)
def test_validator_refuses(limits, case):
    name, make, code = REFUSED[case]
    with pytest.raises(ValidationError) as refused:
        validate_image(upload(make(), name))
    assert refused.value.code == code


def test_newsroom_pixel_limit_is_a_setting(settings):
    small = upload(picture(size=(64, 48)))
    validate_image(small)
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 64 * 48 - 1
    with pytest.raises(ValidationError) as refused:
        validate_image(small)
    assert refused.value.code == "image_too_many_pixels"


def test_byte_limit_is_checked_before_decoding(settings):
    settings.NEWSROOM_MAX_IMAGE_BYTES = 1000
    data = b"x" * 1001  # not an image either: the size is reported first
    with pytest.raises(ValidationError) as refused:
        validate_image(upload(data))
    assert refused.value.code == "image_too_large"
    assert refused.value.params == {"size": "1001\xa0bytes", "max": "1000\xa0bytes"}


# The picture library's upload form (also the story form's "+")


def post_picture(client, file, alt_text="A flooded street"):
    data = {
        "file": file,
        "caption": "Floods in Yakutia",
        "alt_text": alt_text,
        "usage_terms": "The Lena is rising.",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    return client.post(reverse("admin:articles_picture_add"), data)


def stored_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()]


@pytest.mark.parametrize("case", REFUSED)
def test_admin_refuses_bad_upload_and_keeps_the_text(admin_client, limits, media_root, case):
    name, make, code = REFUSED[case]
    response = post_picture(admin_client, upload(make(), name))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["file"]
    assert MESSAGES[code] in errors["file"][0]
    content = response.content.decode()
    assert 'value="Floods in Yakutia"' in content
    assert "The Lena is rising.</textarea>" in content
    assert not Picture.objects.exists()
    assert stored_files(media_root) == []


def test_admin_stores_a_whole_image_with_its_size_and_renditions(admin_client, media_root):
    response = post_picture(admin_client, upload(picture("JPEG", (120, 80)), "flood.jpg"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Picture.objects.get()
    assert (stored.width, stored.height) == (120, 80)
    assert stored.file.name.startswith("pictures/")
    assert (media_root / stored.file.name).is_file()
    assert stored.renditions.exists()
    assert all((media_root / r.file.name).is_file() for r in stored.renditions.all())


def test_admin_keeps_the_file_when_the_picture_is_saved_again(admin_client, media_root):
    post_picture(admin_client, upload(picture("PNG", (90, 60))))
    stored = Picture.objects.get()
    files = stored_files(media_root)

    url = reverse("admin:articles_picture_change", args=[stored.pk])
    data = {"caption": "Floods in Yakutsk", "alt_text": "A street", "focal_x": "0.5", "focal_y": "0.5"}
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    stored.refresh_from_db()
    assert stored.caption == "Floods in Yakutsk"
    assert (stored.width, stored.height) == (90, 60)
    assert sorted(stored_files(media_root)) == sorted(files)


def test_admin_asks_for_alt_text_with_a_picture(admin_client):
    response = post_picture(admin_client, upload(picture()), alt_text="  ")
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["alt_text"]
    assert not Picture.objects.exists()


def test_author_photo_gets_the_same_check(admin_client):
    data = {"name": "Anna Ivanova", "slug": "anna-ivanova", "photo": upload(b"not a photo")}
    response = admin_client.post(reverse("admin:articles_author_add"), data)
    assert response.status_code == 200
    assert "This file is not an image" in response.context["adminform"].form.errors["photo"][0]
    assert not Author.objects.exists()
