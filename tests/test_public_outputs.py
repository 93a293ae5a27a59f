"""
No output shows a story that is not live: a draft, a story in review, a
scheduled one, an embargoed one and a withdrawn one each carry their own
word in the headline, standfirst, body and tags, in their lead
picture's caption, alt text, credit and file name, and in those of a
library picture placed in the body, and none of those words
appears in any feed, sitemap, API answer, search result or listing. The
live story beside them, written the same way, does appear: the checks are
not vacuous.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, Banner, Byline, Correction, FrontBlock, FrontSlot
from tests.factories import make_author, make_editor, make_picture, make_place, make_section
from tests.frontpage.helpers import arrange

pytestmark = pytest.mark.django_db

HIDDEN = {
    "draft": "aardvark",
    "in_review": "bandicoot",
    "scheduled": "capybara",
    "embargoed": "dugong",
    "withdrawn": "echidna",
}
LIVE = "okapi"
HOUR = datetime.timedelta(hours=1)


def plant(editor, world, word, **fields):
    """A story written through the workflow, as an editor would: it is indexed for search."""
    picture = make_picture(
        size=(320, 240),
        name=f"{word}.jpg",
        caption=f"The {word} caption",
        alt_text=f"The {word} alt text",
        credit=f"{word.title()} / Agency",
    )
    in_body = make_picture(
        size=(320, 240), name=f"{word}-body.jpg", caption=f"The {word} body picture caption",
        alt_text=f"The {word} body picture", credit=f"{word.title()} body / Agency",
    )  # fmt: skip
    story = Article(
        picture=picture,
        headline=f"{word.title()} in the headline",
        standfirst=f"The {word} standfirst.",
        body=f'<p>The {word} body.</p><figure data-picture="{in_body.pk}"></figure>',
        section=world["section"],
        place=world["place"],
        **fields,
    )

    def save():
        story.save()
        story.tags.add("NATO", word.title())
        Byline.objects.get_or_create(article=story, author=world["author"])

    workflow.edit(story, by=editor, save=save)
    return story


@pytest.fixture
def newsroom():
    editor = make_editor()
    now = timezone.now()
    world = {
        "section": make_section(name="Politics", slug="politics"),
        "place": make_place(name="MOSCOW", slug="moscow"),
        "author": make_author(name="Ivan Petrov", slug="ivan-petrov"),
    }
    live = plant(editor, world, LIVE)
    workflow.publish(live, by=editor, at=now - HOUR)
    workflow.add_correction(live, by=editor, kind=Correction.Kind.CORRECTION, text="Fixed.")

    plant(editor, world, HIDDEN["draft"])
    workflow.submit(plant(editor, world, HIDDEN["in_review"]), by=editor)
    workflow.publish(plant(editor, world, HIDDEN["scheduled"]), by=editor, at=now + HOUR)
    embargoed = plant(editor, world, HIDDEN["embargoed"], embargo_until=now + HOUR)
    workflow.publish(embargoed, by=editor, at=now - HOUR)
    withdrawn = plant(editor, world, HIDDEN["withdrawn"])
    workflow.publish(withdrawn, by=editor, at=now - 2 * HOUR)
    workflow.withdraw(withdrawn, by=editor, reason="Legal asked.")

    hidden = Article.objects.exclude(pk__in=Article.objects.live())
    assert hidden.count() == len(HIDDEN)
    return {**world, "live": live, "hidden": list(hidden)}


def assert_no_hidden_word(response, url):
    text = response.content.decode().lower()
    leaked = [word for word in HIDDEN.values() if word in text]
    assert not leaked, f"{url} shows {leaked}"


def assert_shows(client, urls, *, live_too=True):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_hidden_word(response, url)
        if live_too:
            assert LIVE in response.content.decode().lower(), f"{url} misses the live story"


# Feeds

OWNERS = ["section", "author", "place"]


def test_no_feed_shows_a_hidden_story(client, newsroom):
    urls = []
    for kind in ("rss", "atom"):
        urls.append(reverse(f"articles:feed_{kind}"))
        urls += [reverse(f"articles:{o}_feed_{kind}", args=[newsroom[o].slug]) for o in OWNERS]
        urls.append(reverse(f"articles:tag_feed_{kind}", args=["nato"]))
        urls.append(reverse(f"articles:language_feed_{kind}", args=["en"]))
    assert_shows(client, urls)


def test_tags_of_hidden_stories_have_no_feed(client, newsroom):
    for word in HIDDEN.values():
        for kind in ("rss", "atom"):
            url = reverse(f"articles:tag_feed_{kind}", args=[word])
            response = client.get(url)
            assert response.status_code == 404, url
            assert_no_hidden_word(response, url)


# Sitemaps


def test_no_sitemap_shows_a_hidden_story(client, newsroom):
    index = client.get("/sitemap.xml")
    assert_no_hidden_word(index, "/sitemap.xml")
    parts = [
        line.split("<loc>")[1].split("</loc>")[0].removeprefix("http://testserver")
        for line in index.content.decode().split("<sitemap>")[1:]
    ]
    month = f"/sitemap-{timezone.localdate(newsroom['live'].published_at):%Y-%m}.xml"
    assert month in parts and "/sitemap-news.xml" in parts
    assert_shows(client, [month, "/sitemap-news.xml"])
    assert_shows(
        client, [part for part in parts if part not in {month, "/sitemap-news.xml"}], live_too=False
    )


# The API


def test_api_shows_no_hidden_story(client, newsroom):
    since = (timezone.now() - datetime.timedelta(days=365)).isoformat()
    assert_shows(client, ["/api/ninjs/items/?limit=100"])
    response = client.get("/api/ninjs/items/", {"since": since})
    assert_no_hidden_word(response, "/api/ninjs/items/?since=")
    assert [item["uri"].rsplit(":", 1)[1] for item in response.json()["items"]] == [
        str(newsroom["live"].pk)
    ]
    for story in newsroom["hidden"]:
        url = f"/api/ninjs/items/{story.pk}/"
        response = client.get(url)
        assert response.status_code == 404, url
        assert_no_hidden_word(response, url)


# Search


def test_search_finds_no_hidden_story(client, newsroom):
    found = client.get(reverse("articles:search"), {"q": LIVE})
    assert [story.pk for story in found.context["object_list"]] == [newsroom["live"].pk]
    for word in HIDDEN.values():
        response = client.get(reverse("articles:search"), {"q": word})
        assert response.status_code == 200
        assert list(response.context["object_list"]) == []
        # The page repeats the query; nothing else of the story may show.
        text = response.content.decode().lower()
        for part in (f"{word} in the headline", f"the {word} standfirst", f"the {word} body"):
            assert part not in text, f"search for {word} shows {part!r}"


# Listings


def listing_urls(newsroom):
    day = timezone.localdate(newsroom["live"].published_at)
    return [
        reverse("articles:front"),
        reverse("articles:index"),
        reverse("articles:year", args=[f"{day:%Y}"]),
        reverse("articles:month", args=[f"{day:%Y}", f"{day:%m}"]),
        reverse("articles:day", args=[f"{day:%Y}", f"{day:%m}", f"{day:%d}"]),
        reverse("articles:tag", args=["nato"]),
        reverse("articles:language", args=[newsroom["live"].language]),  # /en/news/
        reverse("articles:corrections"),
        newsroom["live"].get_absolute_url(),
        *(newsroom[owner].get_absolute_url() for owner in OWNERS),
    ]


def test_no_listing_shows_a_hidden_story(client, newsroom):
    assert_shows(client, listing_urls(newsroom))
    # The live story's picture is shown with its caption: the check bites.
    page = client.get(newsroom["live"].get_absolute_url()).content.decode()
    lead = newsroom["live"].picture.renditions.filter(shape="lead").first()
    assert f"The {LIVE} caption" in page and lead.file.url in page
    assert_shows(client, [reverse("articles:places")], live_too=False)


def test_tag_of_a_hidden_story_has_no_page(client, newsroom):
    for word in HIDDEN.values():
        response = client.get(reverse("articles:tag", args=[word]))
        assert response.status_code == 404


# The front page's slots and the banner


def test_no_slot_shows_a_hidden_story(client, newsroom):
    editor = make_editor("desk")
    scheduled, embargoed = (
        Article.objects.get(headline__startswith=HIDDEN[word].title()) for word in ("scheduled", "embargoed")
    )
    arrange(editor, lead=scheduled, top=[embargoed], sections=[(newsroom["section"], 3, [scheduled])])
    # The others left their status while they sat in slots (or were put there behind the workflow's back).
    for n, story in enumerate(s for s in newsroom["hidden"] if s not in (scheduled, embargoed)):
        for block in FrontBlock.objects.all():
            FrontSlot.objects.create(block=block, article=story, position=10 + n)
    assert_shows(client, [reverse("articles:front")])


def test_a_banner_shows_on_every_page_only_while_it_is_up(client, newsroom):
    now = timezone.now()
    Banner.objects.create(text="Quokka breaking", starts_at=now - HOUR, ends_at=now + HOUR)
    Banner.objects.create(text="Fennec ended", starts_at=now - 2 * HOUR, ends_at=now - HOUR)
    Banner.objects.create(text="Gerenuk tonight", starts_at=now + HOUR, ends_at=now + 2 * HOUR)
    for url in [*listing_urls(newsroom), reverse("articles:places"), reverse("articles:search")]:
        text = client.get(url).content.decode().lower()
        assert "quokka breaking" in text, url
        assert "fennec" not in text and "gerenuk" not in text, url


# Where a story's page leads


def test_story_pages_lead_on_to_live_stories_only(client, newsroom):
    # Beside the hidden ones, in the same section and place and under the
    # same tag: each would be a neighbour or related story if it leaked.
    earlier = plant(make_editor("second-editor"), newsroom, "quokka")
    workflow.publish(earlier, by=make_editor("third-editor"), at=timezone.now() - 3 * HOUR)
    live = newsroom["live"]

    page = client.get(live.get_absolute_url())
    onward = page.context["onward"]
    assert [story.pk for story in onward.related] == [earlier.pk]
    assert onward.previous.pk == earlier.pk and onward.next is None
    assert_no_hidden_word(page, live.get_absolute_url())

    page = client.get(earlier.get_absolute_url())
    onward = page.context["onward"]
    assert [story.pk for story in onward.related] == [live.pk]
    assert onward.next.pk == live.pk and onward.previous is None
    assert LIVE in page.content.decode().lower()
    assert_no_hidden_word(page, earlier.get_absolute_url())


def test_a_live_storys_body_picture_goes_out_with_it(client, newsroom):
    caption = f"The {LIVE} body picture caption"
    page = client.get(newsroom["live"].get_absolute_url()).content.decode()
    assert caption in page and f'alt="The {LIVE} body picture"' in page
    feed = client.get(reverse("articles:feed_rss")).content.decode()
    assert caption in feed
    (item,) = client.get("/api/ninjs/items/").json()["items"]
    assert caption in item["bodies"][0]["value"]
