"""
What is stored of an uploaded image: a clean copy in the format it decodes
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

from articles.models import Article
from tests.factories import article_form_data, make_article, make_author, make_user

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


def stored(story):
    story.refresh_from_db()
    return Path(story.image.path), Image.open(story.image.path)


def saved_with(name, data):
    story = make_article()
    story.image = SimpleUploadedFile(name, data)
    story.save()
    return story


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
    story = make_article(headline="Flood", image_alt="")
    upload = SimpleUploadedFile("flood.eps", photo())
    data = article_form_data(story, image=upload, image_alt="A flooded street")

    response = admin_client.post(reverse("admin:articles_article_change", args=[story.pk]), data)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.image.name.endswith(".jpg") and (story.image_width, story.image_height) == (64, 48)


# Files nothing refers to


def test_a_replaced_lead_image_is_kept_while_a_revision_can_restore_it(
    admin_client, django_capture_on_commit_callbacks
):
    story = make_article(headline="Flood")
    change = reverse("admin:articles_article_change", args=[story.pk])
    for name in ["first.jpg", "second.jpg"]:
        story.refresh_from_db()
        upload = SimpleUploadedFile(name, photo())
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(change, article_form_data(story, image=upload, image_alt="A street"))
        assert response.status_code == 302
    names = [r.data["image"] for r in Article.objects.get().revisions.order_by("number")]
    first, second = names[-2:]

    assert first != second and first.endswith(".jpg")
    assert Path(story.image.storage.path(first)).exists()  # revision 2 can bring it back


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
    orphan = Path(media_root) / "articles" / "2020" / "01" / "left-behind.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(photo())
    out = io.StringIO()

    call_command("prune_media", stdout=out)

    assert not orphan.exists()
    assert Path(kept.image.path).exists()
    assert "deleted articles/2020/01/left-behind.jpg" in out.getvalue()


def test_prune_media_keeps_what_only_a_revision_refers_to_and_a_dry_run_deletes_nothing(media_root):
    from articles.models import ArticleRevision

    story = saved_with("old.jpg", photo())
    old = story.image.name
    ArticleRevision.objects.create(article=story, number=1, data={"image": old})
    story.image = SimpleUploadedFile("new.jpg", photo())
    story.save()
    orphan = Path(media_root) / "authors" / "gone.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(photo())

    dry = io.StringIO()
    call_command("prune_media", "--dry-run", stdout=dry)
    assert orphan.exists() and "would delete authors/gone.jpg" in dry.getvalue()

    call_command("prune_media", stdout=io.StringIO())
    assert not orphan.exists()
    assert Path(story.image.storage.path(old)).exists() and Path(story.image.path).exists()
