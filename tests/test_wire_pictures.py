"""
Pictures from the wire into the picture library: NewsML-G2 and ninjs
picture items delivered with their files, and the pictures a ninjs story
carries; never a file from elsewhere on the machine, never a download.
"""

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles import wire
from articles.models import Article, Picture
from tests.factories import photo_bytes

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "wire"
GETTY = DATA / "newsml-g2" / "LISTING_3_Photo_in_NewsML-G2.xml"
AP_PICTURE = DATA / "ninjs" / "provider-3.0" / "ap_image.json"
VIDEO = DATA / "newsml-g2" / "LISTING_24_News_Message_conveying_a_complete_News_Package.xml"
SEED = DATA / "text" / "000_8ed40d542d1fccef.txt"


def run(*paths):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_wire", *map(str, paths), stdout=out, stderr=err)
    except CommandError as error:
        return str(error), out.getvalue(), err.getvalue()
    return None, out.getvalue(), err.getvalue()


def getty_delivery(folder):
    """The IPTC sample as an agency delivers it: the item, and its picture beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(GETTY, folder / GETTY.name)
    (folder / "GYI0062134533.jpg").write_bytes(photo_bytes((1500, 1001)))
    return folder / GETTY.name


def test_a_newsml_picture_delivered_with_its_file_enters_the_library(tmp_path):
    item = getty_delivery(tmp_path / "in")

    failed, out, err = run(tmp_path / "in")

    assert failed is None and err == ""
    picture = Picture.objects.get()
    assert picture.source_id == "tag:gettyimages.com,2010:GYI0062134533"
    assert picture.caption.startswith("A general view of part of downtown, including Las Vegas Boulevard")
    assert (picture.credit, picture.byline) == ("Getty Images", "Spencer Platt")
    assert picture.copyright_notice.startswith("Copyright 2010 Getty Images.")
    assert picture.usage_terms.startswith("Contact your local office for all commercial")
    assert (picture.width, picture.height) == (1500, 1001)
    assert picture.renditions.exists()  # made once, on import
    assert f"created: {item}: Variety Of Recessionary Forces Leave Las Vegas Economy Scarred" in out
    assert "GYI0062134533.jpg" not in out  # the picture's file is no item of its own

    again = run(tmp_path / "in")
    assert Picture.objects.count() == 1 and "already in the picture library" in again[1]


@pytest.mark.parametrize("address", ["../secret.jpg", "/etc/secret.jpg", "file:///etc/secret.jpg",
                                     "file://server/share/secret.jpg", "https://example.org/secret.jpg"])  # fmt: skip
def test_a_file_anywhere_but_beside_the_item_is_never_taken(tmp_path, address):
    (tmp_path / "secret.jpg").write_bytes(photo_bytes((300, 200)))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "photo.xml").write_bytes(GETTY.read_bytes().replace(b"./GYI0062134533.jpg", address.encode()))

    failed, out, _err = run(folder)

    assert failed is None and not Picture.objects.exists()
    assert "a picture whose file did not come with it" in out


def test_a_ninjs_picture_with_its_file_beside_it(tmp_path):
    data = json.loads(AP_PICTURE.read_text())
    data["renditions"] = [{"name": "main", "href": "turkey.jpg", "width": 800, "height": 533}]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "turkey.json").write_text(json.dumps(data))
    (folder / "turkey.jpg").write_bytes(photo_bytes((800, 533)))

    failed, _out, _err = run(folder)

    picture = Picture.objects.get()
    assert failed is None
    assert picture.source_id == data["uri"]
    assert picture.caption.startswith("FILE - In this Monday, Nov. 11, 2019 file photo")
    assert picture.credit == "ASSOCIATED PRESS"
    assert picture.usage_terms.startswith("This content is intended for editorial use only.")


def test_a_story_with_an_associated_picture_gets_it_as_its_lead(tmp_path):
    story = {
        "uri": "urn:test:story", "type": "text", "headline": "Border crossing reopens",
        "body_text": "PAZARKULE, Nov 15 (AP) - The crossing reopened.",
        "associations": {"featureimage": {
            "uri": "urn:test:picture", "type": "picture", "headline": "Border",
            "descriptions": [{"role": "caption", "value": "The crossing at dawn."}],
            "renditions": [{"href": "border.jpg", "width": 640}],
        }},
    }  # fmt: skip
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.json").write_text(json.dumps(story))
    (folder / "border.jpg").write_bytes(photo_bytes((640, 427)))

    run(folder)

    article = Article.objects.get()
    assert article.picture.caption == "The crossing at dawn."
    assert article.picture.source_id == "urn:test:picture"


def test_a_folder_of_stories_pictures_videos_and_events_imports_without_failing(tmp_path):
    folder = tmp_path / "in"
    getty_delivery(folder)
    shutil.copy(SEED, folder / SEED.name)
    shutil.copy(VIDEO, folder / "package.xml")
    shutil.copy(DATA / "ninjs" / "provider-3.0" / "ap_image.json", folder / "picture-without-file.json")

    failed, out, err = run(folder)

    assert failed is None and err == ""
    assert Article.objects.count() == 1 and Picture.objects.count() == 1
    skipped = [line for line in out.splitlines() if line.startswith("skipped:") or ": nothing to import" in line]
    assert len(skipped) == 2  # the package and the picture whose file did not come, one line each


def test_the_ingest_service_moves_a_picture_file_with_its_item(tmp_path):
    from articles.models import WireSource
    from articles.wire import sources

    folder = tmp_path / "inbox"
    getty_delivery(folder)
    for path in folder.iterdir():
        os.utime(path, (0, 0))  # delivered long ago
    source = WireSource.objects.create(name="Photos", address=str(folder))

    sources.check(source, by=wire.system_user())

    assert Picture.objects.count() == 1
    assert sorted(p.name for p in (folder / "_PROCESSED").rglob("*.*")) == [
        "GYI0062134533.jpg", "LISTING_3_Photo_in_NewsML-G2.xml"
    ]  # fmt: skip
