import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import revisions, workflow
from articles.models import Article, ArticleRevision, Byline, Status
from tests.factories import (
    make_author,
    make_editor,
    make_reporter,
    make_section,
    make_user,
    publish,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PAST = datetime.datetime(2017, 9, 14, 9, 0, tzinfo=UTC)
# An embargo still to come whenever the suite runs.
EMBARGO = datetime.datetime(2100, 1, 1, 6, 0, tzinfo=UTC)


def edit(article, *, by, tags=None, authors=None, **fields):
    """Save ``fields`` (and tags, bylines) as the admin does: through workflow.edit."""

    def save():
        for name, value in fields.items():
            setattr(article, name, value)
        article.save()
        if tags is not None:
            article.tags.set(tags)
        if authors is not None:
            Byline.objects.filter(article=article).delete()
            for position, (author, role) in enumerate(authors):
                Byline.objects.create(article=article, author=author, role=role, position=position)

    workflow.edit(article, by=by, save=save)
    return article


def write(*, by, tags=(), authors=(), **fields):
    """A new draft by ``by``, saved through the workflow: it has revision 1."""
    fields.setdefault("headline", "Troops arrive for Zapad-2017")
    fields.setdefault("body", "<p>The exercise begins on Thursday.</p>")
    article = Article(created_by=by)
    return edit(article, by=by, tags=list(tags), authors=list(authors), **fields)


def rewritten(by, **extra):
    """A story with two revisions: 1 as first written, 2 with new text, tags and byline."""
    first, second = make_author(name="Ivan Petrov"), make_author(name="Anna Smirnova")
    article = write(by=by, tags=["Belarus", "Army"], authors=[(first, "")], **extra)
    return edit(
        article,
        by=by,
        headline="Exercise postponed",
        body="<p>The exercise will begin on Friday.</p>",
        tags=["Weather"],
        authors=[(second, "Reporting by")],
    )


def revision(article, number):
    return article.revisions.get(number=number)


def notes(article):
    return list(article.revisions.order_by("number").values_list("number", "note"))


def admin_url(name, article, *args):
    return reverse(f"admin:articles_article_{name}", args=[article.pk, *args])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Kept on every save


def test_a_new_story_keeps_revision_one():
    article = write(by=make_reporter())
    assert notes(article) == [(1, "Created")]


def test_each_edit_keeps_a_revision():
    reporter = make_reporter()
    article = write(by=reporter, headline="First")
    edit(article, by=reporter, headline="Second")
    edit(article, by=reporter, headline="Third")

    assert notes(article) == [(1, "Created"), (2, ""), (3, "")]
    headlines = [r.data["headline"] for r in article.revisions.order_by("number")]
    assert headlines == ["First", "Second", "Third"]
    assert {r.created_by for r in article.revisions.all()} == {reporter}


def test_publishing_keeps_a_revision():
    article = write(by=make_editor())
    publish(article, at=PAST)
    assert notes(article) == [(1, "Created"), (2, "Published")]


def test_revision_data_holds_fields_tags_and_bylines():
    section, author = make_section(name="World"), make_author(name="Ivan Petrov")
    article = write(
        by=make_editor(),
        section=section,
        standfirst="Forces gather.",
        tags=["Belarus", "Army"],
        authors=[(author, "Reporting by")],
    )
    data = revision(article, 1).data

    assert data["headline"] == "Troops arrive for Zapad-2017"
    assert data["body"] == "<p>The exercise begins on Thursday.</p>"
    assert (data["standfirst"], data["section_id"], data["slug"]) == (
        "Forces gather.",
        section.pk,
        "troops-arrive-for-zapad-2017",
    )
    assert data["tags"] == ["Army", "Belarus"]
    assert data["bylines"] == [
        {"author_id": author.pk, "author": "Ivan Petrov", "role": "Reporting by", "position": 0}
    ]


# Compare


def test_compare_shows_which_fields_changed():
    article = rewritten(make_editor())
    rows = {row.label: row for row in revisions.compare(revision(article, 1), revision(article, 2))}

    changed = {label for label, row in rows.items() if row.changed}
    assert changed == {"Headline", "Body", "Tags", "Bylines"}
    assert (rows["Headline"].old, rows["Headline"].new) == (
        "Troops arrive for Zapad-2017",
        "Exercise postponed",
    )
    assert (rows["Tags"].old, rows["Tags"].new) == ("Army, Belarus", "Weather")
    assert rows["Bylines"].new == "Reporting by Anna Smirnova"
    assert not rows["Slug"].changed
    assert list(rows)[:4] == ["Headline", "Slug", "Standfirst", "Body"]


def test_compare_marks_changed_words_and_escapes_the_text():
    older = ArticleRevision(data={"body": "<p>1 &lt; 2 &amp; <b>tanks</b> roll</p>"})
    newer = ArticleRevision(data={"body": "<p>1 &lt; 2 &amp; <b>ships</b> roll</p>"})
    [body] = [row for row in revisions.compare(older, newer) if row.label == "Body"]

    assert (body.old, body.new) == ("1 < 2 & tanks roll", "1 < 2 & ships roll")
    assert body.old_html == "1 &lt; 2 &amp; <del>tanks </del>roll"
    assert body.new_html == "1 &lt; 2 &amp; <ins>ships </ins>roll"


def test_compare_notes_a_change_of_formatting_only():
    older = ArticleRevision(data={"body": "<p>Tanks roll</p>"})
    newer = ArticleRevision(data={"body": "<p><b>Tanks</b> roll</p>"})
    [body] = [row for row in revisions.compare(older, newer) if row.label == "Body"]
    assert body.changed and body.note == "Only the formatting changed."


# Restore


def test_restore_brings_back_old_text_as_a_new_revision():
    editor = make_editor()
    article = rewritten(editor)
    kept = {r.number: r.data for r in article.revisions.all()}

    revisions.restore(article, revision(article, 1), by=make_editor("desk"))

    article = Article.objects.get(pk=article.pk)
    assert article.headline == "Troops arrive for Zapad-2017"
    assert article.body == "<p>The exercise begins on Thursday.</p>"
    assert sorted(tag.name for tag in article.tags.all()) == ["Army", "Belarus"]
    assert [(b.author.name, b.role) for b in article.bylines.all()] == [("Ivan Petrov", "")]
    assert notes(article) == [(1, "Created"), (2, ""), (3, "Restored revision 1")]
    assert revision(article, 3).created_by.username == "desk"
    assert {r.number: r.data for r in article.revisions.filter(number__lte=2)} == kept


def test_restore_keeps_status_publication_time_and_embargo():
    editor = make_editor()
    article = rewritten(editor)
    # Revision 1 had no embargo: restoring its text must not lift this one.
    edit(article, by=editor, embargo_until=EMBARGO)
    publish(article, at=PAST)

    revisions.restore(article, revision(article, 1), by=editor)

    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.PUBLISHED, PAST)
    assert article.embargo_until == EMBARGO
    assert article.headline == "Troops arrive for Zapad-2017"


