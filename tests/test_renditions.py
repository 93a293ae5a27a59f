"""
Renditions: every picture in the card and lead shapes, at the shape's
widths, as AVIF (where Pillow writes it), WebP and JPEG, cropped around
the focal point; made once and kept.
"""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image, features

from articles import media
from articles.media import renditions
from articles.models import Rendition
from tests.factories import make_picture, photo_bytes

pytestmark = pytest.mark.django_db

FORMATS = {"avif", "webp", "jpeg"} if features.check("avif") else {"webp", "jpeg"}


def stored_files(folder="renditions"):
    found, stack = [], [folder]
    while stack:
        here = stack.pop()
        if not default_storage.exists(here):
            continue
        folders, files = default_storage.listdir(here)
        stack += [f"{here}/{name}" for name in folders]
        found += [f"{here}/{name}" for name in files]
    return sorted(found)


def opened(rendition):
    with default_storage.open(rendition.file.name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


def test_each_shape_width_and_format_is_made_once_and_kept():
    picture = make_picture(size=(1600, 1200))
    made = {(r.shape, r.width, r.format) for r in picture.renditions.all()}

    expected = {
        (shape, width, fmt)
        for shape, frame in renditions.FRAMES.items()
        for width in frame.widths
        for fmt in FORMATS
    }
    assert made == expected
    files = stored_files()
    assert len(files) == len(expected)

    # Saved again, edited, asked again: nothing is made twice.
    picture.caption = "A new caption"
    media.save(picture)
    assert renditions.ensure(picture) == 0
    assert picture.renditions.count() == len(expected)
    assert stored_files() == files


def test_renditions_have_the_size_and_format_they_say():
    picture = make_picture(size=(1600, 1200))
    for rendition in picture.renditions.all():
        image = opened(rendition)
        assert image.size == (rendition.width, rendition.height)
        assert image.format == rendition.format.upper()
        assert rendition.size == default_storage.size(rendition.file.name)
        ratio = renditions.FRAMES[rendition.shape].ratio
        assert abs(rendition.width / rendition.height - ratio[0] / ratio[1]) < 0.01


def test_avif_is_made_only_where_pillow_writes_it(monkeypatch):
    monkeypatch.setattr(renditions.features, "check", lambda name: False if name == "avif" else True)
    picture = make_picture(size=(600, 400))
    assert {r.format for r in picture.renditions.all()} == {"webp", "jpeg"}


def test_a_small_picture_is_never_enlarged():
    picture = make_picture(size=(400, 300))
    widths = {(r.shape, r.width) for r in picture.renditions.all()}
    # Lead 16:9 crop of 400 x 300 is 400 wide: narrower than 480, made at 400.
    assert widths == {("card", 160), ("card", 320), ("lead", 400)}


def test_crops_keep_the_focal_point_in_view():
    # A white picture with one red square near its right edge.
    image = Image.new("RGB", (1600, 600), "white")
    image.paste((220, 0, 0), (1440, 260, 1520, 340))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    centred = make_picture(data=buffer.getvalue(), name="square.png")
    focused = make_picture(data=buffer.getvalue(), name="square.png", focal_x=0.925, focal_y=0.5)

    def red_in_card(picture):
        card = picture.renditions.get(shape="card", width=320, format="jpeg")
        pixels = opened(card).convert("RGB").get_flattened_data()
        return any(r > 180 and g < 90 and b < 90 for r, g, b in pixels)

    assert not red_in_card(centred)
    assert red_in_card(focused)


def test_a_new_focal_point_makes_new_renditions_under_new_names():
    picture = make_picture(size=(1200, 800))
    before = set(picture.renditions.values_list("file", flat=True))

    picture.focal_x = 0.1
    media.save(picture)

    after = set(picture.renditions.values_list("file", flat=True))
    assert len(after) == len(before) and not before & after


def test_crop_box_stays_inside_the_picture():
    assert renditions.crop_box((1600, 1200), (16, 9), (0.5, 0.5)) == (0, 150, 1600, 1050)
    assert renditions.crop_box((1600, 1200), (16, 9), (0.5, 0.0)) == (0, 0, 1600, 900)
    assert renditions.crop_box((1600, 600), (3, 2), (1.0, 0.5)) == (700, 0, 1600, 600)


def test_make_renditions_command_fills_in_pictures_that_lack_them():
    picture = make_picture(size=(640, 480))
    picture.renditions.all().delete()
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("make_renditions", stdout=out)
    assert picture.renditions.count() > 0
    assert out.getvalue().startswith(f"{picture.renditions.count()} renditions made")
    call_command("make_renditions", stdout=out)
    assert "0 renditions made" in out.getvalue()


def test_the_clean_copy_is_what_renditions_are_made_from():
    # A camera's orientation tag: renditions come out upright.
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    buffer = io.BytesIO()
    Image.open(io.BytesIO(photo_bytes((800, 400)))).save(buffer, "JPEG", exif=exif)
    picture = make_picture(data=buffer.getvalue())
    lead = picture.renditions.filter(shape="lead").order_by("-width").first()
    # Upright the picture is 400 wide and 800 tall: its 16:9 crop is 400 wide.
    assert lead.width == 400


def test_renditions_are_recorded_with_their_picture():
    picture = make_picture(size=(640, 480))
    assert Rendition.objects.filter(picture=picture).count() == picture.renditions.count() > 0
