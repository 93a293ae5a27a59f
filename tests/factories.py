"""Small factory functions: make_article(**fields) and friends."""

import datetime
import io
import itertools

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from taggit.utils import edit_string_for_tags

from articles import counts, languages, media, workflow
from articles.models import Agency, Article, Author, Byline, Correction, Picture, Place, Section, Status

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


def photo_bytes(size=(1600, 1200), fmt="JPEG", seed=0):
    """
    A picture with a photograph's statistics, made here: broad shapes of
    light and colour (small noise enlarged) under a fine grain, so that it
    compresses about as a photograph does, not as a flat drawing or pure noise.
    """
    width, height = size
    coarse = Image.effect_noise((max(width // 40, 2), max(height // 40, 2)), 90 + seed % 7)
    shapes = Image.merge("RGB", [coarse, coarse.rotate(90 * (seed % 4), expand=False), coarse.transpose(0)])
    shapes = shapes.resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 14).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(shapes, grain, 0.15).save(buffer, fmt, quality=92)
    return buffer.getvalue()


def make_picture(*, size=(1600, 1200), name="photo.jpg", data=None, **fields):
    """A library picture saved as the admin saves one: renditions made."""
    fields.setdefault("alt_text", f"Picture {_n()}")
    picture = Picture(file=SimpleUploadedFile(name, data or photo_bytes(size)), **fields)
    return media.save(picture)


def make_article(*, authors=(), bylines=(), tags=(), **fields):
    """
    A story; ``status=Status.PUBLISHED`` needs ``published_at`` (defaults to an
    hour ago). ``authors`` get plain bylines, then ``bylines`` as (author, role).
    """
    fields.setdefault("headline", f"Story {_n()}")
    fields.setdefault("body", "<p>Text of the story.</p>")
    if fields.get("status") == Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    article = Article.objects.create(**fields)
    rows = [(author, "") for author in authors] + list(bylines)
    for position, (author, role) in enumerate(rows):
        Byline.objects.create(article=article, author=author, role=role, position=position)
    if tags:
        article.tags.add(*tags)
    counts.refresh([article.pk])  # as workflow does after every save
    return article


def make_correction(article, text="Fixed.", *, at=None, kind=Correction.Kind.CORRECTION):
    """A note for readers at ``at`` (default now), moving the story's updated time as workflow does."""
    note = Correction.objects.create(article=article, kind=kind, text=text, created_at=at or timezone.now())
    if article.revised_at is None or article.revised_at < note.created_at:
        article.revised_at = note.created_at
        Article.objects.filter(pk=article.pk).update(revised_at=note.created_at)
    return note


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


ARTICLE_TEXT_FIELDS = ["headline", "standfirst", "body", "slug", "seo_title", "seo_description"]


def article_form_data(article=None, *, bylines=(), **fields):
    """
    The POST the admin's article form sends: ``article``'s current values
    (or a blank story) with its byline rows, one new row per (author, role)
    in ``bylines``, the empty extra row, then ``fields`` on top. The
    publication time is split into date and time in the newsroom's zone.
    """
    data = {name: getattr(article, name, "") for name in ARTICLE_TEXT_FIELDS}
    data.update(place="", agency="", section="", picture="", tags="", publish_at_0="", publish_at_1="")
    data["language"] = article.language if article is not None else languages.default()
    rows, events, parent = [], [], ""
    if article is not None:
        parent = article.pk
        data.update(
            place=article.place_id or "",
            agency=article.agency_id or "",
            section=article.section_id or "",
            picture=article.picture_id or "",
            tags=edit_string_for_tags(article.tags.all()),
        )
        if article.published_at:
            when = timezone.localtime(article.published_at)
            data.update(publish_at_0=f"{when:%Y-%m-%d}", publish_at_1=f"{when:%H:%M:%S}")
        if article.embargo_until:
            until = timezone.localtime(article.embargo_until)
            data.update(embargo_until_0=f"{until:%Y-%m-%d}", embargo_until_1=f"{until:%H:%M:%S}")
        rows = [(b.pk, b.author_id, b.role, b.position) for b in article.bylines.all()]
        events = list(article.events.values_list("pk", flat=True))
    initial = len(rows)
    rows += [("", author.pk, role, n) for n, (author, role) in enumerate(bylines, initial)]
    rows.append(("", "", "", 0))
    data.update(_management_form("bylines", total=len(rows), initial=initial))
    for i, (pk, author, role, position) in enumerate(rows):
        row = {"id": pk, "article": parent, "author": author, "role": role, "position": position}
        data.update({f"bylines-{i}-{name}": value for name, value in row.items()})
    data.update(_management_form("events", total=len(events), initial=len(events)))
    for i, pk in enumerate(events):
        data.update({f"events-{i}-id": pk, f"events-{i}-article": parent})
    corrections = list(article.corrections.values_list("pk", flat=True)) if article else []
    data.update(_management_form("corrections", total=len(corrections), initial=len(corrections)))
    for i, pk in enumerate(corrections):
        data.update({f"corrections-{i}-id": pk, f"corrections-{i}-article": parent})
    data["base_version"] = article.version if article else ""
    data.update(_preview_link_rows(article))
    data.update(fields)
    return data


def _preview_link_rows(article):
    """The admin's preview link rows, as they stand: times in the newsroom's zone."""
    links = list(article.preview_links.all()) if article else []
    data = _management_form("preview_links", total=len(links), initial=len(links))
    for i, link in enumerate(links):
        expires = timezone.localtime(link.expires_at)
        row = {"id": link.pk, "article": article.pk, "label": link.label}
        row.update(expires_at_0=f"{expires:%Y-%m-%d}", expires_at_1=f"{expires:%H:%M:%S}")
        data.update({f"preview_links-{i}-{name}": value for name, value in row.items()})
    return data


def _management_form(prefix, *, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def listing_urls(day, *, place, section, tag, author):
    """Every public listing a story on ``day`` shows in, by name."""
    return {
        "front": reverse("articles:front"),
        "index": reverse("articles:index"),
        "year": reverse("articles:year", args=[f"{day:%Y}"]),
        "month": reverse("articles:month", args=[f"{day:%Y}", f"{day:%m}"]),
        "day": reverse("articles:day", args=[f"{day:%Y}", f"{day:%m}", f"{day:%d}"]),
        "place": place.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
    }


def warm(client, *urls):
    """
    Read public pages until the page cache serves them. A page first rendered
    within a second of a change to what it shows is rendered once more.
    """
    for url in urls:
        answers = [client.get(url)["X-Page-Cache"] for _ in range(3)]
        assert "hit" in answers, (url, answers)
