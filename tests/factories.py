"""Small factory functions: make_article(**fields) and friends."""

import datetime
import itertools

from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles import workflow
from articles.models import Agency, Article, Author, Byline, Place, Section, Status

_numbers = itertools.count(1)


def _n():
    return next(_numbers)


def make_section(**fields):
    n = _n()
    fields.setdefault("name", f"Section {n}")
    fields.setdefault("slug", f"section-{n}")
    return Section.objects.create(**fields)


def make_place(**fields):
    n = _n()
    fields.setdefault("name", f"PLACE {n}")
    fields.setdefault("slug", f"place-{n}")
    fields.setdefault("time_zone", "UTC")
    return Place.objects.create(**fields)


def make_agency(**fields):
    fields.setdefault("name", f"Agency {_n()}")
    fields.setdefault("mark", "/AG/")
    return Agency.objects.create(**fields)


def make_author(**fields):
    n = _n()
    fields.setdefault("name", f"Author {n}")
    fields.setdefault("slug", f"author-{n}")
    return Author.objects.create(**fields)


def make_article(*, authors=(), tags=(), **fields):
    """A story; ``status=Status.PUBLISHED`` needs ``published_at`` (defaults to an hour ago)."""
    fields.setdefault("headline", f"Story {_n()}")
    fields.setdefault("body", "<p>Text of the story.</p>")
    if fields.get("status") == Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    article = Article.objects.create(**fields)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.add(*tags)
    return article


def make_live(**fields):
    return make_article(status=Status.PUBLISHED, **fields)


def make_user(username, *groups, **fields):
    user = User.objects.create_user(username, password="pw", is_staff=True, **fields)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def make_editor(username="editor"):
    return make_user(username, "Editor")


def make_reporter(username="reporter"):
    return make_user(username, "Reporter")


def publish(article, at=None, by=None):
    workflow.publish(article, by=by or make_editor(f"editor{_n()}"), at=at)
    return article
