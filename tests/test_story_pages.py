"""
A story's page leads its reader on: breadcrumbs, tags, related stories,
the place's other recent stories, the previous and next story in its
section, share links and a box on each author. None of it shows a story
readers cannot see, and a cached page shows what is new there at once.
"""

import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles import workflow
from articles.models import Article, Status
from tests.factories import make_article, make_author, make_live, make_place, make_section

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return {
        "section": make_section(name="Politics", slug="politics"),
        "place": make_place(name="MOSCOW", slug="moscow"),
        "author": make_author(name="Ivan Petrov", slug="ivan-petrov"),
    }


def story(world, headline, *, ago=DAY, tags=(), place=True, section=True, **fields):
    return make_live(
        headline=headline,
        published_at=NOW - ago,
        tags=tags,
        authors=[world["author"]],
        place=world["place"] if place else None,
        section=world["section"] if section else None,
        **fields,
    )


def read(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response


def headlines(response, box):
    return [s.headline for s in getattr(response.context["onward"], box)]


# Breadcrumbs and tags


def test_breadcrumbs_lead_home_and_to_the_section(client, world):
    page = read(client, story(world, "Talks resume in Geneva"))
    assertInHTML(
        '<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>'
        '<li><a href="/">Newsroom</a></li><li><a href="/sections/politics/">Politics</a></li>'
        '<li aria-current="page">Talks resume in Geneva</li></ol></nav>',
        page.content.decode(),
    )


def test_tags_link_to_their_pages(client, world):
    page = read(client, story(world, "Talks resume", tags=["NATO", "Geneva talks"]))
    assertContains(page, '<a rel="tag" href="/tags/nato/">NATO</a>', html=True)
    assertContains(page, '<a rel="tag" href="/tags/geneva-talks/">Geneva talks</a>', html=True)


# Related stories


def test_related_stories_share_tags_more_shared_first(client, world):
    one = story(world, "Shares one tag", tags=["NATO"], place=False)
    two = story(world, "Shares two tags", tags=["NATO", "Geneva"], place=False, ago=2 * DAY)
    story(world, "Shares nothing", tags=["Harvest"], place=False, section=False)
    page = read(client, story(world, "Talks resume", tags=["NATO", "Geneva"], ago=DAY / 2))
    assert headlines(page, "related") == [two.headline, one.headline]
    assertNotContains(page, "Shares nothing")


def test_older_stories_weigh_less_than_newer_ones(client, world):
    story(world, "Last year, two tags", tags=["NATO", "Geneva"], ago=365 * DAY, place=False)
    story(world, "Yesterday, one tag", tags=["NATO"], place=False)
    page = read(client, story(world, "Talks resume", tags=["NATO", "Geneva"], ago=DAY / 2))
    assert headlines(page, "related") == ["Yesterday, one tag", "Last year, two tags"]


def test_a_shared_place_ranks_a_related_story_higher(client, world):
    story(world, "Same tag elsewhere", tags=["NATO"], place=False)
    story(world, "Same tag, same place", tags=["NATO"], ago=2 * DAY)
    page = read(client, story(world, "Talks resume", tags=["NATO"], ago=DAY / 2))
    assert headlines(page, "related") == ["Same tag, same place", "Same tag elsewhere"]


def test_at_most_four_related_stories(client, world):
    for n in range(6):
        story(world, f"Related {n}", tags=["NATO"], place=False, ago=(n + 1) * DAY)
    page = read(client, story(world, "Talks resume", tags=["NATO"], ago=DAY / 2))
    assert headlines(page, "related") == [f"Related {n}" for n in range(4)]


# The place's other stories


def test_the_place_s_other_stories_newest_first_without_the_related_ones(client, world):
    for n in range(7):
        story(world, f"From Moscow {n}", ago=(n + 1) * DAY, section=False)
    story(world, "Related from Moscow", tags=["NATO"], ago=DAY / 3, section=False)
    page = read(client, story(world, "Talks resume", tags=["NATO"], ago=DAY / 2))
    assert headlines(page, "from_place") == [f"From Moscow {n}" for n in range(5)]
    assert headlines(page, "related") == ["Related from Moscow"]
    assertContains(page, 'More from <a href="/datelines/moscow/">MOSCOW</a>')


# Previous and next in the section


def test_previous_and_next_story_in_the_section(client, world):
    older = story(world, "Older in Politics", ago=3 * DAY, place=False)
    story(world, "Oldest in Politics", ago=4 * DAY, place=False)
    newer = story(world, "Newer in Politics", ago=DAY, place=False)
    story(world, "Newest in Politics", ago=DAY / 2, place=False)
    story(world, "Elsewhere", ago=2 * DAY, place=False, section=False)
    page = read(client, story(world, "Talks resume", ago=2 * DAY, place=False))

    html = page.content.decode()
    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html
    assertContains(page, "Previous in Politics")


@pytest.mark.parametrize("state", ["draft", "in_review", "withdrawn", "scheduled", "embargoed"])
def test_previous_and_next_skip_stories_readers_cannot_see(client, world, state):
    article = story(world, "Talks resume", ago=2 * DAY, place=False)
    fields = {"published_at": NOW - DAY, "status": Status.PUBLISHED}
    if state == "scheduled":
        fields["published_at"] = NOW + DAY
    elif state == "embargoed":
        fields["embargo_until"] = NOW + DAY
    elif state != "published":
        fields["status"] = Status(state)
    make_article(headline="Hidden neighbour", section=world["section"], **fields)
    page = read(client, article)
    assert page.context["onward"].next is None
    assertNotContains(page, "Hidden neighbour")


def test_two_stories_at_the_same_minute_are_each_other_s_neighbours(client, world):
    first = story(world, "First", ago=DAY, place=False)
    second = story(world, "Second", ago=DAY, place=False)
    assert read(client, first).context["onward"].next.pk == second.pk
    assert read(client, second).context["onward"].previous.pk == first.pk


def test_a_story_without_tags_place_or_section_still_answers(client, world):
    page = read(client, story(world, "Alone", place=False, section=False))
    assertNotContains(page, "Related stories")
    assertNotContains(page, 'class="section-pager"')


# Share links


def test_share_links_are_plain_links_built_on_the_server(client, world):
    article = story(world, "Talks & trade resume", seo_title="Talks and trade resume")
    page = read(client, article)
    url = f"http://testserver{article.get_absolute_url()}"
    links = {name: href for name, href in page.context["links"]}
    assert set(links) == {"Email", "X", "Facebook", "LinkedIn", "Telegram", "WhatsApp"}
    assert parse_qs(urlsplit(links["Email"]).query) == {
        "subject": ["Talks and trade resume"],
        "body": [url],
    }
    assert links["X"].startswith("https://x.com/intent/tweet?")
    assert parse_qs(urlsplit(links["Facebook"]).query) == {"u": [url]}
    assert parse_qs(urlsplit(links["WhatsApp"]).query) == {"text": [f"Talks and trade resume {url}"]}
    html = page.content.decode()
    # Nothing from the networks loads with the page: no script, no frame, no picture.
    assert "<script" not in html.replace('<script type="application/ld+json">', "")
    assert "<iframe" not in html
    for host in ("x.com", "facebook.com", "linkedin.com", "t.me", "wa.me"):
        assert f'src="https://{host}' not in html and f"src='https://{host}" not in html


def test_previews_offer_no_share_links_or_onward_stories(admin_client, world):
    draft = make_article(headline="Draft story", status=Status.DRAFT, section=world["section"])
    story(world, "Live neighbour", place=False)
    response = admin_client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assertContains(response, "Draft story")
    assertNotContains(response, "facebook.com")
    assertNotContains(response, "Live neighbour")


# Author boxes


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("face.png", buffer.getvalue(), content_type="image/png")


def test_author_box_shows_photo_job_title_and_bio(client, world):
    author = world["author"]
    author.job_title, author.bio, author.photo = "Moscow correspondent", "Covers the Kremlin.", png()
    author.save()
    page = read(client, story(world, "Talks resume"))
    html = page.content.decode()
    assertInHTML(
        '<p class="author-name"><a rel="author" href="/authors/ivan-petrov/">Ivan Petrov</a> '
        '<span class="job-title">Moscow correspondent</span></p>',
        html,
    )
    assertInHTML('<p class="bio">Covers the Kremlin.</p>', html)
    assert f'src="{author.photo.url}"' in html


def test_an_author_with_nothing_to_say_gets_no_box(client, world):
    page = read(client, story(world, "Talks resume"))
    assertNotContains(page, "author-box")


# The page cache


@pytest.mark.usefixtures("page_cache")
def test_a_cached_story_page_shows_a_new_related_story_at_once(client, world, desk):
    article = story(world, "Talks resume", tags=["NATO"])
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    newer = make_article(headline="Talks collapse", section=world["section"])
    newer.tags.add("NATO")
    desk(workflow.publish, newer)

    page = client.get(article.get_absolute_url())
    assertContains(page, "Talks collapse")
    assert page.context["onward"].next.pk == newer.pk
    assert Article.objects.live().count() == 2