def test_restoring_a_public_story_marks_it_updated_and_its_page_shows_the_old_text(client):
    editor = make_editor()
    article = rewritten(editor)
    publish(article, at=PAST)
    article.refresh_from_db()
    assert article.revised_at is None

    revisions.restore(article, revision(article, 1), by=editor)

    article.refresh_from_db()
    assert article.revised_at is not None
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "The exercise begins on Thursday." in page.text
    assert "Friday" not in page.text


def test_restore_leaves_out_an_author_or_section_deleted_since():
    editor = make_editor()
    gone_section, section = make_section(), make_section()
    gone_author, author = make_author(name="Gone"), make_author(name="Stays")
    article = write(by=editor, section=gone_section, authors=[(gone_author, ""), (author, "")])
    edit(article, by=editor, section=section, authors=[(author, "")])
    gone_section.delete()
    gone_author.delete()

    rows = {r.label: r for r in revisions.compare(revision(article, 1), revision(article, 2))}
    assert rows["Section"].old == "(deleted since)"
    revisions.restore(article, revision(article, 1), by=editor)

    article.refresh_from_db()
    assert article.section is None
    assert [b.author for b in article.bylines.all()] == [author]


def test_reporter_restores_their_own_draft():
    reporter = make_reporter()
    article = rewritten(reporter)
    revisions.restore(article, revision(article, 1), by=reporter)
    assert Article.objects.get(pk=article.pk).headline == "Troops arrive for Zapad-2017"


@pytest.mark.parametrize("whose", ["someone else's draft", "own published story"])
def test_reporter_may_not_restore(whose):
    reporter = make_reporter()
    if whose == "own published story":
        article = publish(rewritten(reporter), at=PAST)
    else:
        article = rewritten(make_reporter("other"))
    count = article.revisions.count()

    with pytest.raises(PermissionDenied):
        revisions.restore(article, revision(article, 1), by=reporter)

    assert Article.objects.get(pk=article.pk).headline == "Exercise postponed"
    assert article.revisions.count() == count


# Admin pages


@pytest.fixture
def story():
    return rewritten(make_reporter("writer"))


PAGES = [
    ("revisions", (), {}),
    ("revisions_compare", (), {"a": 1, "b": 2}),
    ("revision_restore", (1,), {}),
]


@pytest.mark.parametrize(("name", "args", "query"), PAGES)
def test_revision_pages_answer_an_editor(client, story, name, args, query):
    client.force_login(make_editor())
    response = client.get(admin_url(name, story, *args), query)
    assert response.status_code == 200
    assert "Exercise postponed" in response.text


