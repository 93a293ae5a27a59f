import datetime
import zoneinfo

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article, Banner, Place, Status, Tag, WireSource
from tests.factories import (
    article_form_data,
    make_agency,
    make_article,
    make_author,
    make_editor,
    make_live,
    make_picture,
    make_place,
    make_reporter,
    make_section,
    make_user,
    publish,
)

pytestmark = pytest.mark.django_db

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
HOUR = datetime.timedelta(hours=1)

# model name -> (a way to make one, a word to search it by)
def make_saved_article():
    """A story with its search document, as workflow leaves it after a save."""
    article = make_article(headline="Harvest record in Kuban")
    search.index(article)
    return article


ADMIN_OBJECTS = {
    "article": (make_saved_article, "Kuban"),
    "section": (lambda: make_section(name="Economy"), "Econ"),
    "agency": (lambda: make_agency(name="TASS", mark="/TASS/"), "TASS"),
    "place": (lambda: make_place(name="VLADIVOSTOK", country="Russia"), "vladivostok"),
    "author": (lambda: make_author(name="Ivan Petrov", job_title="Correspondent"), "Petrov"),
    "tag": (lambda: Tag.objects.create(name="Elections"), "elect"),
    "wiresource": (lambda: WireSource.objects.create(name="TASS by FTP", address="/srv/tass"), "ftp"),
    "banner": (lambda: Banner.objects.create(text="Polls close", ends_at=timezone.now() + HOUR), "polls"),
    "picture": (lambda: make_picture(caption="Ice on the Neva", size=(320, 240)), "neva"),
}


def admin_url(name, *args):
    return reverse(f"admin:articles_{name}", args=args)


def post_article(client, article=None, **fields):
    url = admin_url("article_change", article.pk) if article else admin_url("article_add")
    return client.post(url, article_form_data(article, **fields))


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_every_articles_model_admin_has_page_tests():
    models = apps.get_app_config("articles").get_models()
    registered = {model._meta.model_name for model in models if admin.site.is_registered(model)}
    assert registered == set(ADMIN_OBJECTS)


@pytest.mark.parametrize("model_name", ADMIN_OBJECTS)
def test_admin_pages_open_for_superuser(admin_client, model_name):
    make, term = ADMIN_OBJECTS[model_name]
    obj = make()

    changelist = admin_url(f"{model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    found = admin_client.get(changelist, {"q": term})
    missed = admin_client.get(changelist, {"q": "zzxq"})
    assert (found.status_code, missed.status_code) == (200, 200)
    assert list(found.context["cl"].result_list) == [obj]
    assert missed.context["cl"].result_count == 0
    assert admin_client.get(admin_url(f"{model_name}_add")).status_code == 200
    change = admin_client.get(admin_url(f"{model_name}_change", obj.pk))
    assert change.status_code == 200
    assert change.context["original"] == obj


def test_change_form_shows_dateline_in_place_time_zone(admin_client):
    # 22:30 UTC on 13 September is already 14 September in Moscow.
    article = make_live(
        place=make_place(name="MOSCOW", time_zone="Europe/Moscow"),
        agency=make_agency(name="TASS", mark="/TASS/"),
        published_at=datetime.datetime(2017, 9, 13, 22, 30, tzinfo=datetime.UTC),
    )
    response = admin_client.get(admin_url("article_change", article.pk))
    assert "MOSCOW, September 14. /TASS/." in response.content.decode()


def test_add_form_saves_a_draft_with_its_byline(admin_client, admin_user):
    author = make_author(name="Anna Ivanova")
    response = post_article(
        admin_client,
        headline="Ice breaks early on the Neva",
        standfirst="A warm March.",
        body="<p>The ice broke.</p>",
        bylines=[(author, "Reporting by")],
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.headline == "Ice breaks early on the Neva"
    assert article.slug == "ice-breaks-early-on-the-neva"
    assert (article.status, article.published_at) == (Status.DRAFT, None)
    assert article.created_by == article.updated_by == admin_user
    assert [(b.author, b.role) for b in article.bylines.all()] == [(author, "Reporting by")]
    assert not article.events.exists()  # saving text is not an editorial action


def test_publish_button_with_blank_time_publishes_now(admin_client, client, admin_user):
    before = timezone.now()
    response = post_article(admin_client, headline="Budget passed", _action="publish")
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Status.PUBLISHED
    assert before <= article.published_at <= timezone.now()
    event = article.events.get()
    assert (event.action, event.from_status, event.to_status) == ("publish", "draft", "published")
    assert (event.by, event.publication_time) == (admin_user, article.published_at)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert any("Published." in text for text in message_texts(response))


def test_publish_button_with_future_time_schedules(admin_client, client, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=3), MOSCOW)
    when = when.replace(hour=12, minute=0, second=0, microsecond=0)
    response = post_article(
        admin_client,
        headline="Summit opens",
        publish_at_0=f"{when:%Y-%m-%d}",
        publish_at_1="12:00:00",
        _action="publish",
    )
    assert response.status_code == 302
    article = Article.objects.get()
    # The time typed is the newsroom's (Moscow, UTC+3), stored in UTC.
    assert article.published_at == when
    assert article.published_at.astimezone(datetime.UTC).hour == 9
    assert article.status == Status.PUBLISHED
    assert article.events.get().action == "schedule"
    assert client.get(article.get_absolute_url()).status_code == 404
    assert not Article.objects.live().exists()
    assert list(Article.objects.live(at=when + datetime.timedelta(minutes=1))) == [article]
    assert any("Scheduled" in text for text in message_texts(response))


def test_unpublish_button_returns_a_scheduled_story_to_draft(admin_client, admin_user):
    article = publish(make_article(headline="Wrong figures"), at=timezone.now() + HOUR)

    response = post_article(admin_client, article, _action="unpublish")
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.DRAFT, None)
    event = article.events.first()
    assert (event.action, event.from_status, event.to_status, event.by) == (
        "unpublish", "published", "draft", admin_user,
    )  # fmt: skip


