"""
End to end, in a real browser (Debian's Chromium driven by Playwright): a
reporter files a story, an editor sends it back, the reporter fixes and
resubmits it, the editor schedules it a minute ahead; a reader cannot see it
until that minute has passed, then finds it everywhere.

Then an editor arranges the front page (a lead, top stories, one of them
scheduled): readers see the scheduled story take its slot at its time, and
the withdrawn lead leave its slot.

And an editor places a pull quote, an embed and a table with the editor's
toolbar; readers' browsers ask nothing of the embed's provider until a
click frames its player. And a picture from the library, which readers
see with the library's caption.

Screenshots of the key screens (the front page and a story page at 390 px and 1280 px too)
are saved in tests/artifacts/browser/.
"""

import datetime
import os
import shutil
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from articles.models import Agency, Article, Author, Banner, Place, Section, Status
from tests.factories import make_user

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent / "artifacts" / "browser"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs the chromium package.")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the test makes between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def newsroom():
    users = {
        "reporter": make_user("anna", "Reporter", first_name="Anna", last_name="Volkova"),
        "editor": make_user("boris", "Editor", first_name="Boris", last_name="Petrov"),
    }
    Place.objects.create(name="MOSCOW", slug="moscow", country="Russia", time_zone="Europe/Moscow")
    Agency.objects.create(name="TASS", mark="/TASS/")
    Section.objects.create(name="World", slug="world")
    Author.objects.create(name="Anna Volkova", slug="anna-volkova")
    return users


