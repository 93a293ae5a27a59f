"""
Uploaded images (library pictures, author photos): checked, then stored clean.

Django's ImageField only checks that Pillow recognises the header. An editor
deserves to hear, before anything is stored, that a file is not an image,
is cut short, is too big to download or too big to decode. What is stored
is never the uploader's bytes or extension: ``WebImageField`` re-encodes
every new file in the format it decodes as, under that format's extension,
keeping of its metadata only the orientation and the colour profile. A
JPEG with a PDF appended is stored as a JPEG alone; a camera's GPS position
and serial number go nowhere.
"""

import io
import re
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image, UnidentifiedImageError

# What each accepted format is stored as. MPO is a camera's JPEG with more
# frames (a depth map, a preview): its first frame is the picture.
STORED = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP", "AVIF": "AVIF"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "AVIF": "avif"}
ACCEPTED_FORMATS = set(STORED)
ORIENTATION = ExifTags.Base.Orientation


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
                        "%(format)s images are not accepted; upload a JPEG, PNG, GIF, WebP or AVIF.",
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
            "Upload a JPEG, PNG, GIF, WebP or AVIF.",
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


# Storing: a clean copy


def clean_copy(upload):
    """
    ``upload`` (already checked) re-encoded in its own format, named by it:
    ``photo.eps`` holding a JPEG becomes ``photo.jpg``, with only its
    orientation and colour profile left of its metadata.
    """
    upload.seek(0)
    with Image.open(upload) as image:
        stored = STORED[image.format]
        options = _options(image, stored)
        if stored in ("GIF", "WEBP") and getattr(image, "n_frames", 1) > 1:
            options.update(save_all=True)  # an animation stays one
        buffer = io.BytesIO()
        image.save(buffer, format=stored, **options)
    stem = re.sub(r"[^\w-]+", "-", PurePath(upload.name or "image").stem).strip("-") or "image"
    return ContentFile(buffer.getvalue(), name=f"{stem[:80]}.{EXTENSIONS[stored]}")


def _options(image, stored):
    options = {}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    orientation = image.getexif().get(ORIENTATION)
    if orientation and stored != "GIF":
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        options["exif"] = exif.tobytes()
    if stored == "JPEG":
        # A JPEG keeps its own compression tables: re-saving costs no quality.
        options["quality"] = "keep" if image.format == "JPEG" else 95
    elif stored in ("WEBP", "AVIF"):
        options["quality"] = 90
    elif stored == "GIF":
        options.update({key: image.info[key] for key in ("duration", "loop", "transparency") if key in image.info})
    return options


class WebImageField(models.ImageField):
    """
    An ImageField that checks every new file and stores its clean copy,
    whatever saves it: the admin, the importer or the shell.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_image])
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            validate_image(file)
            setattr(model_instance, self.attname, clean_copy(file))
        return super().pre_save(model_instance, add)


# Files nothing refers to any more


def discard_photo(name):
    """
    Delete an author's photo file once no author shows it (call after
    commit). Library pictures and their renditions are not deleted one by
    one: a page or feed kept at the edge may still show them for a while;
    ``manage.py prune_media`` removes orphans.
    """
    from django.core.files.storage import default_storage

    from .models import Author

    if not name or Author.objects.filter(photo=name).exists() or not default_storage.exists(name):
        return False
    default_storage.delete(name)
    return True


def referenced():
    """
    Every stored file a library picture, a rendition, an author or a
    revision refers to: four reads of their tables, for a maintenance
    command (none is indexed by file, so a check file by file would read
    them all each time). Revisions written before the picture library
    (migration 0018) name their story's image file.
    """
    from .models import ArticleRevision, Author, Picture, Rendition

    names = set(Picture.objects.values_list("file", flat=True))
    names.update(Rendition.objects.values_list("file", flat=True))
    names.update(Author.objects.exclude(photo="").values_list("photo", flat=True))
    names.update(ArticleRevision.objects.values_list("data__image", flat=True).distinct())
    return names - {None, ""}
