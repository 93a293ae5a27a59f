"""
The front page and the banner with the page cache on: an arrangement shows
at once, a slotted story appears at its time, and no cached page keeps a
banner past its end.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles import workflow
from articles.models import Banner
from tests.factories import make_article, make_editor, make_live, make_reporter
from tests.frontpage.helpers import arrange

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

MINUTE = datetime.timedelta(minutes=1)
SECOND = datetime.timedelta(seconds=1)


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Page-Cache"], response.content.decode()


def test_a_new_arrangement_renders_the_front_page_again_and_no_other(client, desk):
    chosen = make_live(headline="Chosen lead", published_at=timezone.now() - 60 * MINUTE)
    desk(workflow.publish, make_article(headline="Newest"))
    served(client, "/"), served(client, "/news/")
    assert served(client, "/")[0] == "hit"

    desk(arrange, lead=chosen)

    outcome, html = served(client, "/")
    assert outcome == "miss" and html.index("Chosen lead") < html.index("Newest")
    assert served(client, "/news/")[0] == "hit"


def test_a_slotted_scheduled_story_appears_at_its_time_though_the_page_is_cached(client, desk):
    now = timezone.now().replace(microsecond=0)
    at = now + MINUTE
    with time_machine.travel(now, tick=False):
        desk(workflow.publish, make_article(headline="Old news"))
        scheduled = make_article(headline="Due in a minute")
        desk(workflow.publish, scheduled, at=at)
        desk(arrange, lead=scheduled)
        assert "Due in a minute" not in served(client, "/")[1]
    with time_machine.travel(at - SECOND, tick=False):
        assert "Due in a minute" not in served(client, "/")[1]
    with time_machine.travel(at + SECOND, tick=False):
        html = served(client, "/")[1]
        assert html.index("Due in a minute") < html.index("Old news")


def test_no_cached_page_shows_a_banner_before_its_start_or_after_its_end(client, desk):
    now = timezone.now().replace(microsecond=0)
    starts, ends = now + MINUTE, now + 5 * MINUTE
    urls = ["/", "/news/", "/corrections/"]
    with time_machine.travel(now, tick=False):
        desk(workflow.publish, make_article(headline="Old news"))
        desk(workflow.set_banner, Banner(text="Polls are closing", starts_at=starts, ends_at=ends))
        for url in urls:
            assert "Polls are closing" not in served(client, url)[1]
            assert served(client, url)[0] == "hit"
    with time_machine.travel(starts + SECOND, tick=False):
        for url in urls:
            assert "Polls are closing" in served(client, url)[1], url
    with time_machine.travel(ends + SECOND, tick=False):
        for url in urls:
            assert "Polls are closing" not in served(client, url)[1], url


def test_ending_a_banner_takes_it_off_every_cached_page_at_once(client, desk):
    desk(workflow.publish, make_article(headline="Old news"))
    banner = Banner(text="Storm warning", ends_at=timezone.now() + 60 * MINUTE)
    desk(workflow.set_banner, banner)
    assert "Storm warning" in served(client, "/news/")[1]
    desk(workflow.end_banner, banner)
    assert "Storm warning" not in served(client, "/news/")[1]


def test_only_editors_arrange_or_set_the_banner():
    reporter = make_reporter()
    with pytest.raises(PermissionDenied):
        arrange(reporter, lead=make_live())
    with pytest.raises(PermissionDenied):
        workflow.set_banner(Banner(text="No", ends_at=timezone.now() + MINUTE), by=reporter)
    assert make_editor("chief").has_perm("articles.arrange_front_page")
