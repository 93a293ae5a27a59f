"""
Renditions: each picture in the card and lead shapes, cropped around its
focal point, at a few widths, as AVIF (where this Pillow can write it), WebP
and JPEG. Made once per picture, shape, width and format and recorded as
``Rendition`` rows with their size in pixels and bytes, so that pages read
them with their stories and never open a file; stored through Django's
storage API, so the same code writes to a local folder or to S3.
"""

import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, features

from ..models import Rendition

Shape, Format = Rendition.Shape, Rendition.Format


@dataclass(frozen=True)
class Frame:
    ratio: tuple  # width, height
    widths: tuple  # pixels, narrowest first


# Card: a thumbnail beside a story in a list (7.5rem on phones, 10rem wider,
# so 480 pixels covers a phone's three device pixels to the CSS pixel).
# Lead: the whole width of the page or column (up to 62rem).
FRAMES = {
    Shape.CARD: Frame((3, 2), (160, 320, 480)),
    Shape.LEAD: Frame((16, 9), (480, 800, 1200, 1600)),
}
# Pillow's encoders, and settings that keep a photograph clean at a fraction of
# the JPEG's bytes. AVIF only where Pillow was built with libavif.
ENCODERS = {
    Format.AVIF: ("AVIF", {"quality": 55, "speed": 6}),
    Format.WEBP: ("WEBP", {"quality": 75, "method": 4}),
    Format.JPEG: ("JPEG", {"quality": 80, "optimize": True, "progressive": True}),
}
MIME = {Format.AVIF: "image/avif", Format.WEBP: "image/webp", Format.JPEG: "image/jpeg"}
EXTENSION = {Format.AVIF: "avif", Format.WEBP: "webp", Format.JPEG: "jpg"}
# What outputs for machines (JSON-LD, Open Graph, feeds, the API) point at:
# the lead shape as JPEG, which every reader of them decodes, 1200 pixels wide
# as Google and social sites ask for.
SHARED_WIDTH = 1200


def formats():
    """The formats made, best first: AVIF only when this Pillow can write it."""
    return [f for f in (Format.AVIF, Format.WEBP, Format.JPEG) if f != Format.AVIF or features.check("avif")]


def source_key(picture):
    """Names the file and focal point renditions are made from: another of either makes new ones."""
    text = f"{picture.file.name}|{picture.focal_x:.4f}|{picture.focal_y:.4f}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def crop_box(size, ratio, focus):
    """The largest box of ``ratio`` inside ``size``, as centred on ``focus`` (0-1, 0-1) as it fits."""
    width, height = size
    (rw, rh), (fx, fy) = ratio, focus
    if width * rh > height * rw:  # wider than the shape: cut the sides
        w, h = round(height * rw / rh), height
    else:  # taller: cut top and bottom
        w, h = width, round(width * rh / rw)
    left = min(max(round(fx * width - w / 2), 0), width - w)
    top = min(max(round(fy * height - h / 2), 0), height - h)
    return left, top, left + w, top + h


def widths_for(frame, crop_width):
    """The frame's widths the crop can fill without enlarging; the crop's own if it is narrower."""
    fitting = [w for w in frame.widths if w <= crop_width]
    return fitting or [crop_width]


def ensure(picture):
    """
    Make the renditions ``picture`` lacks and forget those of an earlier file
    or focal point; those it has are left alone. Returns how many were made.
    """
    key = source_key(picture)
    # Not picture.renditions: a picture read with some of its renditions
    # prefetched (the admin's thumbnails) would answer with those only.
    stored = Rendition.objects.filter(picture=picture)
    stored.exclude(source_key=key).delete()
    have = set(stored.values_list("shape", "width", "format"))
    made = []
    image, profile = _upright(picture)
    with image:
        for shape, frame in FRAMES.items():
            box = crop_box(image.size, frame.ratio, (picture.focal_x, picture.focal_y))
            crop = image.crop(box)
            for width in widths_for(frame, box[2] - box[0]):
                wanted = [f for f in formats() if (shape, width, f) not in have]
                if wanted:
                    height = round(width * frame.ratio[1] / frame.ratio[0])
                    sized = crop.resize((width, height), Image.Resampling.LANCZOS)
                    made += [_store(picture, key, shape, sized, f, profile) for f in wanted]
    # A second process making the same ones at once: the first row stands.
    Rendition.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


def _upright(picture):
    """The picture's file upright (its EXIF orientation applied) in RGB, alpha on white; and its colour profile."""
    with picture.file.open("rb") as stored, Image.open(stored) as image:
        image.seek(0)  # an animation's first frame
        profile = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
        if upright.mode in ("RGBA", "LA", "P", "PA"):
            upright = Image.alpha_composite(Image.new("RGBA", upright.size, "white"), upright.convert("RGBA"))
        return upright.convert("RGB"), profile


def _store(picture, key, shape, image, fmt, profile):
    encoder, options = ENCODERS[fmt]
    if profile:
        options = {**options, "icc_profile": profile}
    buffer = io.BytesIO()
    image.save(buffer, encoder, **options)
    data = buffer.getvalue()
    name = f"renditions/{key[:2]}/{key}/{shape}-{image.width}.{EXTENSION[fmt]}"
    stored = default_storage.save(name, ContentFile(data))
    return Rendition(
        picture=picture, shape=shape, width=image.width, height=image.height, format=fmt,
        source_key=key, file=stored, size=len(data),
    )  # fmt: skip


# Reading: what pages and outputs show, from renditions read with the stories


@dataclass(frozen=True)
class Shown:
    url: str
    width: int
    height: int
    mime: str = "image/jpeg"
    size: int | None = None  # bytes, where known


@dataclass(frozen=True)
class Sources:
    """A picture in one shape, as <picture> needs it."""

    sources: list  # [(mime, srcset)], best format first, JPEG last
    fallback: Shown  # the <img>: JPEG of the width nearest the middle

    @property
    def alternatives(self):
        return self.sources[:-1]

    @property
    def srcset(self):
        return self.sources[-1][1] if self.sources else ""


def sources(picture, shape):
    """
    ``picture`` in ``shape`` for a <picture> element, from its prefetched
    renditions; the stored file alone while it has none yet.
    """
    renditions = [r for r in picture.renditions.all() if r.shape == shape]
    by_format = {}
    for rendition in sorted(renditions, key=lambda r: r.width):
        by_format.setdefault(rendition.format, []).append(rendition)
    jpegs = by_format.get(Format.JPEG)
    if not jpegs:
        return Sources([], original(picture))
    srcsets = [
        (MIME[fmt], ", ".join(f"{r.file.url} {r.width}w" for r in by_format[fmt]))
        for fmt in (Format.AVIF, Format.WEBP, Format.JPEG)
        if fmt in by_format
    ]
    middle = jpegs[(len(jpegs) - 1) // 2]
    return Sources(srcsets, _image(middle))


def shared(picture):
    """The rendition feeds, JSON-LD, Open Graph and the API point at (see SHARED_WIDTH)."""
    leads = sorted(
        (r for r in picture.renditions.all() if r.shape == Shape.LEAD and r.format == Format.JPEG),
        key=lambda r: (r.width > SHARED_WIDTH, abs(r.width - SHARED_WIDTH)),
    )
    return _image(leads[0]) if leads else original(picture)


def original(picture):
    return Shown(picture.file.url, picture.width, picture.height, mime=_mime(picture.file.name))


def _image(rendition):
    r = rendition
    return Shown(r.file.url, r.width, r.height, MIME[r.format], r.size)


def _mime(name):
    extension = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}.get(extension, f"image/{extension}")
