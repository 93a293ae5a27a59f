"""
Library pictures on public pages and in what goes out: <picture> with
AVIF, WebP and JPEG renditions the size of their slot, never a picture
whose usage terms have expired, and the shared rendition in JSON-LD, Open
Graph, feeds and the API.
"""

import datetime
import json
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import media, workflow
from tests.factories import make_article, make_live, make_picture, warm

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def story():
    picture = make_picture(
        size=(1600, 1200),
        caption="Ice breaks on the Neva",
        alt_text="Broken ice on a wide river",
        credit="Olga Smirnova / Newsroom",
        byline="Olga Smirnova",
    )
    return make_live(headline="Spring comes early", picture=picture)


def pictures_in(html):
    return re.findall(r"<picture.*?</picture>", html, re.DOTALL)


def srcset_widths(markup, kind):
    """{width: url} of the <source> of ``kind`` (or the <img> for "img")."""
    if kind == "img":
        srcset = re.search(r'<img[^>]* srcset="([^"]*)"', markup).group(1)
    else:
        srcset = re.search(rf'<source type="{kind}" srcset="([^"]*)"', markup).group(1)
    pairs = [entry.rsplit(" ", 1) for entry in srcset.split(", ")]
    return {int(width.removesuffix("w")): url for url, width in pairs}


def test_the_front_page_shows_the_lead_picture_and_cards_with_thumbnails(client, story):
    earlier = timezone.now() - 2 * HOUR
    make_live(headline="Second story", published_at=earlier, picture=make_picture(size=(1200, 800)))

    html = client.get(reverse("articles:front")).content.decode()

    lead, card = pictures_in(html)
    assert 'class="lead-picture"' in lead and 'fetchpriority="high"' in lead
    assert srcset_widths(lead, "image/webp").keys() == {480, 800, 1200, 1600}
    assert srcset_widths(lead, "img").keys() == {480, 800, 1200, 1600}
    assert 'sizes="(min-width: 64rem) 62rem, calc(100vw - 2rem)"' in lead
    assert 'class="thumb"' in card and 'loading="lazy"' in card
    assert srcset_widths(card, "image/webp").keys() == {160, 320, 480}
    assert 'sizes="(min-width: 40rem) 10rem, 7.5rem"' in card
    # The <img> carries its own size, so nothing moves as pictures arrive.
    assert re.search(r'<img [^>]*width="320" height="213"', card)


