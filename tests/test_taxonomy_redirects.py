"""
Old addresses of sections, places, tags and authors: after a slug changes or
a tag is merged, the old listing and feed addresses redirect permanently.
"""

import pytest
from django.urls import reverse

from articles.models import Section, Tag
from tests.factories import make_author, make_live, make_place, make_section

pytestmark = pytest.mark.django_db


def rename(admin_client, model, thing, slug, **data):
    data = {"name": thing.name, "slug": slug, **data}
    if model == "section":
        data.setdefault("position", thing.position)
    response = admin_client.post(reverse(f"admin:articles_{model}_change", args=[thing.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def lands(client, url):
    response = client.get(url)
    return response.status_code, response.get("Location")


OWNERS = {
    "section": (lambda: make_section(name="World", slug="world"), "/sections/", {}),
    "author": (lambda: make_author(name="Ivan Petrov", slug="ivan"), "/authors/", {}),
    "place": (
        lambda: make_place(name="MOSCOW", slug="moscow", time_zone="Europe/Moscow"),
        "/datelines/",
        {"country": "Russia", "time_zone": "Europe/Moscow"},
    ),
}


def live_story_of(kind, thing):
    fields = {"authors": [thing]} if kind == "author" else {kind: thing}
    return make_live(**fields)


@pytest.mark.parametrize("kind", OWNERS)
def test_a_changed_slug_leaves_the_old_address_and_feeds_redirecting(admin_client, client, kind):
    make, prefix, extra = OWNERS[kind]
    thing = make()
    live_story_of(kind, thing)
    old = thing.slug

    rename(admin_client, kind, thing, "renamed", **extra)

    assert lands(client, f"{prefix}{old}/") == (301, f"{prefix}renamed/")
    assert lands(client, f"{prefix}{old}/?page=2") == (301, f"{prefix}renamed/?page=2")
    for feed in ["rss", "atom"]:
        assert lands(client, f"{prefix}{old}/feed/{feed}/") == (301, f"{prefix}renamed/feed/{feed}/")
    assert client.get(f"{prefix}renamed/").status_code == 200


def test_a_merged_tags_address_redirects_to_the_kept_tag(admin_client, client):
    make_live(tags=["Zapad"])
    make_live(tags=["Exercises"])
    keep = Tag.objects.get(name="Exercises")
    selected = {"action": "merge", "_selected_action": list(Tag.objects.values_list("pk", flat=True))}

    admin_client.post(reverse("admin:articles_tag_changelist"), {**selected, "keep": keep.pk})

    assert lands(client, "/tags/zapad/") == (301, "/tags/exercises/")
    assert lands(client, "/tags/zapad/feed/rss/") == (301, "/tags/exercises/feed/rss/")


def test_renamed_twice_both_old_addresses_lead_to_the_last(admin_client, client):
    section = make_section(name="World", slug="world")

    rename(admin_client, "section", section, "international")
    rename(admin_client, "section", section, "global")

    assert lands(client, "/sections/world/") == (301, "/sections/global/")
    assert lands(client, "/sections/international/") == (301, "/sections/global/")


def test_renamed_back_the_slug_is_its_own_again(admin_client, client):
    section = make_section(name="World", slug="world")
    make_live(section=section)

    rename(admin_client, "section", section, "international")
    rename(admin_client, "section", section, "world")

    assert client.get("/sections/world/").status_code == 200
    assert lands(client, "/sections/international/") == (301, "/sections/world/")


def test_a_new_section_taking_an_old_address_is_shown_there(admin_client, client):
    section = make_section(name="World", slug="world")
    make_live(section=section)
    rename(admin_client, "section", section, "international")

    add = reverse("admin:articles_section_add")
    admin_client.post(add, {"name": "World news", "slug": "world", "position": 1})

    assert client.get("/sections/world/").status_code == 404  # its own, with no story yet
    make_live(section=Section.objects.get(slug="world"))
    response = client.get("/sections/world/")
    assert response.status_code == 200 and "World news" in response.content.decode()


def test_an_address_that_never_was_is_still_not_found(client):
    assert client.get("/sections/nowhere/").status_code == 404
    assert client.get("/tags/nowhere/feed/atom/").status_code == 404