def test_a_public_story_is_withdrawn_not_unpublished(admin_client, client):
    article = publish(make_article(headline="Wrong figures"))
    url = article.get_absolute_url()

    response = post_article(admin_client, article, _action="unpublish")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert any("withdraw it instead" in text for text in message_texts(response))

    post_article(admin_client, article, _action="withdraw", note="Figures were wrong")
    article.refresh_from_db()
    assert article.status == Status.WITHDRAWN
    assert article.events.first().note == "Figures were wrong"
    assert client.get(url).status_code == 410


def test_saving_a_live_story_keeps_its_publication_time(admin_client):
    article = publish(make_article(headline="Quake off Kamchatka"))
    published_at = article.published_at

    response = post_article(admin_client, article, headline="Strong quake off Kamchatka")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Strong quake off Kamchatka"
    assert article.published_at == published_at
    assert list(article.events.values_list("action", flat=True)) == ["publish"]


def test_changing_the_time_of_a_published_story_reschedules_it(admin_client):
    article = publish(make_article())
    later = timezone.localtime(article.published_at + datetime.timedelta(days=2))
    later = later.replace(second=0, microsecond=0)

    post_article(
        admin_client, article, publish_at_0=f"{later:%Y-%m-%d}", publish_at_1=f"{later:%H:%M:%S}"
    )
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.PUBLISHED, later)
    assert article.events.first().action == "reschedule"


# Permissions: each role against each action


def test_reporter_writes_drafts_but_sees_no_publish_button(client):
    reporter = make_reporter()
    client.force_login(reporter)
    response = client.get(admin_url("article_add"))
    assert response.status_code == 200
    assert 'value="publish"' not in response.content.decode()

    assert post_article(client, headline="Floods in Yakutia").status_code == 302
    article = Article.objects.get()
    assert post_article(client, article, headline="Floods in Yakutsk").status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.status, article.created_by) == (
        "Floods in Yakutsk", Status.DRAFT, reporter,
    )  # fmt: skip


def test_reporter_forging_publish_leaves_a_draft_and_an_error(client):
    client.force_login(make_reporter())
    response = post_article(client, headline="Leaked budget", _action="publish")
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.headline == "Leaked budget"
    assert (article.status, article.published_at) == (Status.DRAFT, None)
    assert not article.events.exists()
    assert any("not published" in text for text in message_texts(response))


def test_reporter_cannot_change_a_published_story(client):
    article = publish(make_article(headline="Final score"))
    client.force_login(make_reporter())
    response = post_article(client, article, headline="Changed score")
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Final score"
    form = client.get(admin_url("article_change", article.pk))
    assert form.status_code == 200  # may read it
    assert 'name="_save"' not in form.content.decode()


@pytest.mark.parametrize("role, publishes", [("Reporter", False), ("Editor", True)])
def test_publish_button_by_role(client, role, publishes):
    client.force_login(make_user("staffer", role))
    article = make_article()
    form = client.get(admin_url("article_change", article.pk)).content.decode()
    assert ('value="publish"' in form) is publishes

    post_article(client, article, _action="publish")
    article.refresh_from_db()
    assert article.status == (Status.PUBLISHED if publishes else Status.DRAFT)


def test_editor_can_unpublish_a_scheduled_story(client):
    editor = make_editor()
    article = publish(make_article(), at=timezone.now() + HOUR)
    client.force_login(editor)
    post_article(client, article, _action="unpublish")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.events.first().by == editor


