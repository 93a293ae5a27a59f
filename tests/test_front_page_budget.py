"""
The front page on a phone: Chromium at 390 CSS pixels wide (three device
pixels to each, as on the phones of that width) loads the front page of a
newsroom with a photograph on every story, and the pictures it downloads
(the format and width it picks from srcset and sizes, lazy ones included
once they come near the screen) weigh less than 300 KB.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from articles.media import formats

from tests.factories import make_live, make_picture, photo_bytes

CHROMIUM = "/usr/bin/chromium"
BUDGET = 300 * 1024

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs the chromium package.")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def front_page_stories():
    """A lead story with a large photograph, and a river of fifteen with photographs of their own."""
    make_live(headline="Lead story", picture=make_picture(data=photo_bytes((2400, 1600), seed=1)))
    for n in range(15):
        picture = make_picture(data=photo_bytes((800, 600), seed=n + 2))
        make_live(headline=f"River story {n}", picture=picture, published_at=_hours_ago(n + 2))


def _hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def serve_media(route):
    """Media files, as the web server in front (or the bucket) serves them."""
    name = route.request.url.split(settings.MEDIA_URL, 1)[1]
    with default_storage.open(name) as stored:
        body = stored.read()
    route.fulfill(body=body, content_type=f"image/{name.rsplit('.', 1)[1].replace('jpg', 'jpeg')}")


def test_the_front_page_on_a_phone_downloads_under_300_kb_of_pictures(live_server, front_page_stories):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    fetched = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            phone = browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True
            )
            page = phone.new_page()
            page.route(f"**{settings.MEDIA_URL}**", serve_media)
            page.on(
                "response",
                lambda response: fetched.__setitem__(response.url, len(response.body()))
                if response.request.resource_type == "image"
                else None,
            )
            page.goto(f"{live_server.url}/", wait_until="networkidle")
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]

    total = sum(fetched.values())
    best = formats()[0]  # AVIF where this Pillow writes it, which Chromium prefers
    lead = [url for url in fetched if "/lead-" in url]
    cards = [url for url in fetched if "/card-" in url]
    # The lead picture at 358 CSS pixels, three device pixels each: the 1200 rendition.
    assert len(lead) == 1 and lead[0].endswith(f"/lead-1200.{best}"), sorted(fetched)
    # Thumbnails of 7.5rem (120 CSS pixels, 360 device pixels): the 480 rendition.
    assert cards and all(url.endswith(f"/card-480.{best}") for url in cards), sorted(fetched)
    # Only the thumbnails near the screen: the rest wait for the reader to scroll.
    assert len(cards) < 15
    print(f"front page at 390 px: {total / 1024:.0f} KB of pictures in {len(fetched)} files")
    assert total < BUDGET, f"{total / 1024:.0f} KB of pictures: {fetched}"
