"""
Search documents name each story's tags, bylines and place: renaming,
merging or deleting one of those reindexes the stories it touched.
"""

import pytest
from django.urls import reverse

from articles import search
from articles.models import Article, Author, Tag
from tests.factories import make_author, make_live, make_place

pytestmark = pytest.mark.django_db


def found(q):
    return set(search.matching(Article.objects.all(), q).values_list("headline", flat=True))


def indexed(**fields):
    story = make_live(**fields)
    search.index(story)
    return story


def test_merging_a_tag_makes_its_stories_findable_by_the_kept_name(admin_client):
    indexed(headline="Troops arrive", tags=["Zapad"])
    indexed(headline="Drills end", tags=["Exercises"])
    keep = Tag.objects.get(name="Exercises")
    selected = {"action": "merge", "_selected_action": list(Tag.objects.values_list("pk", flat=True))}

    admin_client.post(reverse("admin:articles_tag_changelist"), {**selected, "keep": keep.pk})

    assert found("Exercises") == {"Troops arrive", "Drills end"}
    assert found("Zapad") == set()


RENAMES = {
    "tag": (lambda: Tag.objects.create(name="Zapad"), "tag", {"name": "Westward", "slug": "zapad"}),
    "author": (lambda: make_author(name="Ivan Petrov", slug="ivan"), "author", {"name": "Ivan Westward", "slug": "ivan"}),
    "place": (lambda: make_place(name="KALININGRAD", slug="kaliningrad"), "place", None),
}


def story_naming(kind, thing):
    if kind == "tag":
        return indexed(headline="Troops arrive", tags=[thing])
    if kind == "author":
        return indexed(headline="Troops arrive", authors=[thing])
    return indexed(headline="Troops arrive", place=thing)


@pytest.mark.parametrize("kind", RENAMES)
def test_renaming_in_the_admin_reindexes_the_stories_that_name_it(admin_client, kind):
    make, model, data = RENAMES[kind]
    thing = make()
    story_naming(kind, thing)
    old = thing.name.split()[-1]
    if kind == "place":
        data = {"name": "KALININGRAD", "region": "Westward", "slug": thing.slug, "country": "Russia",
                "time_zone": "Europe/Kaliningrad", "needs_review": ""}  # fmt: skip
        old = "Westward"  # the region is searched too: found only after the change

    response = admin_client.post(reverse(f"admin:articles_{model}_change", args=[thing.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("Westward") == {"Troops arrive"}
    if kind != "place":
        assert found(old) == set()


def test_deleting_a_tag_in_the_admin_takes_its_name_out_of_the_documents(admin_client):
    tag = Tag.objects.create(name="Zapad")
    indexed(headline="Troops arrive", tags=[tag])

    response = admin_client.post(reverse("admin:articles_tag_delete", args=[tag.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert found("Zapad") == set()
    assert found("Troops") == {"Troops arrive"}


def test_a_change_to_a_field_no_document_holds_reindexes_nothing(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = make_author(name="Ivan Petrov", slug="ivan")
    indexed(headline="Troops arrive", authors=[author])
    url = reverse("admin:articles_author_change", args=[author.pk])

    with CaptureQueriesContext(connection) as queries:
        data = {"name": "Ivan Petrov", "slug": "ivan", "job_title": "Correspondent"}
        response = admin_client.post(url, data)

    assert response.status_code == 302
    assert Author.objects.get().job_title == "Correspondent"
    touched = [q["sql"] for q in queries if 'UPDATE "articles_article"' in q["sql"]]
    assert touched == []
