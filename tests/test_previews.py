"""Share links: signed, expiring, revocable previews of stories that are not public."""

import datetime
import re

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.admin.previews import LIFETIME
from articles.models import Byline, Correction, PreviewLink, Status
from tests.factories import article_form_data, make_article, make_author, make_editor

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SECOND = datetime.timedelta(seconds=1)
PUBLISHED = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
FUTURE = datetime.datetime(2099, 1, 1, tzinfo=UTC)
HEADLINE = "Minister to resign"
TEXT = "The minister will resign on Friday."


def make_story(**fields):
    return make_article(headline=HEADLINE, body=f"<p>{TEXT}</p>", **fields)


def make_link(article, *, expires_at=None, **fields):
    expires_at = expires_at or timezone.now() + datetime.timedelta(days=1)
    return PreviewLink.objects.create(article=article, expires_at=expires_at, **fields)


def assert_hidden(response, status_code=404):
    """The answer a dead or forged link gets: not found, and nothing of the story."""
    assert response.status_code == status_code
    assertNotContains(response, HEADLINE, status_code=status_code)
    assertNotContains(response, TEXT, status_code=status_code)


# An active link


def test_active_link_shows_the_draft_never_cached_nor_indexed(client):
    expires = datetime.datetime(2099, 1, 1, 12, 0, tzinfo=UTC)
    link = make_link(make_story(), expires_at=expires)

    response = client.get(link.get_absolute_url())

    assertContains(response, TEXT)  # and answers 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"} <= cache_control
    assert response["Referrer-Policy"] == "no-referrer"
    assertContains(response, "Shared preview: draft.")
    assertContains(response, "This link works until")
    assertContains(response, '<time datetime="2099-01-01T12:00:00+00:00">1 January 2099, 12:00 UTC')


STORIES = {
    "draft": {"status": Status.DRAFT},
    "in review": {"status": Status.IN_REVIEW},
    "scheduled": {"status": Status.PUBLISHED, "published_at": FUTURE},
    "embargoed": {"status": Status.PUBLISHED, "published_at": PUBLISHED, "embargo_until": FUTURE},
    "live": {"status": Status.PUBLISHED, "published_at": PUBLISHED},
}


def test_withdrawing_a_story_revokes_its_preview_links(client):
    from articles import workflow

    editor = make_editor()
    story = make_story(status=Status.PUBLISHED, published_at=PUBLISHED)
    links = [make_link(story), make_link(story, label="Legal")]

    workflow.withdraw(story, by=editor, reason="Legal complaint")

    for link in links:
        link.refresh_from_db()
        assert link.revoked_at is not None and link.revoked_by == editor
        assert_hidden(client.get(link.get_absolute_url()))


def test_a_link_to_a_withdrawn_story_shows_the_withdrawal_notice(client):
    link = make_link(make_story(status=Status.WITHDRAWN, published_at=PUBLISHED))

    response = client.get(link.get_absolute_url())

    assert_hidden(response, status_code=410)
    assertContains(response, "This story has been withdrawn", status_code=410)


@pytest.mark.parametrize("state", STORIES)
def test_link_shows_the_story_whatever_its_status_until_it_is_withdrawn(client, state):
    link = make_link(make_story(**STORIES[state]))
    response = client.get(link.get_absolute_url())
    assertContains(response, f"<h1>{HEADLINE}</h1>", html=True)
    assertContains(response, TEXT)


def test_link_still_works_one_second_before_it_expires(client):
    link = make_link(make_story(), expires_at=timezone.now() + SECOND)
    assertContains(client.get(link.get_absolute_url()), TEXT)


def test_link_one_second_past_its_expiry_is_not_found(client):
    link = make_link(make_story(), expires_at=timezone.now() - SECOND)
    response = client.get(link.get_absolute_url())
    assert_hidden(response)
    assertContains(response, "This link expired", status_code=404)
    assert "no-store" in response["Cache-Control"]


def test_link_is_active_until_its_expiry_time():
    expires = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
    link = PreviewLink(expires_at=expires)
    assert link.is_active(at=expires - SECOND)
    assert not link.is_active(at=expires)
    assert not link.is_active(at=expires + SECOND)


def test_revoked_link_is_not_found(client):
    at = timezone.now() - SECOND
    link = make_link(make_story(), revoked_at=at, revoked_by=make_editor())
    response = client.get(link.get_absolute_url())
    assert_hidden(response)
    assertContains(response, "The editors cancelled this link", status_code=404)


# Links we did not sign


def _other_payload(link):
    """The link's signature with another link's id: a forged token."""
    other = make_link(make_article(headline="Another story"))
    _payload, signature = link.token.split(":")
    return f"{other.pk}:{signature}"


def _signed(value, **kwargs):
    return signing.Signer(**kwargs).sign(str(value))