# Every Content-Security-Policy violation any page of the test reports.
VIOLATIONS = []
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || location.pathname}:${event.lineNumber}`);
});
"""


@pytest.fixture(autouse=True)
def no_csp_violations():
    VIOLATIONS.clear()
    yield
    assert VIOLATIONS == []


def watched(page):
    """``page``, reporting what the site's Content-Security-Policy blocks."""
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: VIOLATIONS.append(f"{page.url}: {message.text}")
        if "CSP violation" in message.text or "Content Security Policy" in message.text
        else None,
    )
    return page


class Desk:
    """One person's browser window on the admin, signing in through the throttle."""

    def __init__(self, browser, base_url, username):
        self.page = watched(browser.new_page(viewport={"width": 1280, "height": 1000}))
        self.base_url = base_url
        self.page.goto(f"{base_url}/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", "pw")
        self.page.click("input[type=submit]")
        expect(self.page.locator("#site-name")).to_be_visible()

    def open_story(self, article):
        self.page.goto(f"{self.base_url}/admin/articles/article/{article.pk}/change/")

    def pick(self, select_id, text, typed=None):
        """Choose ``text`` in one of the admin's autocomplete selects, typing ``typed`` (its start)."""
        self.page.click(f"#{select_id} + .select2")
        self.page.fill(".select2-container--open .select2-search__field", typed or text[:3])
        self.page.click(f".select2-results__option:has-text('{text}')")

    def press(self, label):
        self.page.click(f"button[name=_action]:has-text('{label}')")
        expect(self.page.locator(".messagelist")).to_be_visible()

    def shot(self, name):
        self.page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def reader_sees(browser, url):
    page = watched(browser.new_page())
    response = page.goto(url)
    text = page.content()
    page.close()
    return response.status, text


def test_story_from_reporter_to_reader(browser, live_server, newsroom):
    base = live_server.url

    # The reporter writes a story with a dateline and a byline, and submits it.
    anna = Desk(browser, base, "anna")
    anna.page.goto(f"{base}/admin/articles/article/add/")
    anna.page.fill("#id_headline", "Moscow metro opens three new stations")
    anna.page.fill("#id_standfirst", "The stations serve the city's south-west.")
    anna.page.locator(".field-body .ProseMirror:visible").click()
    anna.page.keyboard.type("Three new metro stations opened on Saturday.")
    anna.pick("id_place", "MOSCOW")
    anna.pick("id_agency", "TASS")
    anna.pick("id_section", "World")
    anna.pick("id_bylines-0-author", "Anna Volkova")
    anna.page.fill("#id_bylines-0-role", "Reporting by")
    anna.shot("1-reporter-writes")
    anna.press("Submit for review")
    article = Article.objects.get()
    assert (article.status, article.created_by) == (Status.IN_REVIEW, newsroom["reporter"])
    assert article.dateline_text.startswith("MOSCOW, ")

    # The editor sends it back with a note.
    boris = Desk(browser, base, "boris")
    boris.page.goto(f"{base}/admin/")
    expect(boris.page.locator(".budget")).to_contain_text("Moscow metro opens three new stations")
    boris.shot("2-editor-budget")
    boris.open_story(article)
    boris.page.fill("#id_note", "Name the stations, please.")
    boris.press("Send back to reporter")
    article.refresh_from_db()
    assert article.status == Status.DRAFT

    # The reporter sees the note, fixes the story and resubmits it.
    anna.open_story(article)
    expect(anna.page.locator("#events-group")).to_contain_text("Name the stations, please.")
    anna.page.locator(".field-body .ProseMirror:visible").click()
    anna.page.keyboard.press("End")
    anna.page.keyboard.type(" They are Aminyevskaya, Michurinsky Prospekt and Ozyornaya.")
    anna.shot("3-reporter-fixes")
    anna.press("Submit for review")
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert "Ozyornaya" in article.body

    # The editor schedules it a minute ahead, in the newsroom's time.
    at = (timezone.localtime() + datetime.timedelta(minutes=1)).replace(microsecond=0)
    boris.open_story(article)
    boris.page.fill("#id_publish_at_0", f"{at:%Y-%m-%d}")
    boris.page.fill("#id_publish_at_1", f"{at:%H:%M:%S}")
    boris.press("Publish (or schedule)")
    expect(boris.page.locator(".messagelist")).to_contain_text("Scheduled")
    boris.shot("4-editor-schedules")
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.PUBLISHED, at)

    story_url = f"{base}{article.get_absolute_url()}"
    listings = [f"{base}/", f"{base}/{at:%Y/%m/%d}/", f"{base}/datelines/moscow/"]

    # Before its time, readers get nothing.
    with time_machine.travel(at - datetime.timedelta(seconds=1), tick=False):
        assert reader_sees(browser, story_url)[0] == 404
        for url in listings:
            assert "Moscow metro opens" not in reader_sees(browser, url)[1], url

    # After it, the story is on the front page, the day and the dateline.
    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        for url in listings:
            status, text = reader_sees(browser, url)
            assert status == 200 and "Moscow metro opens three new stations" in text, url
        reader = watched(browser.new_page())
        assert reader.goto(story_url).status == 200
        expect(reader.locator(".dateline")).to_have_text(article.dateline_text)
        expect(reader.locator(".byline")).to_contain_text("Reporting by Anna Volkova")
        reader.screenshot(path=SHOTS / "5-reader-finds-it.png", full_page=True)


def test_editor_arranges_the_front_page_and_readers_follow_it(browser, live_server):
    from articles import search, workflow
    from tests.factories import make_article, make_live, make_picture

    # A superuser: the groups a data migration made are gone after the first test's flush.
    base, editor = live_server.url, make_user("chief", is_superuser=True)
    now = timezone.now().replace(microsecond=0)
    world = Section.objects.create(name="World", slug="world")
    newest = make_live(
        headline="Newest wire story", published_at=now - datetime.timedelta(minutes=5), section=world,
        standfirst="Ice closed the port for a week.", body="<p>MURMANSK. The port reopened on Monday.</p>",
        picture=make_picture(caption="The port at dawn.", credit="Olga Smirnova / Newsroom", alt_text="Cranes over ice"),
    )  # fmt: skip
    lead = make_live(headline="Parliament passes the budget", published_at=now - datetime.timedelta(hours=3))
    top = make_live(headline="Floods close the Trans-Siberian line", published_at=now - datetime.timedelta(hours=4))
    at = now + datetime.timedelta(minutes=2)
    due = make_article(headline="Election night results")
    workflow.publish(due, by=editor, at=at)
    for story in (lead, top):
        search.index(story)  # the story pickers search the index, as workflow keeps it

    # The editor arranges the lead and top stories, the scheduled story among them.
    boris = Desk(browser, base, "chief")
    boris.page.goto(f"{base}/admin/front-page/")
    # Stories are found by whole words (PostgreSQL's full-text search), not by a word's start.
    boris.pick("id_lead", "Parliament passes the budget", "Parliament")
    boris.pick("id_top", "Election night results", "Election")
    boris.pick("id_top", "Floods close the Trans-Siberian line", "Floods")
    boris.page.fill("#id_top_size", "2")
    boris.shot("6-editor-arranges-front-page")
    boris.page.click("input[name=_save]")
    expect(boris.page.locator(".messagelist")).to_contain_text("The front page is saved")
    expect(boris.page.locator("#front-page-history")).to_contain_text("Parliament passes the budget")

    def front(width=1280):
        reader = watched(browser.new_page(viewport={"width": width, "height": 900}))
        reader.goto(f"{base}/")
        return reader

    # Before its time the scheduled story's slot shows the newest story.
    reader = front()
    expect(reader.locator(".lead")).to_contain_text("Parliament passes the budget")
    expect(reader.locator(".top-stories")).to_contain_text("Floods close the Trans-Siberian line")
    expect(reader.locator(".top-stories")).to_contain_text("Newest wire story")
    expect(reader.locator("main")).not_to_contain_text("Election night results")
    reader.close()

    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        reader = front()
        expect(reader.locator(".top-stories li").first).to_contain_text("Election night results")
        reader.close()

        # A withdrawn lead leaves its slot: the newest live story not shown elsewhere leads.
        workflow.withdraw(lead, by=editor, reason="Figures were wrong.")
        Banner.objects.create(
            text="Polls have closed", link="/news/", ends_at=at + datetime.timedelta(hours=1), created_by=editor
        )
        for width in (390, 1280):
            reader = front(width)
            expect(reader.locator(".lead")).to_contain_text("Newest wire story")
            expect(reader.locator(".top-stories")).to_contain_text("Election night results")
            expect(reader.locator("main")).not_to_contain_text("Parliament passes the budget")
            expect(reader.locator(".breaking")).to_contain_text("Polls have closed")
            reader.screenshot(path=SHOTS / f"7-front-page-{width}px.png", full_page=True)
            reader.close()
        # A story page, with its picture in the rendition the width needs, as a reader sees it.
        for width in (390, 1280):
            reader = watched(browser.new_page(viewport={"width": width, "height": 900}))
            reader.goto(f"{base}{newest.get_absolute_url()}")
            expect(reader.locator("h1")).to_have_text("Newest wire story")
            expect(reader.locator("figure img")).to_have_attribute("alt", "Cranes over ice")
            expect(reader.locator("figcaption")).to_contain_text("The port at dawn.")
            reader.screenshot(path=SHOTS / f"8-story-page-{width}px.png", full_page=True)
            reader.close()


def test_editor_places_a_pull_quote_an_embed_and_a_table_and_the_embed_loads_on_a_click(
    browser, live_server
):
    base, video = live_server.url, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    make_user("chief", is_superuser=True)
    boris = Desk(browser, base, "chief")
    page = boris.page
    page.goto(f"{base}/admin/articles/article/add/")
    page.fill("#id_headline", "Turnout rises in every region")
    body = page.locator(".field-body .ProseMirror:visible")
    body.click()
    page.keyboard.type("Turnout rose everywhere.")
    page.keyboard.press("Enter")
    page.keyboard.type("We will count every vote.")
    page.click(".field-body button[data-name=pullQuote]")

    # The embed, after the first paragraph: an address from elsewhere is refused first.
    body.locator("p").first.click()
    page.keyboard.press("End")
    page.click(".field-body button[data-name=embed]")
    page.fill("dialog.prose-editor-dialog input[name=url]", "https://evil.example/video")
    page.click("dialog.prose-editor-dialog button[type=submit]")
    expect(page.locator("dialog.prose-editor-dialog h3")).to_contain_text("Not an address")
    page.fill("dialog.prose-editor-dialog input[name=url]", video)
    page.click("dialog.prose-editor-dialog button[type=submit]")
    expect(body.locator(".embed-in-editor")).to_contain_text("YouTube video")

    # A table at the end: three by three, the first cell typed in.
    body.locator("aside p").click()
    page.keyboard.press("End")
    page.click(".field-body button[data-name=table]")
    page.click("dialog.prose-editor-dialog button[type=submit]")
    page.keyboard.type("Region")
    boris.shot("9-editor-places-embed-table-pull-quote")
    boris.press("Publish (or schedule)")

    story = Article.objects.get()
    assert story.body.startswith(
        "<p>Turnout rose everywhere.</p>"
        f'<figure class="embed" data-embed="youtube" data-url="{video}"><a href="{video}">{video}</a></figure>'
        '<aside class="pull-quote"><p>We will count every vote.</p></aside>'
    )
    assert "<table><tbody><tr><td><p>Region</p></td>" in story.body

    # Readers: nothing is asked of YouTube until the click, then its player is framed.
    reader = watched(browser.new_page())
    asked = []
    reader.on("request", lambda request: asked.append(request.url))
    reader.goto(f"{base}{story.get_absolute_url()}")
    expect(reader.locator(".pull-quote")).to_have_text("We will count every vote.")
    expect(reader.locator(".body table td").first).to_have_text("Region")
    expect(reader.locator("iframe")).to_have_count(0)
    assert [url for url in asked if not url.startswith(base)] == []
    reader.click("a.embed-load")
    frame = reader.locator("figure.embed iframe")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    expect(frame).to_have_attribute("title", "YouTube video")
    reader.screenshot(path=SHOTS / "10-reader-loads-the-embed.png", full_page=True)


def test_editor_places_a_picture_from_the_library_and_readers_see_it_with_its_caption(browser, live_server):
    from tests.factories import make_picture

    base = live_server.url
    make_user("chief", is_superuser=True)
    make_picture(caption="Icebreaker in the Kara Sea", credit="Olga Smirnova / Newsroom", alt_text="A red icebreaker")
    boris = Desk(browser, base, "chief")
    page = boris.page
    page.goto(f"{base}/admin/articles/article/add/")
    page.fill("#id_headline", "Arctic route opens early")
    body = page.locator(".field-body .ProseMirror:visible")
    body.click()
    page.keyboard.type("The route opened a month early.")

    page.click(".field-body button[data-name=libraryPicture]")
    dialog = page.locator("dialog.library-picture-dialog")
    dialog.locator("input[type=search]").fill("Icebreaker")
    dialog.locator("button.library-picture-result").first.click()
    dialog.get_by_role("button", name="Insert").click()
    expect(body.locator(".library-picture")).to_contain_text("Icebreaker in the Kara Sea")
    boris.shot("11-editor-places-a-library-picture")
    boris.press("Publish (or schedule)")

    story = Article.objects.get()
    assert '<figure data-picture="' in story.body
    reader = watched(browser.new_page())
    reader.goto(f"{base}{story.get_absolute_url()}")
    figure = reader.locator(".body figure").first
    expect(figure.locator("img")).to_have_attribute("alt", "A red icebreaker")
    expect(figure).to_contain_text("Icebreaker in the Kara Sea")
    reader.close()
