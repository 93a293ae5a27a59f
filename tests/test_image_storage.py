"""
What is stored of an uploaded picture: a clean copy in the format it decodes
as, under that format's extension, with only orientation and colour profile
left of its metadata; files nothing refers to are removed.
"""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms

from articles import media
from articles.models import ArticleRevision, Picture
from tests.factories import make_article, make_author, make_user

pytestmark = pytest.mark.django_db

GPS = ExifTags.Base.GPSInfo
ORIENTATION = ExifTags.Base.Orientation


def photo(fmt="JPEG", size=(64, 48), **options):
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, fmt, **options)
    return buffer.getvalue()


def camera_jpeg():
    """A JPEG as a phone writes it: orientation, GPS position, maker, an sRGB profile."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.BodySerialNumber] = "SN-12345"
    exif.get_ifd(GPS)[ExifTags.GPS.GPSLatitudeRef] = "N"
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return photo(exif=exif, icc_profile=profile), profile


def stored(picture):
    picture.refresh_from_db()
    return Path(picture.file.path), Image.open(picture.file.path)


def saved_with(name, data):
    return media.save(Picture(file=SimpleUploadedFile(name, data), alt_text="A street"))


@pytest.mark.parametrize(
    ("name", "fmt", "extension"),
    [
        ("photo.eps", "JPEG", ".jpg"),
        ("photo.mpg", "PNG", ".png"),
        ("photo.ps", "WEBP", ".webp"),
        ("picture.gif", "GIF", ".gif"),
        ("picture.avif", "AVIF", ".avif"),
    ],
)
def test_the_extension_is_chosen_from_what_the_file_decodes_as(name, fmt, extension):
    path, image = stored(saved_with(name, photo(fmt)))

    assert path.suffix == extension
    assert image.format == fmt


def test_a_jpeg_with_a_pdf_appended_is_stored_as_the_jpeg_alone():
    polyglot = photo() + b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

    path, image = stored(saved_with("report.pdf", polyglot))

    assert path.suffix == ".jpg" and image.format == "JPEG"
    assert b"%PDF" not in path.read_bytes()


def test_metadata_is_stripped_but_orientation_and_colour_profile_kept():
    data, profile = camera_jpeg()

    path, image = stored(saved_with("IMG_0001.JPG", data))

    exif = image.getexif()
    assert exif.get(ORIENTATION) == 6
    assert ExifTags.Base.Make not in exif and ExifTags.Base.BodySerialNumber not in exif
    assert not exif.get_ifd(GPS)
    assert image.info.get("icc_profile") == profile
    assert b"PhoneMaker" not in path.read_bytes() and b"SN-12345" not in path.read_bytes()


def test_a_cameras_mpo_jpeg_is_accepted_and_stored_as_its_first_picture():
    frames = [Image.effect_noise((64, 48), 60).convert("RGB") for _ in range(2)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "MPO", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    path, image = stored(saved_with("DSC_0001.JPG", buffer.getvalue()))

    assert path.suffix == ".jpg" and image.format == "JPEG"


def test_an_animated_gif_stays_animated():
    frames = [Image.new("RGB", (16, 16), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    _path, image = stored(saved_with("spinner.gif", buffer.getvalue()))

    assert image.n_frames == 3


def test_the_admin_stores_the_clean_copy(admin_client):
    upload = SimpleUploadedFile("flood.eps", photo())
    data = {"file": upload, "alt_text": "A flooded street", "focal_x": "0.5", "focal_y": "0.5"}

    response = admin_client.post(reverse("admin:articles_picture_add"), data)

    assert response.status_code == 302
    picture = Picture.objects.get()
    assert picture.file.name.endswith(".jpg") and (picture.width, picture.height) == (64, 48)


# Files nothing refers to


def test_a_replaced_author_photo_is_deleted(client, django_capture_on_commit_callbacks):
    client.force_login(make_user("keeper", "Taxonomy staff"))
    author = make_author(name="Ivan Petrov", slug="ivan")
    change = reverse("admin:articles_author_change", args=[author.pk])
    for name in ["old.jpg", "new.jpg"]:
        data = {"name": "Ivan Petrov", "slug": "ivan", "photo": SimpleUploadedFile(name, photo())}
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(change, data).status_code == 302
        author.refresh_from_db()
        if name == "old.jpg":
            old = Path(author.photo.path)

    assert not old.exists()
    assert Path(author.photo.path).exists()


def test_prune_media_deletes_only_files_nothing_refers_to(media_root):
    kept = saved_with("kept.jpg", photo())
    renditions = [Path(r.file.path) for r in kept.renditions.all()]
    orphan = Path(media_root) / "articles" / "2020" / "01" / "left-behind.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(photo())
    out = io.StringIO()

    call_command("prune_media", stdout=out)

    assert not orphan.exists()
    assert Path(kept.file.path).exists() and renditions and all(p.exists() for p in renditions)
    assert "deleted articles/2020/01/left-behind.jpg" in out.getvalue()


def test_prune_media_deletes_renditions_of_an_earlier_focal_point(media_root):
    picture = saved_with("street.jpg", photo(size=(640, 480)))
    earlier = [Path(r.file.path) for r in picture.renditions.all()]
    picture.focal_x = 0.2
    media.save(picture)
    now = [Path(r.file.path) for r in picture.renditions.all()]

    call_command("prune_media", stdout=io.StringIO())

    assert not any(p.exists() for p in earlier)
    assert all(p.exists() for p in now)


def test_prune_media_keeps_what_only_a_revision_refers_to_and_a_dry_run_deletes_nothing(media_root):
    # Revisions from before the library name their story's image file.
    story = make_article()
    old = Path(media_root) / "articles" / "2017" / "09" / "old.jpg"
    old.parent.mkdir(parents=True)
    old.write_bytes(photo())
    ArticleRevision.objects.create(article=story, number=1, data={"image": "articles/2017/09/old.jpg"})
    orphan = Path(media_root) / "authors" / "gone.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(photo())

    dry = io.StringIO()
    call_command("prune_media", "--dry-run", stdout=dry)
    assert orphan.exists() and "would delete authors/gone.jpg" in dry.getvalue()

    call_command("prune_media", stdout=io.StringIO())
    assert not orphan.exists()
    assert old.exists()
