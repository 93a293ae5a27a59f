import datetime
import re

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, Byline, Status, Tag
from tests.factories import make_article, make_author, make_live, make_place, make_section

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2017, 9, 14, 12, 0, tzinfo=UTC)
HOUR = datetime.timedelta(hours=1)
# A publication time still to come whenever the suite runs.
FUTURE = datetime.datetime(2100, 1, 1, tzinfo=UTC)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def ids(queryset):
    """Sorted ids, duplicates kept: a join that repeats a row must show."""
    return sorted(article.pk for article in queryset)


def make_matrix(*, scheduled_at=NOW + HOUR, **fields):
    """One story in each editorial state; all but the draft carry a past or future time."""
    return {
        "draft": make_article(status=Status.DRAFT, **fields),
        "in_review": make_article(status=Status.IN_REVIEW, published_at=NOW - HOUR, **fields),
        "live": make_article(status=Status.PUBLISHED, published_at=NOW - HOUR, **fields),
        "scheduled": make_article(status=Status.PUBLISHED, published_at=scheduled_at, **fields),
        "withdrawn": make_article(status=Status.WITHDRAWN, published_at=NOW - HOUR, **fields),
    }


def pick(matrix, *names):
    return sorted(matrix[name].pk for name in names)


# QuerySet methods


def test_published_returns_live_and_scheduled_only():
    matrix = make_matrix()
    assert ids(Article.objects.published()) == pick(matrix, "live", "scheduled")


def test_live_returns_only_published_stories_whose_time_has_come():
    matrix = make_matrix()
    assert ids(Article.objects.live(at=NOW)) == pick(matrix, "live")


def test_scheduled_returns_only_published_stories_still_to_come():
    matrix = make_matrix()
    assert ids(Article.objects.scheduled(at=NOW)) == pick(matrix, "scheduled")


def test_live_and_scheduled_default_to_the_current_time():
    matrix = make_matrix(scheduled_at=FUTURE)
    assert ids(Article.objects.live()) == pick(matrix, "live")
    assert ids(Article.objects.scheduled()) == pick(matrix, "scheduled")


def test_scheduled_story_goes_live_exactly_at_its_time():
    story = make_live(published_at=NOW)
    second = datetime.timedelta(seconds=1)

    assert ids(Article.objects.live(at=NOW - second)) == []
    assert ids(Article.objects.scheduled(at=NOW - second)) == [story.pk]
    assert ids(Article.objects.live(at=NOW)) == [story.pk]
    assert ids(Article.objects.live(at=NOW + second)) == [story.pk]
    assert ids(Article.objects.scheduled(at=NOW + second)) == []


def test_for_listing_keeps_the_rows_and_loads_relations_in_three_queries(
    django_assert_num_queries,
):
    section, place, author = make_section(), make_place(), make_author()
    matrix = make_matrix(section=section, place=place, authors=[author], tags=["NATO", "Russia"])
    assert ids(Article.objects.for_listing()) == ids(Article.objects.all())

    # articles with section, place and agency joined; tags; bylines with authors
    with django_assert_num_queries(3):
        stories = list(Article.objects.live(at=NOW).for_listing())
    with django_assert_num_queries(0):
        [story] = stories
        assert story.pk == matrix["live"].pk
        assert (story.section, story.place, story.agency) == (section, place, None)
        assert sorted(tag.name for tag in story.tags.all()) == ["NATO", "Russia"]
        assert story.byline_groups() == [("By", [author])]


def test_datelined_returns_every_story_from_the_place_whatever_its_status():
    place = make_place()
    matrix = make_matrix(place=place)
    make_matrix(place=make_place())
    assert ids(Article.objects.datelined(place)) == pick(matrix, *matrix)
    assert ids(Article.objects.live(at=NOW).datelined(place)) == pick(matrix, "live")


def test_in_section_returns_every_story_in_the_section_whatever_its_status():
    section = make_section()
    matrix = make_matrix(section=section)
    make_matrix(section=make_section())
    assert ids(Article.objects.in_section(section)) == pick(matrix, *matrix)
    assert ids(Article.objects.live(at=NOW).in_section(section)) == pick(matrix, "live")


# Tag and author listings read the publication time their taggings and
# bylines keep, which only published stories have.


def test_tagged_returns_each_published_story_with_the_tag_once():
    matrix = make_matrix(tags=["NATO", "Russia"])
    make_matrix(tags=["Russia"])
    nato = Tag.objects.get(name="NATO")
    assert ids(Article.objects.tagged(nato)) == pick(matrix, "live", "scheduled")
    assert ids(Article.objects.live(at=NOW).tagged(nato)) == pick(matrix, "live")


def test_by_author_returns_each_published_story_once_even_with_several_bylines():
    author, colleague = make_author(), make_author()
    matrix = make_matrix(authors=[author, colleague])
    make_matrix(authors=[colleague])
    assert ids(Article.objects.by_author(author)) == pick(matrix, "live", "scheduled")
    assert ids(Article.objects.live(at=NOW).by_author(author)) == pick(matrix, "live")


def test_tag_and_author_listings_are_newest_first():
    author = make_author()
    older = make_live(published_at=NOW - 2 * HOUR, tags=["NATO"], authors=[author])
    newer = make_live(published_at=NOW - HOUR, tags=["NATO"], authors=[author])
    nato = Tag.objects.get(name="NATO")
    assert list(Article.objects.live(at=NOW).tagged(nato)) == [newer, older]
    assert list(Article.objects.live(at=NOW).by_author(author)) == [newer, older]


# Constraint