def test_each_srcset_entry_is_a_file_of_the_width_it_claims(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    (lead,) = pictures_in(html)
    by_url = {r.file.url: r for r in story.picture.renditions.all()}
    for kind, fmt in [("image/avif", "avif"), ("image/webp", "webp"), ("img", "jpeg")]:
        if kind == "image/avif" and "avif" not in media.formats():
            continue
        for width, url in srcset_widths(lead, kind).items():
            rendition = by_url[url]
            assert (rendition.shape, rendition.width, rendition.format) == ("lead", width, fmt)


def test_no_page_view_makes_a_rendition(client, story, django_assert_num_queries):
    count = story.picture.renditions.count()
    for _ in range(3):
        client.get(story.get_absolute_url())
        client.get(reverse("articles:front"))
    assert story.picture.renditions.count() == count


def test_a_picture_past_its_usage_terms_is_shown_nowhere(client, story):
    urls = [
        reverse("articles:front"),
        reverse("articles:index"),
        story.get_absolute_url(),
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
        "/api/ninjs/items/",
    ]
    shown = {url: client.get(url).content.decode() for url in urls}
    files = [r.file.url for r in story.picture.renditions.all()]
    assert all(any(name in text for name in files) for text in shown.values())

    story.picture.usage_expires = timezone.now() - HOUR
    media.save(story.picture)

    for url in urls:
        text = client.get(url).content.decode()
        assert "Spring comes early" in text, url
        assert not any(name in text for name in files), url
        assert "Ice breaks on the Neva" not in text, url
        assert story.picture.file.url not in text, url


def test_a_picture_is_shown_until_its_expiry(client, story):
    story.picture.usage_expires = timezone.now() + HOUR
    media.save(story.picture)
    assert "Ice breaks on the Neva" in client.get(story.get_absolute_url()).content.decode()


def test_json_ld_and_open_graph_point_at_the_shared_rendition(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    shared = story.picture.renditions.get(shape="lead", width=1200, format="jpeg")
    url = f"http://testserver{shared.file.url}"

    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert data["image"] == [
        {
            "@type": "ImageObject",
            "url": url,
            "width": 1200,
            "height": 675,
            "caption": "Ice breaks on the Neva",
            "creditText": "Olga Smirnova / Newsroom",
            "creator": {"@type": "Person", "name": "Olga Smirnova"},
        }
    ]
    assert f'<meta property="og:image" content="{url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:alt" content="Broken ice on a wide river">' in html


def test_feeds_enclose_the_shared_rendition(client, story):
    shared = story.picture.renditions.get(shape="lead", width=1200, format="jpeg")
    url = f"http://testserver{shared.file.url}"
    rss = client.get(reverse("articles:feed_rss")).content.decode()
    atom = client.get(reverse("articles:feed_atom")).content.decode()
    enclosure = re.search(r"<enclosure [^>]*>", rss).group(0)
    link = re.search(r'<link [^>]*rel="enclosure"[^>]*>', atom).group(0)
    for element, address in [(enclosure, "url"), (link, "href")]:
        assert f'{address}="{url}"' in element
        assert f'length="{shared.size}"' in element and 'type="image/jpeg"' in element


def test_the_api_lists_the_renditions_with_their_sizes(client, story):
    item = client.get(f"/api/ninjs/items/{story.pk}/").json()
    (picture,) = item["associations"]
    assert picture["type"] == "picture" and picture["by"] == "Olga Smirnova / Newsroom"
    jpeg = next(r for r in picture["renditions"] if r["name"] == "lead-1200-jpeg")
    shared = story.picture.renditions.get(shape="lead", width=1200, format="jpeg")
    assert jpeg == {
        "name": "lead-1200-jpeg",
        "href": f"http://testserver{shared.file.url}",
        "contenttype": "image/jpeg",
        "width": 1200,
        "height": 675,
        "sizeinbytes": shared.size,
    }
    assert picture["uri"] == jpeg["href"]


def test_a_picture_without_renditions_yet_shows_its_file(client, story):
    story.picture.renditions.all().delete()
    html = client.get(story.get_absolute_url()).content.decode()
    (lead,) = pictures_in(html)
    assert f'<img src="{story.picture.file.url}" width="1600" height="1200"' in lead
    assert "<source" not in lead


@pytest.mark.usefixtures("page_cache")
def test_cached_pages_drop_a_picture_when_its_terms_expire(client, desk):
    now = timezone.now().replace(microsecond=0)
    until = now + datetime.timedelta(minutes=1)
    with time_machine.travel(now, tick=False):
        picture = make_picture(size=(640, 480), caption="Ice breaks on the Neva", usage_expires=until)
        story = make_article(headline="Spring comes early", picture=picture)
        desk(workflow.publish, story, at=now - HOUR)
        warm(client, "/", story.get_absolute_url())
    with time_machine.travel(until + datetime.timedelta(seconds=1), tick=False):  # within the cache's 300 s
        for url in ("/", story.get_absolute_url()):
            text = client.get(url).content.decode()
            assert "Spring comes early" in text and "<picture" not in text, url
        assert "Ice breaks on the Neva" not in client.get(story.get_absolute_url()).content.decode()


def test_the_api_offers_the_stored_file_until_renditions_are_made(client, story):
    story.picture.renditions.all().delete()
    (picture,) = client.get(f"/api/ninjs/items/{story.pk}/").json()["associations"]
    href = f"http://testserver{story.picture.file.url}"
    assert picture["renditions"] == [
        {"name": "original", "href": href, "contenttype": "image/jpeg", "width": 1600, "height": 1200}
    ]
