import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.models import Byline, Status, Tag
from articles.views import PAGE_SIZE
from tests.factories import (
    listing_urls as public_listings,
    make_agency,
    make_article,
    make_author,
    make_live,
    make_picture,
    make_place,
    make_section,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# 09:00 UTC is the same day in UTC and in Moscow.
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
HIDDEN_STATUSES = ["draft", "in_review", "withdrawn", "scheduled", "embargoed"]
LISTINGS = ["front", "index", "year", "month", "day", "place", "section", "tag", "author"]


def detail_url(story):
    """The story's address, also for a story that get_absolute_url would not give one."""
    day = timezone.localdate(story.published_at)
    return reverse("articles:detail", args=[f"{day:%Y}", f"{day:%m}", f"{day:%d}", story.slug])


def make_world():
    """The taxonomy every story below shares: one section, place, tag and author."""
    return {
        "section": make_section(name="Politics", slug="politics"),
        "place": make_place(name="MOSCOW", slug="moscow", time_zone="Europe/Moscow"),
        "agency": make_agency(name="TASS", mark="/TASS/"),
        "author": make_author(name="Ivan Petrov", slug="ivan-petrov"),
    }


def make_story(
    world, *, headline, status=Status.PUBLISHED, published_at=PUBLISHED, tags=("NATO",), **extra
):
    fields = {key: world[key] for key in ("section", "place", "agency")} | extra
    return make_article(
        headline=headline,
        status=status,
        published_at=published_at,
        authors=[world["author"]],
        tags=tags,
        **fields,
    )


def make_hidden(world, state):
    """A story readers must not see. All but the scheduled one carry the live story's time."""
    if state == "scheduled":
        at = timezone.now() + datetime.timedelta(hours=1)
        return make_story(world, headline="Scheduled story", published_at=at)
    if state == "embargoed":
        at = timezone.now() + datetime.timedelta(hours=1)
        return make_story(world, headline="Hidden embargoed story", embargo_until=at)
    return make_story(world, headline=f"Hidden {state} story", status=Status(state))


def listing_urls(world, day=PUBLISHED.date()):
    tag = Tag.objects.get(name="NATO")
    keys = ("place", "section", "author")
    return public_listings(day, tag=tag, **{key: world[key] for key in keys})


# Who sees what


@pytest.mark.parametrize("page", LISTINGS)
def test_live_story_is_listed_and_hidden_ones_are_not(client, page):
    world = make_world()
    make_story(world, headline="Russia will restore relations")
    for state in HIDDEN_STATUSES:
        make_hidden(world, state)

    response = client.get(listing_urls(world)[page])

    assertContains(response, "Russia will restore relations")  # and answers 200
    assertNotContains(response, "Hidden")
    assertNotContains(response, "Scheduled story")


def test_live_story_page_answers_anonymous_readers(client):
    story = make_story(make_world(), headline="Russia will restore relations")
    response = client.get(detail_url(story))
    assertContains(response, "<h1>Russia will restore relations</h1>", html=True)
    assert detail_url(story) == story.get_absolute_url()
    assert detail_url(story) == "/2017/09/14/russia-will-restore-relations/"


@pytest.mark.parametrize("state", HIDDEN_STATUSES)
def test_hidden_story_page_is_not_found_or_gone(client, state):
    story = make_hidden(make_world(), state)
    response = client.get(detail_url(story))
    # A withdrawn story was public once: its address says so, without its text.
    assert response.status_code == (410 if state == "withdrawn" else 404)
    assertNotContains(response, "Hidden", status_code=response.status_code)


def test_datelines_index_counts_live_stories_only(client):
    world = make_world()
    make_story(world, headline="Live")
    for state in HIDDEN_STATUSES:
        make_hidden(world, state)
    quiet = make_place(name="MINSK", slug="minsk")
    make_article(place=quiet, status=Status.DRAFT, headline="Minsk draft")

    response = client.get(reverse("articles:places"))

    assertInHTML('<span class="count">1 story</span>', response.content.decode())
    assertContains(response, 'href="/datelines/moscow/"')
    assertNotContains(response, "MINSK")


def test_place_or_tag_with_only_hidden_stories_is_not_found(client):
    # Wire import and reporters create them in passing: their names must not leak.
    world = make_world()
    for state in HIDDEN_STATUSES:
        make_hidden(world, state)
    assert client.get(world["place"].get_absolute_url()).status_code == 404
    assert client.get(reverse("articles:tag", args=["nato"])).status_code == 404


@pytest.mark.parametrize("state", ["draft", "scheduled", "embargoed"])
def test_no_section_or_author_page_names_one_before_its_first_public_story(client, state):
    world = make_world()
    make_hidden(world, state)
    for owner in (world["section"], world["author"]):
        assert client.get(owner.get_absolute_url()).status_code == 404
    # Nor any page's navigation.
    assert world["section"].name not in client.get("/news/").content.decode()


# Not found


@pytest.mark.parametrize(
    "url",
    [
        "/2017/09/14/no-such-story/",
        "/2017/09/15/russia-will-restore-relations/",  # the story, on the wrong day
        "/datelines/nowhere/",
        "/sections/nowhere/",
        "/tags/nowhere/",
        "/authors/nobody/",
        "/2017/13/",
        "/2017/13/01/",
        "/2017/02/30/",
        "/2017/00/10/",
        "/2017/02/30/russia-will-restore-relations/",
    ],
)
def test_unknown_addresses_are_not_found(client, url):
    make_story(make_world(), headline="Russia will restore relations")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/", "/news/", "/datelines/"])
def test_pages_answer_when_there_are_no_stories(client, url):
    response = client.get(url)
    assertContains(response, "No stories here yet.")


# Pagination


@pytest.mark.parametrize("page", LISTINGS[1:])  # the front page is not paginated
def test_listings_are_paginated_by_twenty(client, page):
    world = make_world()
    for n in range(PAGE_SIZE + 1):
        minutes = datetime.timedelta(minutes=n)
        make_story(world, headline=f"Story number {n:02d}", published_at=PUBLISHED - minutes)
    url = listing_urls(world)[page]

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert first.context["paginator"].per_page == PAGE_SIZE == 20
    assert len(first.context["object_list"]) == 20
    assertContains(first, "Story number 00")  # the newest
    assertNotContains(first, f"Story number {PAGE_SIZE:02d}")
    assert len(second.context["object_list"]) == 1
    assertContains(second, "Story number 20")
    assert client.get(url, {"page": 3}).status_code == 404


# The newsroom's time zone decides the date in addresses


@pytest.mark.parametrize(
    ("time_zone", "day", "other_day"), [("Europe/Moscow", "14", "13"), ("UTC", "13", "14")]
)
def test_date_addresses_follow_the_newsroom_time_zone(client, settings, time_zone, day, other_day):
    settings.TIME_ZONE = time_zone
    world = make_world()
    # 22:30 UTC on the 13th is 01:30 on the 14th in Moscow.
    late = datetime.datetime(2017, 9, 13, 22, 30, tzinfo=UTC)
    story = make_story(world, headline="Late night story", published_at=late)
    for noon in (13, 14):  # so that both day pages exist in either zone
        at = datetime.datetime(2017, 9, noon, 12, 0, tzinfo=UTC)
        make_story(world, headline=f"Noon on the {noon}th", published_at=at)

    assert story.get_absolute_url() == f"/2017/09/{day}/late-night-story/"
    assertContains(client.get(f"/2017/09/{day}/"), "Late night story")
    assertNotContains(client.get(f"/2017/09/{other_day}/"), "Late night story")
    assert client.get(f"/2017/09/{day}/late-night-story/").status_code == 200
    assert client.get(f"/2017/09/{other_day}/late-night-story/").status_code == 404


def test_month_archive_follows_the_newsroom_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    # 21:30 UTC on 31 August is already September in Moscow.
    at = datetime.datetime(2017, 8, 31, 21, 30, tzinfo=UTC)
    make_story(make_world(), headline="First of September", published_at=at)
    assertContains(client.get("/2017/09/"), "First of September")
    assert client.get("/2017/08/").status_code == 404


# Dates without a public story


@pytest.mark.parametrize("url", ["/2017/", "/2017/09/", "/2017/09/14/", "/2016/", "/2017/09/15/"])
def test_date_archive_without_a_live_story_is_not_found(client, url):
    world = make_world()
    for state in HIDDEN_STATUSES:
        make_hidden(world, state)
    assert client.get(url).status_code == 404


def test_previous_and_next_day_skip_days_with_only_hidden_stories(client):
    world = make_world()
    day = datetime.timedelta(days=1)
    make_story(world, headline="Today", published_at=PUBLISHED)
    make_story(world, headline="Earlier", published_at=PUBLISHED - 2 * day)
    make_story(world, headline="Later", published_at=PUBLISHED + 2 * day)
    make_story(world, headline="Draft", status=Status.DRAFT, published_at=PUBLISHED - day)
    make_story(world, headline="Withdrawn", status=Status.WITHDRAWN, published_at=PUBLISHED + day)

    response = client.get("/2017/09/14/")

    assert response.context["previous_day"] == datetime.date(2017, 9, 12)
    assert response.context["next_day"] == datetime.date(2017, 9, 16)
    assertContains(response, '<a rel="prev" href="/2017/09/12/">&larr; 12 September 2017</a>', html=True)
    assertContains(response, '<a rel="next" href="/2017/09/16/">16 September 2017 &rarr;</a>', html=True)


def test_previous_and_next_month_and_year_skip_periods_with_only_hidden_stories(client):
    world = make_world()
    make_story(world, headline="This month", published_at=PUBLISHED)
    make_story(world, headline="Two years back", published_at=PUBLISHED.replace(year=2015, month=5))
    make_story(world, headline="Two months on", published_at=PUBLISHED.replace(month=11))
    make_story(world, headline="Next year", published_at=PUBLISHED.replace(year=2018, month=2))
    # Nothing readers see in August 2017, October 2017 or 2016.
    make_story(world, headline="Draft", status=Status.DRAFT, published_at=PUBLISHED.replace(month=8))
    make_story(world, headline="Gone", status=Status.WITHDRAWN, published_at=PUBLISHED.replace(month=10))
    make_story(world, headline="Draft too", status=Status.DRAFT, published_at=PUBLISHED.replace(year=2016))

    month = client.get("/2017/09/")
    year = client.get("/2017/")

    assert month.context["previous_month"] == datetime.date(2015, 5, 1)
    assert month.context["next_month"] == datetime.date(2017, 11, 1)
    assertContains(month, '<a rel="prev" href="/2015/05/">&larr; May 2015</a>', html=True)
    assertContains(month, '<a rel="next" href="/2017/11/">November 2017 &rarr;</a>', html=True)
    assert year.context["previous_year"] == datetime.date(2015, 1, 1)
    assert year.context["next_year"] == datetime.date(2018, 1, 1)
    assert client.get("/2018/").context["next_year"] is None
    assert client.get("/2015/05/").context["previous_month"] is None


def test_the_last_day_there_can_be_has_no_next_day(client):
    make_story(make_world(), headline="Today", published_at=PUBLISHED)

    assert client.get("/9999/12/31/").status_code == 404
    assert client.get("/9999/").status_code == 404


# The article page


def make_full_story(world):
    story = make_story(world, headline="Russia will restore relations with NATO")
    story.standfirst = "Moscow is ready for dialogue, the foreign minister said."
    story.body = "<p>Russia will restore relations with NATO.</p><p>Second paragraph.</p>"
    photographer = make_author(name="Olga Smirnova", slug="olga-smirnova")
    colleague = make_author(name="Anna Ivanova", slug="anna-ivanova")
    Byline.objects.create(article=story, author=photographer, role="Photos by", position=2)
    Byline.objects.create(article=story, author=colleague, position=1)
    story.save()
    return story


def test_article_page_shows_the_whole_story(client):
    story = make_full_story(make_world())

    response = client.get(detail_url(story))
    html = response.content.decode()

    assertInHTML('<p class="kicker"><a href="/sections/politics/">Politics</a></p>', html)
    assertInHTML("<h1>Russia will restore relations with NATO</h1>", html)
    assertInHTML(
        '<p class="standfirst">Moscow is ready for dialogue, the foreign minister said.</p>', html
    )
    assertInHTML(
        '<p class="byline">By <a rel="author" href="/authors/ivan-petrov/">Ivan Petrov</a> and '
        '<a rel="author" href="/authors/anna-ivanova/">Anna Ivanova</a></p>',
        html,
    )
    assertInHTML(
        '<p class="byline">Photos by '
        '<a rel="author" href="/authors/olga-smirnova/">Olga Smirnova</a></p>',
        html,
    )
    assert (
        '<p><span class="dateline">MOSCOW, September 14. /TASS/.</span> '
        "Russia will restore relations with NATO.</p><p>Second paragraph.</p>" in html
    )
    assert "<figure" not in html


def test_article_page_shows_lead_picture_with_caption_and_credit(client):
    story = make_full_story(make_world())
    story.picture = make_picture(
        size=(1600, 1200),
        alt_text="The Kremlin at dusk",
        caption="The Kremlin, Moscow",
        credit="Ivan Petrov / TASS",
    )
    story.save()

    html = client.get(detail_url(story)).content.decode()

    jpeg = story.picture.renditions.get(shape="lead", width=800, format="jpeg")
    assert f'<img src="{jpeg.file.url}" srcset="' in html
    assert 'alt="The Kremlin at dusk" fetchpriority="high"' in html
    assert 'width="800" height="450"' in html
    assertInHTML(
        '<figcaption>The Kremlin, Moscow <span class="credit">Ivan Petrov / TASS</span>'
        "</figcaption>",
        html,
    )


def test_dateline_gets_its_own_paragraph_when_the_body_opens_otherwise(client):
    story = make_story(make_world(), headline="Heading first")
    story.body = "<h2>Background</h2><p>Text.</p>"
    story.save()
    html = client.get(detail_url(story)).content.decode()
    dateline = '<span class="dateline">MOSCOW, September 14. /TASS/.</span>'
    assert f"<p>{dateline} </p><h2>Background</h2>" in html


# Query counts

# Every page asks for the sections in the navigation and for the breaking-news
# banner showing now. Every list of stories
# then reads the counts that page it and its page of stories, lean (ids,
# versions and the section and place names a card shows): the cards come
# from the cache, as they do for every reader after the first (who adds one
# query, for the stories whose cards are missing; test_fragments.py). None
# of this grows with the list or with the archive.
QUERIES = {
    # the front page's blocks (none arranged: tests/frontpage/ pins an arranged one);
    # navigation; the banner; stories (with their pictures); the pictures' renditions
    "front": 5,
    # the river's day counts with the times of stories held back; navigation; the banner; stories
    "index": 4,
    # the river's day counts (with the times of stories held back), which also give the previous
    # and next year, month and day; navigation; the banner; stories
    "year": 4,
    "month": 4,
    "day": 4,
    # each place's all-time count (with the times of stories held back); the places; navigation;
    # the banner
    "places": 4,
    # the place; its monthly counts (with the times of stories held back); navigation; the banner; stories
    "place": 5,
    # the section; its monthly counts (with the times of stories held back); navigation; the banner; stories
    "section": 5,
    # the tag; its monthly counts (with the times of stories held back); navigation; the banner; stories
    "tag": 5,
    # the author; its monthly counts (with the times of stories held back); navigation; the banner; stories
    "author": 5,
    # navigation; the banner; the story (with its picture); its tags; its bylines; its picture's
    # renditions; its corrections; the stories it leads on to (related, the place's others,
    # previous and next in the section: articles/onward.py)
    "detail": 8,
}


def page_urls(world, story):
    story.picture = make_picture(size=(240, 160))
    story.save()
    places, detail = reverse("articles:places"), detail_url(story)
    return {**listing_urls(world), "places": places, "detail": detail}


def add_ten_more_stories(world):
    """Ten more stories on every list, each with three tags and three bylines; ten more places."""
    for n in range(10):
        more = make_story(
            world,
            headline=f"More {n}",
            published_at=PUBLISHED - datetime.timedelta(minutes=n + 1),
            tags=("NATO", f"Topic {n}", f"Region {n}"),
            picture=make_picture(size=(240, 160)),
        )
        for role in ("", "Photos by"):
            Byline.objects.create(article=more, author=make_author(), role=role, position=1)
        # Elsewhere, on days either side, so the date pages have neighbours.
        days = datetime.timedelta(days=(n + 1) * (-1) ** (n + 1))
        make_live(place=make_place(), section=make_section(), published_at=PUBLISHED + days)


@pytest.mark.parametrize("page", QUERIES)
def test_page_queries(client, django_assert_num_queries, page):
    world = make_world()
    url = page_urls(world, make_full_story(world))[page]
    client.get(url)  # the first reader, who leaves the cards in the cache
    with django_assert_num_queries(QUERIES[page]):
        response = client.get(url)
    assertContains(response, "MOSCOW" if page == "places" else "Russia will restore relations")


@pytest.mark.parametrize("page", QUERIES)
def test_query_count_stays_the_same_with_ten_more_stories(client, django_assert_num_queries, page):
    world = make_world()
    url = page_urls(world, make_full_story(world))[page]
    client.get(url)  # the first reader
    with django_assert_num_queries(QUERIES[page]):
        client.get(url)

    add_ten_more_stories(world)
    client.get(url)  # the first reader of the ten new cards

    with django_assert_num_queries(QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200


def test_the_navigation_names_the_sections_readers_can_open_escaped_and_as_renamed(client):
    world = make_world()
    make_story(world, headline="Live story")
    held = make_section(name="Sport", slug="sport")
    make_article(headline="Draft", section=held, status=Status.DRAFT)
    world["section"].name = "Politics & <Power>"
    world["section"].save()

    nav = client.get("/news/").content.decode().split('aria-label="Sections"')[1].split("</nav>")[0]
    world["section"].name, world["section"].slug = "Government", "government"
    world["section"].save()
    renamed = client.get("/news/").content.decode().split('aria-label="Sections"')[1].split("</nav>")[0]

    assert '<li><a href="/sections/politics/">Politics &amp; &lt;Power&gt;</a></li>' in nav
    assert "Sport" not in nav
    assert '<li><a href="/sections/government/">Government</a></li>' in renamed


def test_pages_that_point_readers_onward_link_where_they_say(client, desk, settings):
    from articles import workflow

    story = make_live(headline="Wheat harvest")
    gone = make_live(headline="Wrong figures")
    desk(workflow.withdraw, gone, reason="The figures were wrong")
    front, index, search = (reverse(f"articles:{name}") for name in ("front", "index", "search"))

    assertInHTML(f'<a href="{index}">More news &rarr;</a>', client.get(front).content.decode())
    name = settings.NEWSROOM_NAME
    assertInHTML(f'<li><a href="{front}">{name}</a></li>', client.get(story.get_absolute_url()).content.decode())
    assertInHTML(f'<a href="{index}">Read the latest news</a>', client.get(gone.get_absolute_url()).content.decode())
    assertInHTML(f'<a href="{index}">All news</a>', client.get("/no-such-page/").content.decode(), count=2)
    assert f'<form class="search-form" role="search" action="{search}"' in client.get(search).content.decode()