def test_database_refuses_a_published_article_without_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="No time", status=Status.PUBLISHED, published_at=None)
    assert not Article.objects.exists()


def test_unpublished_articles_may_have_no_publication_time():
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.WITHDRAWN):
        make_article(status=status, published_at=None)
    assert Article.objects.count() == 3


# Slugs


def test_cyrillic_headline_gets_a_transliterated_slug():
    story = make_article(headline="Россия восстановит отношения с НАТО")
    assert story.slug == "rossiya-vosstanovit-otnosheniya-s-nato"
    assert Article.objects.get(pk=story.pk).slug == story.slug


@pytest.mark.parametrize("headline", ["!!! ??? …", "— « » —", "🔥🔥🔥", "😀"])
def test_headline_of_punctuation_or_emoji_still_gets_a_slug(headline):
    story = make_article(headline=headline)
    assert SLUG.match(story.slug)


def test_duplicate_headlines_get_distinct_slugs():
    stories = [make_article(headline="Russia and NATO") for _ in range(3)]
    assert [story.slug for story in stories] == [
        "russia-and-nato",
        "russia-and-nato-2",
        "russia-and-nato-3",
    ]


def test_duplicate_punctuation_headlines_get_distinct_slugs():
    slugs = {make_article(headline="?!").slug for _ in range(3)}
    assert len(slugs) == 3
    assert all(SLUG.match(slug) for slug in slugs)


def test_duplicate_very_long_headlines_get_distinct_slugs():
    headline = "Russia will restore relations with NATO " * 6  # longer than a slug may be
    slugs = [make_article(headline=headline).slug for _ in range(3)]
    assert len(set(slugs)) == 3
    assert all(len(slug) <= 200 for slug in slugs)


def test_saving_again_keeps_the_slug():
    story = make_article(headline="Russia and NATO")
    story.headline = "Russia and NATO agree"
    story.save()
    story.refresh_from_db()
    assert story.slug == "russia-and-nato"


def test_slug_given_by_the_editor_is_kept():
    assert make_article(headline="Russia", slug="kremlin-statement").slug == "kremlin-statement"


# Body sanitising

DIRTY = (
    '<p onclick="steal()">Russia <strong>will</strong> restore '
    '<a href="https://tass.com/politics" onclick="steal()">relations</a>.</p>'
    "<script>alert('x')</script>"
)


def assert_clean(body):
    assert "<script" not in body
    assert "alert" not in body
    assert "onclick" not in body
    assert "steal" not in body
    assert body.startswith("<p>Russia <strong>will</strong> restore <a ")
    assert 'href="https://tass.com/politics"' in body
    assert ">relations</a>.</p>" in body


def test_body_is_sanitised_by_create():
    story = Article.objects.create(headline="Dirty", body=DIRTY)
    assert_clean(story.body)
    assert_clean(Article.objects.get(pk=story.pk).body)


def test_body_is_sanitised_when_saved_after_assignment():
    story = make_article()
    story.body = DIRTY
    story.save()
    assert_clean(story.body)
    assert_clean(Article.objects.get(pk=story.pk).body)


def test_body_is_sanitised_when_saved_with_update_fields():
    story = make_article()
    story.body = DIRTY
    story.save(update_fields=["body"])
    assert_clean(Article.objects.get(pk=story.pk).body)


def test_body_is_sanitised_by_bulk_create():
    Article.objects.bulk_create([Article(headline="Bulk", slug="bulk", body=DIRTY)])
    assert_clean(Article.objects.get(slug="bulk").body)


# Bylines


def add_bylines(article, *entries):
    """Bylines from (author, role, position), created in the order given."""
    for author, role, position in entries:
        Byline.objects.create(article=article, author=author, role=role, position=position)


def test_byline_groups_follow_position_not_creation_order():
    story = make_article()
    first, second, photographer = make_author(), make_author(), make_author()
    add_bylines(story, (photographer, "Photos by", 2), (second, "", 1), (first, "", 0))
    assert story.byline_groups() == [("By", [first, second]), ("Photos by", [photographer])]


def test_byline_groups_keep_one_group_per_role():
    story = make_article()
    reporter, photographer, colleague = make_author(), make_author(), make_author()
    # All at the default position: the colleague was added last.
    add_bylines(story, (reporter, "", 0), (photographer, "Photos by", 0), (colleague, "", 0))
    assert story.byline_groups() == [
        ("By", [reporter, colleague]),
        ("Photos by", [photographer]),
    ]


def test_byline_groups_are_empty_without_bylines():
    assert make_article().byline_groups() == []


def test_byline_groups_use_prefetched_bylines(django_assert_num_queries):
    story = make_article()
    reporter, photographer = make_author(), make_author()
    add_bylines(story, (reporter, "Reporting by", 0), (photographer, "Photos by", 1))
    [story] = Article.objects.filter(pk=story.pk).for_listing()
    with django_assert_num_queries(0):
        assert story.byline_groups() == [
            ("Reporting by", [reporter]),
            ("Photos by", [photographer]),
        ]


# Addresses


@pytest.mark.parametrize("prefix", ["/", "/newsroom/"])
def test_story_addresses_are_what_reverse_gives(prefix):
    from django.urls import clear_script_prefix, reverse, set_script_prefix

    set_script_prefix(prefix)
    try:
        story = make_live(headline="Talks in Geneva", published_at=NOW)
        expected = reverse(
            "articles:detail", kwargs={"year": 2017, "month": "09", "day": "14", "slug": story.slug}
        )
        assert story.get_absolute_url() == expected == f"{prefix}2017/09/14/talks-in-geneva/"
    finally:
        clear_script_prefix()
