"""
Upload validation for images (lead images, author photos).

Django's ImageField only checks that Pillow recognises the header. An editor
deserves to hear, before anything is stored, that a file is not an image,
is cut short, is too big to download or too big to decode.
"""

import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_image(upload):
    """Raise ValidationError unless ``upload`` is a whole, sane web image."""
    if getattr(upload, "_committed", False):
        # A file already in storage (a story saved again) was checked when
        # it was uploaded; its file object may be closed by now.
        return
    max_bytes = settings.NEWSROOM_MAX_IMAGE_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            "This file is %(size)s; the largest image accepted is %(max)s.",
            code="image_too_large",
            params={"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        _check_decodes(upload)
    finally:
        upload.seek(position)


class ImageFormField(forms.ImageField):
    """
    Django's form ImageField, running ``validate_image`` first: Django's own
    check would refuse a non-image, a cut-short PNG or a decompression bomb
    with one generic message before the editor could learn which it is.
    """

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image(data)
        return super().to_python(data)


def _check_decodes(upload):
    max_pixels = settings.NEWSROOM_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        "This image is %(width)s × %(height)s pixels; the most "
                        "accepted is %(max)s million pixels.",
                        code="image_too_many_pixels",
                        params={"width": width, "height": height, "max": max_pixels // 1_000_000},
                    )
                if image.format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        "%(format)s images are not accepted; upload a JPEG, PNG, GIF or WebP.",
                        code="image_format",
                        params={"format": image.format},
                    )
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "This image would take too much memory to open (a decompression bomb).",
            code="image_bomb",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not an image, or not one we can read. "
            "Upload a JPEG, PNG, GIF or WebP.",
            code="not_an_image",
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        # Pillow reports a cut-short or corrupt file as OSError ("image file
        # is truncated") or SyntaxError (broken PNG chunks).
        raise ValidationError(
            "This image is damaged or incomplete (%(error)s). Upload it again.",
            code="image_damaged",
            params={"error": error},
        ) from None