@pytest.mark.parametrize(("name", "args", "query"), PAGES)
def test_revision_pages_refuse_staff_without_article_permission(client, story, name, args, query):
    client.force_login(make_user("tagger", "Taxonomy staff"))
    assert client.get(admin_url(name, story, *args), query).status_code == 403
    assert client.post(admin_url(name, story, *args), query).status_code == 403


@pytest.mark.parametrize(("name", "args", "query"), PAGES)
def test_revision_pages_send_anonymous_readers_to_log_in(client, story, name, args, query):
    response = client.get(admin_url(name, story, *args), query)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_revision_list_shows_time_in_the_newsroom_zone(client, settings, story):
    settings.TIME_ZONE = "Europe/Moscow"
    story.revisions.filter(number=1).update(created_at=PAST)
    User.objects.filter(username="writer").update(first_name="Olga", last_name="Ivanova")
    client.force_login(make_editor())

    page = client.get(admin_url("revisions", story)).text

    assert "Saved (Europe/Moscow)" in page
    assert "2017-09-14 12:00:00 MSK" in page
    assert "Olga Ivanova" in page
    assert admin_url("revision_restore", story, 1) in page


def test_compare_page_highlights_changed_rows(client, story):
    client.force_login(make_editor())
    page = client.get(admin_url("revisions_compare", story), {"b": 1, "a": 2}).text
    assert page.count('<tr class="changed">') == 4
    assert "<del>Troops arrive for Zapad-2017</del>" in page
    assert "<ins>Exercise postponed</ins>" in page


def test_editor_restores_from_the_admin(client, story):
    client.force_login(make_editor())
    response = client.post(admin_url("revision_restore", story, 1), {"version": story.version})

    assert response.status_code == 302
    assert response.url == admin_url("change", story)
    assert messages_of(response)[0].startswith("Restored revision 1.")
    story.refresh_from_db()
    assert story.headline == "Troops arrive for Zapad-2017"
    assert story.revisions.count() == 3


def test_restore_confirmed_before_someone_else_saved_is_refused(client, story):
    client.force_login(make_editor())
    opened_at = story.version
    edit(story, by=User.objects.get(username="writer"), headline="Newest")

    response = client.post(admin_url("revision_restore", story, 1), {"version": opened_at})

    assert response.url == admin_url("revisions", story)
    assert messages_of(response)[0].startswith("Not restored: someone saved")
    assert Article.objects.get(pk=story.pk).headline == "Newest"


def test_forged_restore_by_another_reporter_is_refused(client, story):
    client.force_login(make_reporter())
    response = client.post(admin_url("revision_restore", story, 1))

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert messages_of(response) == ["Not restored: You may not edit this story."]
    assert Article.objects.get(pk=story.pk).headline == "Exercise postponed"
    assert story.revisions.count() == 2


def test_forged_restore_of_a_published_story_by_its_reporter_is_refused(client, story):
    publish(story, at=PAST)
    client.force_login(User.objects.get(username="writer"))
    response = client.post(admin_url("revision_restore", story, 1))

    assert response.status_code in (302, 403)
    assert Article.objects.get(pk=story.pk).headline == "Exercise postponed"
    assert story.revisions.count() == 3


def test_revision_list_queries_stay_the_same_with_more_revisions(client, story):
    client.force_login(make_editor())
    url = admin_url("revisions", story)
    client.get(url)  # the first request also loads the session and content types
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    writer = User.objects.get(username="writer")
    for n in range(10):
        edit(story, by=writer, headline=f"Take {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_every_field_of_a_story_is_kept_by_revisions_or_named_as_not_restored():
    columns = {field.attname for field in Article._meta.concrete_fields}
    kept = set(revisions.FIELDS)

    assert columns - kept - revisions.NOT_RESTORED == set()  # a new field must be placed
    assert kept & revisions.NOT_RESTORED == set()
    assert kept <= columns


def test_restoring_brings_back_the_printed_dateline_and_urgency():
    editor = make_editor()
    article = write(
        by=editor, dateline_override="ABOARD AIR FORCE ONE", dateline_date_text="Monday", urgency=2
    )
    edit(article, by=editor, dateline_override="", dateline_date_text="", urgency=5)

    revisions.restore(article, revision(article, 1), by=editor)

    article.refresh_from_db()
    assert (article.dateline_override, article.dateline_date_text, article.urgency) == (
        "ABOARD AIR FORCE ONE",
        "Monday",
        2,
    )
    rows = {row.label: row for row in revisions.compare(revision(article, 2), revision(article, 3))}
    assert rows["Dateline override"].changed and rows["Dateline override"].new == "ABOARD AIR FORCE ONE"