@pytest.mark.parametrize("model_name", ["section", "agency", "place", "author", "tag"])
def test_taxonomy_staff_manage_taxonomy(client, model_name):
    client.force_login(make_user("librarian", "Taxonomy staff"))
    obj = ADMIN_OBJECTS[model_name][0]()
    assert client.get(admin_url(f"{model_name}_changelist")).status_code == 200
    assert client.get(admin_url(f"{model_name}_add")).status_code == 200
    change = client.get(admin_url(f"{model_name}_change", obj.pk))
    assert 'name="_save"' in change.content.decode()


def test_taxonomy_staff_add_a_place_with_a_real_time_zone(client):
    client.force_login(make_user("librarian", "Taxonomy staff"))
    data = {"name": "ROCKFORD", "slug": "rockford", "region": "Ill.", "country": "USA"}
    refused = client.post(admin_url("place_add"), {**data, "time_zone": "Mars/Olympus"})
    assert "is not a time zone name" in str(refused.context["adminform"].form.errors)
    response = client.post(admin_url("place_add"), {**data, "time_zone": "America/Chicago"})
    assert response.status_code == 302
    assert str(Place.objects.get()) == "ROCKFORD, Ill."


def test_taxonomy_staff_cannot_write_articles(client):
    client.force_login(make_user("librarian", "Taxonomy staff"))
    assert client.get(admin_url("article_add")).status_code == 403
    assert post_article(client, headline="Sneaked in").status_code == 403
    assert not Article.objects.exists()


# Tag merge


def test_merge_asks_which_tag_to_keep_then_merges(admin_client):
    keep = Tag.objects.create(name="Elections")
    plural, other = Tag.objects.create(name="Election"), Tag.objects.create(name="Vote 2024")
    # Published: the tag list counts the stories readers see under each tag.
    only_duplicate = make_live(tags=[plural])
    carries_all = make_live(tags=[keep, plural, other])
    only_keep = make_live(tags=[keep])
    make_live(tags=[keep])
    selected = {"action": "merge", "_selected_action": [keep.pk, plural.pk, other.pk]}

    page = admin_client.post(admin_url("tag_changelist"), selected)
    assert page.status_code == 200
    # Most used first, and preselected.
    assert [tag.name for tag in page.context["tags"]] == ["Elections", "Election", "Vote 2024"]
    assert f'value="{keep.pk}" checked' in page.content.decode()
    assert Tag.objects.count() == 3  # nothing merged before the choice

    response = admin_client.post(admin_url("tag_changelist"), {**selected, "keep": keep.pk})
    assert response.status_code == 302
    assert list(Tag.objects.all()) == [keep]
    for article in (only_duplicate, carries_all, only_keep):
        assert list(article.tags.all()) == [keep]
    assert keep.tagged_articles.count() == 4


def test_merge_needs_two_tags(admin_client):
    tag = Tag.objects.create(name="Sport")
    make_article(tags=[tag])
    data = {"action": "merge", "_selected_action": [tag.pk], "keep": tag.pk}
    response = admin_client.post(admin_url("tag_changelist"), data)
    assert response.status_code == 302
    assert list(Tag.objects.all()) == [tag]
    assert any("at least two" in text for text in message_texts(response))


def test_reporter_cannot_merge_tags(client):
    a, b = Tag.objects.create(name="Sport"), Tag.objects.create(name="Sports")
    client.force_login(make_reporter())
    data = {"action": "merge", "_selected_action": [a.pk, b.pk], "keep": a.pk}
    client.post(admin_url("tag_changelist"), data)
    assert Tag.objects.count() == 2


# Preview and view on site


def test_preview_shows_a_draft_to_staff_never_cached_nor_indexed(admin_client):
    article = make_article(headline="Embargoed report")
    response = admin_client.get(admin_url("article_preview", article.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Embargoed report" in content
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "private"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in content


def test_preview_sends_anonymous_readers_to_login(client):
    url = admin_url("article_preview", make_article().pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_refuses_staff_without_article_access(client):
    client.force_login(make_user("librarian", "Taxonomy staff"))
    assert client.get(admin_url("article_preview", make_article().pk)).status_code == 403


def test_change_form_links_a_live_story_on_site(admin_client):
    article = make_live()
    content = admin_client.get(admin_url("article_change", article.pk)).content.decode()
    assert f'href="{article.get_absolute_url()}" class="viewsitelink"' in content


@pytest.mark.parametrize("status", ["draft", "scheduled"])
def test_change_form_has_no_site_link_for_hidden_story(admin_client, status):
    article = make_article()
    if status == "scheduled":
        publish(article, at=timezone.now() + datetime.timedelta(days=1))
    content = admin_client.get(admin_url("article_change", article.pk)).content.decode()
    assert "viewsitelink" not in content
