import datetime
import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import media
from articles.models import Byline, Correction, PreviewLink, Status
from tests.factories import (
    make_agency,
    make_article,
    make_author,
    make_editor,
    make_live,
    make_picture,
    make_place,
    make_section,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
SOCIAL_IMAGE = {"@type": "ImageObject", "url": "http://testserver/static/img/social.png", "width": 1200, "height": 630}


class Head(HTMLParser):
    """The machine-readable parts of a page: meta tags, canonical link, JSON-LD."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.canonical, self.json_ld, self._in_ld = {}, [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def one(self, key):
        (value,) = self.meta[key]
        return value

    def article(self):
        (text,) = self.json_ld
        return json.loads(text)



def make_full_story(**fields):
    story = make_live(
        headline="Russia will restore relations with NATO",
        standfirst="Moscow is ready for dialogue.",
        published_at=PUBLISHED,
        section=make_section(name="Politics", slug="politics"),
        place=make_place(name="MOSCOW", slug="moscow", time_zone="Europe/Moscow"),
        agency=make_agency(name="TASS", mark="/TASS/"),
        authors=[make_author(name="Ivan Petrov", slug="ivan-petrov")],
        tags=["NATO"],
        **fields,
    )
    Byline.objects.create(
        article=story, author=make_author(name="Anna Ivanova", slug="anna-ivanova"), position=1
    )
    return story


def head(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return Head(response.content.decode())


# JSON-LD


def test_article_page_carries_news_article_json_ld(client):
    story = make_full_story()
    url = f"http://testserver{story.get_absolute_url()}"

    data = head(client, story).article()

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Russia will restore relations with NATO"
    assert data["description"] == "Moscow is ready for dialogue."
    assert data["dateline"] == story.dateline_text
    assert data["dateline"].startswith("MOSCOW, September 14")
    assert data["datePublished"] == data["dateModified"] == "2017-09-14T09:00:00Z"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["url"] == url
    assert data["author"] == [
        {"@type": "Person", "name": "Ivan Petrov", "url": "http://testserver/authors/ivan-petrov/"},
        {
            "@type": "Person",
            "name": "Anna Ivanova",
            "url": "http://testserver/authors/anna-ivanova/",
        },
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Newsroom",
        "url": "http://testserver/",
        "logo": {"@type": "ImageObject", "url": "http://testserver/static/img/logo.png", "width": 600, "height": 60},
    }
    assert data["articleSection"] == "Politics"
    assert data["keywords"] == ["NATO"]
    assert data["inLanguage"] == "en"
    assert data["image"] == [SOCIAL_IMAGE]  # no picture of its own: the site's
    assert "correction" not in data


def test_corrections_are_correction_comments_and_move_the_modified_time(client):
    story = make_full_story()
    first = PUBLISHED + datetime.timedelta(hours=1)
    Correction.objects.create(article=story, text="A name was misspelt.", created_at=first)
    Correction.objects.create(
        article=story,
        kind=Correction.Kind.UPDATE,
        text="Adds the ministry's statement.",
        created_at=first + datetime.timedelta(hours=1),
    )

    data = head(client, story).article()

    # An update is news, not a correction; it still changes the story.
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "A name was misspelt.",
            "datePublished": "2017-09-14T10:00:00Z",
        }
    ]
    assert data["dateModified"] == "2017-09-14T11:00:00Z"


def test_lead_image_is_an_absolute_image_object(client):
    story = make_full_story(
        picture=make_picture(
            size=(1600, 1200), alt_text="The Kremlin at dusk", caption="The Kremlin", credit="TASS"
        )
    )
    page = head(client, story)
    shared = story.picture.renditions.get(shape="lead", width=1200, format="jpeg")
    image_url = f"http://testserver{shared.file.url}"
    assert page.article()["image"] == [
        {
            "@type": "ImageObject",
            "url": image_url,
            "width": 1200,
            "height": 675,
            "caption": "The Kremlin",
            "creditText": "TASS",
        }
    ]
    assert page.one("og:image") == page.one("twitter:image") == image_url
    assert page.one("og:image:alt") == "The Kremlin at dusk"
    assert page.one("twitter:card") == "summary_large_image"


@pytest.mark.parametrize(
    "headline", ["</script><script>alert(1)</script>", "<!-- <script>", 'Tom & Jerry\'s "war"']
)
def test_json_ld_cannot_break_out_of_its_script_element(client, headline):
    story = make_full_story()
    story.headline = headline
    story.save()

    html = client.get(story.get_absolute_url()).content.decode()
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]

    assert "<" not in script and ">" not in script
    assert json.loads(script)["headline"] == headline
    assert html.count("<script") == 1


# Open Graph, Twitter, canonical


def test_article_page_has_canonical_open_graph_and_twitter_tags(client):
    story = make_full_story()
    story.revised_at = PUBLISHED + datetime.timedelta(hours=2)
    story.save()
    url = f"http://testserver{story.get_absolute_url()}"

    page = head(client, story)

    assert page.canonical == [url]
    assert page.one("og:type") == "article"
    assert page.one("og:title") == page.one("twitter:title") == story.headline
    assert page.one("og:description") == page.one("twitter:description") == story.standfirst
    assert page.one("og:url") == url
    assert page.one("og:site_name") == "Newsroom"
    assert page.one("article:published_time") == "2017-09-14T09:00:00Z"
    assert page.one("article:modified_time") == "2017-09-14T11:00:00Z"
    assert page.one("article:section") == "Politics"
    assert page.meta["article:tag"] == ["NATO"]
    assert page.one("twitter:card") == "summary_large_image"
    assert page.one("og:image") == page.one("twitter:image") == SOCIAL_IMAGE["url"]


def test_story_without_section_tags_or_standfirst_leaves_those_tags_out(client):
    story = make_live(headline="Bare", published_at=PUBLISHED)
    page = head(client, story)
    for absent in ("article:section", "article:tag"):
        assert absent not in page.meta
    data = page.article()
    for absent in ("dateline", "articleSection", "keywords", "locationCreated"):
        assert absent not in data


def test_a_story_without_standfirst_is_described_by_its_opening_words(client):
    words = " ".join(f"word{n}" for n in range(40))
    story = make_live(headline="Bare", published_at=PUBLISHED, body=f"<p>{words}.</p><p>More.</p>")

    page = head(client, story)

    opening = " ".join(f"word{n}" for n in range(30)) + "…"
    assert page.one("description") == page.one("og:description") == page.article()["description"] == opening


def test_copy_without_a_byline_is_credited_to_its_agency_else_to_the_newsroom(client):
    agency = make_agency(name="TASS", mark="/TASS/", website="https://tass.com")
    agency_copy = make_live(headline="Wire copy", published_at=PUBLISHED, agency=agency)
    own = make_live(headline="Our own", published_at=PUBLISHED)

    assert head(client, agency_copy).article()["author"] == [
        {"@type": "Organization", "name": "TASS", "url": "https://tass.com"}
    ]
    assert head(client, own).article()["author"] == [
        {"@type": "Organization", "name": "Newsroom", "url": "http://testserver/"}
    ]


def test_the_dateline_place_is_where_the_story_was_created(client):
    place = make_place(name="ROCKFORD", region="Ill.", slug="rockford-ill", country="United States",
                       latitude=42.27, longitude=-89.09)  # fmt: skip
    story = make_live(headline="Factory reopens", published_at=PUBLISHED, place=place)

    assert head(client, story).article()["locationCreated"] == {
        "@type": "Place",
        "name": "ROCKFORD, Ill.",
        "address": {"@type": "PostalAddress", "addressLocality": "ROCKFORD", "addressRegion": "Ill.",
                    "addressCountry": "United States"},
        "geo": {"@type": "GeoCoordinates", "latitude": 42.27, "longitude": -89.09},
    }  # fmt: skip


# Previews stay out of search engines


def preview_urls(client, story):
    editor = make_editor()
    link = PreviewLink.objects.create(
        article=story, created_by=editor, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    client.force_login(editor)
    return [reverse("admin:articles_article_preview", args=[story.pk]), link.get_absolute_url()]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED])
def test_previews_have_no_canonical_open_graph_or_json_ld(client, status):
    when = timezone.now() + datetime.timedelta(days=1)  # a published one is scheduled
    story = make_article(
        headline="Unpublished merger", standfirst="Secret.", status=status, published_at=when
    )
    for url in preview_urls(client, story):
        response = client.get(url)
        assert response.status_code == 200, url
        page = Head(response.content.decode())
        assert page.canonical == [] and page.json_ld == []
        assert not [key for key in page.meta if key.startswith(("og:", "article:", "twitter:"))]
        assert page.meta["robots"] == ["noindex, nofollow"]


def test_structured_data_adds_no_query_to_the_article_page(client, django_assert_num_queries):
    story = make_full_story(picture=make_picture(size=(640, 480), alt_text="The Kremlin"))
    Correction.objects.create(article=story, text="Fixed.")
    # navigation; the banner; the story (with its picture); its tags; its bylines; its picture's
    # renditions; its corrections; the stories it leads on to
    with django_assert_num_queries(8):
        response = client.get(story.get_absolute_url())
    assert Head(response.content.decode()).article()["correction"]


# SEO title and description


def test_seo_title_and_description_name_the_story_to_search_engines_and_networks(client):
    story = make_full_story(
        seo_title="Russia and NATO to talk again",
        seo_description="Moscow says it is ready to restore ties with the alliance.",
    )
    html = client.get(story.get_absolute_url()).content.decode()
    head = Head(html)

    assert "<title>Russia and NATO to talk again · Newsroom</title>" in html
    for key in ("og:title", "twitter:title"):
        assert head.one(key) == "Russia and NATO to talk again"
    for key in ("description", "og:description", "twitter:description"):
        assert head.one(key) == "Moscow says it is ready to restore ties with the alliance."
    # The page itself still shows the headline and standfirst.
    assert "<h1>Russia will restore relations with NATO</h1>" in html
    assert head.article()["headline"] == "Russia will restore relations with NATO"


def test_without_seo_fields_the_headline_and_standfirst_stand_in(client):
    story = make_full_story(picture=make_picture(alt_text="The Kremlin"))
    html = client.get(story.get_absolute_url()).content.decode()
    head = Head(html)

    assert "<title>Russia will restore relations with NATO · Newsroom</title>" in html
    assert head.one("og:title") == head.one("twitter:title") == story.headline
    assert head.one("description") == head.one("og:description") == "Moscow is ready for dialogue."
    # The lead image is the picture shared links show.
    shared = media.shared(story.picture)
    assert head.one("og:image") == head.one("twitter:image") == f"http://testserver{shared.url}"
    assert head.one("twitter:card") == "summary_large_image"


def test_a_logo_setting_naming_no_static_file_fails_the_system_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from articles import structured_data

    settings.NEWSROOM_LOGO = "img/no-such-logo.png"
    structured_data._static_size.cache_clear()
    try:
        with pytest.raises(SystemCheckError, match="NEWSROOM_LOGO='img/no-such-logo.png': no such static file"):
            call_command("check")
    finally:
        structured_data._static_size.cache_clear()