FORGERIES = {
    "changed signature": lambda link: link.token[:-2] + ("AA" if link.token[-2:] != "AA" else "BB"),
    "another story's id": _other_payload,
    "without our salt": lambda link: _signed(link.pk),
    "another key": lambda link: _signed(link.pk, key="other", salt=PreviewLink.SALT),
    "not a token": lambda link: "minister-to-resign",
    "an unknown link": lambda link: _signed(link.pk + 1000, salt=PreviewLink.SALT),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_forged_or_unknown_token_is_not_found(client, forgery):
    link = make_link(make_story())
    token = FORGERIES[forgery](link)
    assert_hidden(client.get(reverse("articles:shared_preview", args=[token])))


def test_no_other_address_shows_a_draft_to_anonymous_readers(client):
    draft = make_story(published_at=PUBLISHED)  # even a draft that once had a time
    make_link(draft)
    public = reverse("articles:detail", args=["2017", "09", "14", draft.slug])
    admin_preview = reverse("admin:articles_article_preview", args=[draft.pk])

    assert_hidden(client.get(public))
    response = client.get(admin_preview)
    assert_hidden(response, status_code=302)
    assert response["Location"].startswith(reverse("admin:login"))


# Query count

# navigation; the banner; the link; the story; its tags; its bylines; its corrections
PREVIEW_QUERIES = 7


def test_preview_queries_stay_the_same_with_more_links_bylines_and_corrections(
    client, django_assert_num_queries
):
    story = make_story(authors=[make_author()], tags=["NATO"])
    url = make_link(story).get_absolute_url()
    with django_assert_num_queries(PREVIEW_QUERIES):
        client.get(url)

    for n in range(10):
        make_link(story)
        Byline.objects.create(article=story, author=make_author(), position=n + 1)
        Correction.objects.create(article=story, text=f"Note {n}")
        story.tags.add(f"Topic {n}")

    with django_assert_num_queries(PREVIEW_QUERIES):
        response = client.get(url)
    assertContains(response, "Note 9")


# The admin inline


@pytest.fixture
def editor(client):
    user = make_editor()
    client.force_login(user)
    return user


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def with_new_link(data, article, *, label, expires_at):
    n = data["preview_links-TOTAL_FORMS"]
    when = timezone.localtime(expires_at)
    row = {"article": article.pk, "label": label}
    row.update(expires_at_0=f"{when:%Y-%m-%d}", expires_at_1=f"{when:%H:%M:%S}")
    data.update({f"preview_links-{n}-{name}": value for name, value in row.items()})
    data["preview_links-TOTAL_FORMS"] = n + 1
    return data


def test_change_page_offers_a_link_for_a_week(client, editor):
    draft = make_story()
    before = timezone.now().replace(microsecond=0)
    response = client.get(change_url(draft))
    after = timezone.now()

    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "preview_links"
    )
    offered = formset.empty_form["expires_at"].value()
    assert before + LIFETIME <= offered <= after + LIFETIME
    assertContains(response, "In the newsroom&#x27;s time zone (UTC)")
    assert not formset.can_delete


def test_editor_makes_a_link_on_the_change_page(client, editor):
    draft = make_story()
    expires = datetime.datetime(2099, 1, 1, 12, 0, tzinfo=UTC)
    data = with_new_link(article_form_data(draft), draft, label="Legal", expires_at=expires)

    response = client.post(change_url(draft), data)

    assert response.status_code == 302
    link = draft.preview_links.get()
    assert (link.label, link.expires_at, link.created_by) == ("Legal", expires, editor)
    assert link.revoked_at is None
    page = client.get(change_url(draft)).content.decode()
    assert f" UTC by {editor.username}</p>" in page  # the created column
    shared = re.search(r'href="(/preview/[^"]+/)"', page).group(1)
    client.logout()
    assertContains(client.get(shared), TEXT)


def test_a_row_left_as_offered_still_makes_a_link(client, editor):
    draft = make_story()
    offered = timezone.now().replace(microsecond=0) + LIFETIME
    data = with_new_link(article_form_data(draft), draft, label="", expires_at=offered)
    assert client.post(change_url(draft), data).status_code == 302
    assert draft.preview_links.get().expires_at == offered


def test_a_link_must_expire_in_the_future(client, editor):
    draft = make_story()
    past = timezone.now() - SECOND
    data = with_new_link(article_form_data(draft), draft, label="Legal", expires_at=past)
    response = client.post(change_url(draft), data)
    assertContains(response, "Choose a time in the future.")
    assert not draft.preview_links.exists()


def test_editor_revokes_a_link_and_it_is_kept_for_the_record(client, editor):
    draft = make_story()
    link = make_link(draft, label="The source", created_by=editor)
    data = article_form_data(draft, **{"preview_links-0-revoke": "on"})

    assert client.post(change_url(draft), data).status_code == 302

    link.refresh_from_db()
    assert link.revoked_by == editor
    assert link.revoked_at is not None
    assert_hidden(client.get(link.get_absolute_url()))
    page = client.get(change_url(draft))
    assertContains(page, f"by {editor.username}.")  # in the share link column


def test_revoked_link_stays_revoked_and_unchanged(client, editor):
    draft = make_story()
    revoked = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
    link = make_link(draft, label="The source", revoked_at=revoked, revoked_by=editor)
    data = article_form_data(draft, **{"preview_links-0-label": "Someone else"})
    data.update({"preview_links-0-expires_at_0": f"{FUTURE:%Y-%m-%d}"})

    assert client.post(change_url(draft), data).status_code == 302

    link.refresh_from_db()
    assert (link.label, link.revoked_at) == ("The source", revoked)
    assert link.expires_at < FUTURE


def test_change_page_queries_do_not_grow_with_links(client, editor):
    draft = make_story()
    make_link(draft, created_by=editor)
    client.get(change_url(draft))  # opening the story the first time records it as open
    with CaptureQueriesContext(connection) as one_link:
        client.get(change_url(draft))
    for n in range(10):
        make_link(draft, created_by=make_editor(f"editor{n}"))
        make_link(draft, revoked_at=PUBLISHED, revoked_by=make_editor(f"revoker{n}"))
    with CaptureQueriesContext(connection) as more_links:
        response = client.get(change_url(draft))
    assertContains(response, "by revoker9.")
    assert len(more_links) == len(one_link)


def test_links_cannot_be_deleted(client, editor):
    draft = make_story()
    link = make_link(draft)
    data = article_form_data(draft, **{"preview_links-0-DELETE": "on"})
    assert client.post(change_url(draft), data).status_code == 302
    assert PreviewLink.objects.filter(pk=link.pk).exists()
