"""
The demo newsroom that `make run` loads. It is loaded once for the module
(drawing its pictures and making their renditions is most of the time it
takes), in a transaction each test runs inside and that is rolled back
after the last; each test's own changes are rolled back after it, as usual.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings

from articles.models import Article, Author, Place, Section, Tag

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """What the first load printed; the demo is in the database for every test here."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def media_root(settings, demo_media):
    """The demo's pictures stay where the module's load put them."""
    settings.MEDIA_ROOT = demo_media
    return demo_media

SEED_FILE = "000_8ed40d542d1fccef.txt"
SEED_URL = "/2017/09/14/russian-defense-ministry-confident-relations-with-nato-will-be-restored/"


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def sign_in(username, password):
    """authenticate() as the admin's sign-in calls it: with the request (the throttle needs it)."""
    request = RequestFactory().post("/admin/login/")
    return authenticate(request, username=username, password=password)


def printed_password(output, username):
    line = next(line for line in output.splitlines() if f"user: {username} " in line)
    return line.split("password:")[1].strip()


def test_seed_story_is_listed_by_date_and_dateline_and_reads_as_the_wire_did(client):
    assert "Russian Defense Ministry confident" in client.get("/2017/09/14/").content.decode()
    assert "Russian Defense Ministry confident" in client.get("/datelines/moscow/").content.decode()
    page = client.get(SEED_URL).content.decode()
    assert (
        '<span class="dateline">MOSCOW, September 14. /TASS/.</span> '
        "Russia will restore the former format of relations with NATO"
    ) in page
    # The dateline is data, not text left in the body.
    assert "/TASS/." not in Article.objects.get(slug=SEED_URL.split("/")[-2]).body


def test_loading_twice_duplicates_nothing():
    counts = [model.objects.count() for model in (Article, Author, Place, Section, Tag)]
    load_demo()
    assert [model.objects.count() for model in (Article, Author, Place, Section, Tag)] == counts
    assert counts[0] >= 10


def test_every_listing_has_something_to_show(client):
    article = Article.objects.live().filter(bylines__isnull=False).first()
    urls = [
        "/",
        "/news/",
        "/2017/",
        "/2017/09/",
        "/datelines/",
        article.place.get_absolute_url(),
        article.section.get_absolute_url(),
        article.tags.first().get_absolute_url(),
        article.bylines.first().author.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert article.headline in response.content.decode() or url == "/datelines/", url


def test_demo_includes_unpublished_stories_that_stay_hidden(client):
    hidden = Article.objects.exclude(pk__in=Article.objects.live())
    assert hidden.exists()
    front = client.get("/news/").content.decode()
    for article in hidden:
        assert article.headline not in front


def test_demo_accounts_get_a_fresh_random_password_on_every_run(demo):
    first = demo
    second = load_demo()
    for username in ("editor", "reporter"):
        old, new = printed_password(first, username), printed_password(second, username)
        assert old != new
        assert sign_in(username, new) is not None
        assert sign_in(username, old) is None
    editor = sign_in("editor", printed_password(second, "editor"))
    assert editor.has_perm("articles.publish_article")


def test_importing_the_seed_file_after_the_demo_adds_no_second_story():
    before = Article.objects.count()
    seed = Path(__file__).resolve().parent.parent / "articles" / "demo" / SEED_FILE
    call_command("import_wire", str(seed), stdout=StringIO(), stderr=StringIO())
    assert Article.objects.count() == before


def test_demo_stories_are_searchable_drafts_included():
    assert not Article.objects.filter(search_document="").exists()


def test_demo_passwords_pass_the_validators_that_refuse_weak_ones(demo):
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    output = demo

    for username in ["editor", "reporter"]:
        validate_password(printed_password(output, username), User.objects.get(username=username))
    for weak in ["newsroom", "rep2rep2", "editor2026", "123456789012"]:
        with pytest.raises(ValidationError):
            validate_password(weak, User.objects.get(username="editor"))


def test_demo_front_page_is_edited(client):
    html = client.get("/").content.decode()
    lead = html[html.index('class="lead"') : html.index("</section>")]
    # The lead is the seed story from 14 September, not the newest (25 September).
    assert "Russian Defense Ministry confident relations with NATO will be restored" in lead
    assert "India launches" not in lead
    assert "Russian foreign minister to visit London for talks" in html.split('class="top-stories"')[1]
    assert 'aria-labelledby="block-economy"' in html


def test_the_demo_shows_drawn_pictures_with_renditions_and_their_source(client):
    front = client.get("/").content.decode()
    assert front.count("<picture") >= 8
    assert 'type="image/webp"' in front and 'class="lead-picture"' in front
    story = Article.objects.live().exclude(picture=None).first()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "drawn for the demo" in page and "Newsroom demo" in page
    assert story.picture.source == "Demo (drawn with Pillow)"
    assert story.picture.renditions.filter(shape="lead").exists()
