"""The desk's front page screen, its preview, the story picker and the banner's admin."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import frontpage
from articles.models import Banner, FrontPageEvent, FrontSlot, Status
from tests.factories import make_article, make_editor, make_live, make_reporter, make_section
from tests.frontpage.helpers import arrange

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
SCREEN, PREVIEW = reverse("admin:front_page"), reverse("admin:front_page_preview")


def form_data(*, lead=None, top=(), top_size=4, blocks=()):
    """What the screen posts: ``blocks`` as (section, size, [stories])."""
    data = {
        "lead": lead.pk if lead else "",
        "top_size": top_size,
        "top": [story.pk for story in top],
        "blocks-TOTAL_FORMS": len(blocks),
        "blocks-INITIAL_FORMS": 0,
    }
    for n, (section, size, stories) in enumerate(blocks):
        data.update({f"blocks-{n}-section": section.pk, f"blocks-{n}-size": size, f"blocks-{n}-position": n})
        data[f"blocks-{n}-stories"] = [story.pk for story in stories]
    return data


@pytest.fixture
def desk(client):
    editor = make_editor()
    client.force_login(editor)
    return editor


def test_editor_arranges_the_front_page_on_one_screen(client, desk):
    economy = make_section(name="Economy")
    lead, top, block = make_live(headline="Lead"), make_live(headline="Top"), make_live(headline="Grain")
    response = client.post(SCREEN, form_data(lead=lead, top=[top], top_size=3, blocks=[(economy, 2, [block])]))
    assert response.status_code == 302
    saved = frontpage.stored()
    assert (saved.lead.chosen, saved.top.chosen, saved.top.size) == ([lead], [top], 3)
    assert [(b.section, b.size, b.chosen) for b in saved.sections] == [(economy, 2, [block])]
    event = FrontPageEvent.objects.get()
    assert (event.by, event.action) == (desk, "arrange")
    page = client.get(SCREEN).content.decode()
    assert "Lead (1): “Lead”; Top stories (3): “Top”; Economy (2): “Grain”" in page
    assert 'value="%d" selected' % lead.pk in page  # the choices are shown as saved


def test_top_stories_keep_the_order_they_were_chosen_in(client, desk):
    first, second, third = (make_live(headline=h) for h in ("First", "Second", "Third"))
    client.post(SCREEN, form_data(top=[third, first, second]))
    assert frontpage.stored().top.chosen == [third, first, second]


def test_a_section_has_one_block(client, desk):
    economy = make_section()
    response = client.post(SCREEN, form_data(blocks=[(economy, 2, []), (economy, 3, [])]))
    assert "Each section has one block." in response.content.decode()
    assert not FrontSlot.objects.exists() and not FrontPageEvent.objects.exists()


def test_drafts_cannot_be_placed(client, desk):
    draft = make_article(headline="Unfinished")
    response = client.post(SCREEN, form_data(lead=draft))
    assert response.status_code == 200
    assert response.context["form"].errors["lead"]
    assert not FrontPageEvent.objects.exists()


def test_story_picker_offers_published_and_scheduled_stories_only(client, desk):
    make_live(headline="Harvest live")
    make_article(headline="Harvest later", status=Status.PUBLISHED, published_at=timezone.now() + HOUR)
    make_article(headline="Harvest draft")
    params = {"app_label": "articles", "model_name": "frontslot", "field_name": "article", "term": ""}
    found = json.loads(client.get(reverse("admin:autocomplete"), params).content)
    assert sorted(item["text"] for item in found["results"]) == ["Harvest later", "Harvest live"]


def test_preview_shows_the_unsaved_arrangement_and_saves_nothing(client, desk):
    make_live(headline="Newest")
    chosen = make_live(headline="Chosen lead", published_at=timezone.now() - 5 * HOUR)
    later = make_article(headline="Tonight", status=Status.PUBLISHED, published_at=timezone.now() + HOUR)
    response = client.post(PREVIEW, form_data(lead=chosen, top=[later]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Chosen lead") < html.index("Newest")
    assert "“Tonight” is not live until" in html
    assert "no-cache" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    assert not FrontPageEvent.objects.exists()
    public = client.get(reverse("articles:front")).content.decode()
    assert public.index("Newest") < public.index("Chosen lead")  # readers still see the old lead


def test_reporters_cannot_arrange_preview_or_set_the_banner(client):
    client.force_login(make_reporter())
    story = make_live()
    assert client.get(SCREEN).status_code == 403
    assert client.post(SCREEN, form_data(lead=story)).status_code == 403
    assert client.post(PREVIEW, form_data(lead=story)).status_code == 403
    assert client.get(reverse("admin:articles_banner_add")).status_code == 403
    assert not FrontPageEvent.objects.exists()


# the session; the user; the user's and their groups' permissions; the
# blocks with their sections; their chosen stories; the sections for the
# blocks' menus; the banner; the history
SCREEN_QUERIES = 9


def test_screen_queries_stay_the_same_with_more_slots_and_blocks(client, desk, django_assert_num_queries):
    sections = [make_section() for _ in range(12)]
    stories = [make_live() for _ in range(12)]
    arrange(desk, lead=stories[0], top=stories[1:2], sections=[(sections[0], 2, stories[2:3])])
    with django_assert_num_queries(SCREEN_QUERIES):
        assert client.get(SCREEN).status_code == 200
    arrange(desk, lead=stories[0], top=stories[1:6], sections=[(s, 2, stories[6:9]) for s in sections])
    with django_assert_num_queries(SCREEN_QUERIES):
        assert client.get(SCREEN).status_code == 200


# The banner


def test_editor_puts_up_a_banner_and_ends_it(client, desk):
    ends = timezone.localtime() + HOUR
    response = client.post(
        reverse("admin:articles_banner_add"),
        {"text": "Polls close at 8pm", "link": "/sections/world/",
         "starts_at_0": f"{timezone.localtime():%Y-%m-%d}", "starts_at_1": "00:00:00",
         "ends_at_0": f"{ends:%Y-%m-%d}", "ends_at_1": f"{ends:%H:%M:%S}"},
    )  # fmt: skip
    assert response.status_code == 302
    banner = Banner.objects.get()
    assert banner.created_by == desk
    assert "Polls close at 8pm" in client.get(reverse("articles:index")).content.decode()

    changelist = reverse("admin:articles_banner_changelist")
    client.post(changelist, {"action": "end_now", "_selected_action": [banner.pk]})
    banner.refresh_from_db()
    assert banner.ends_at <= timezone.now()
    assert "Polls close" not in client.get(reverse("articles:index")).content.decode()
    assert list(FrontPageEvent.objects.values_list("action", flat=True)) == ["end_banner", "banner"]


def test_banner_link_is_a_site_address_or_a_web_address(client, desk):
    ends = timezone.localtime() + HOUR
    base = {"text": "Storm", "starts_at_0": f"{timezone.localtime():%Y-%m-%d}", "starts_at_1": "00:00:00",
            "ends_at_0": f"{ends:%Y-%m-%d}", "ends_at_1": f"{ends:%H:%M:%S}"}  # fmt: skip
    refused = client.post(reverse("admin:articles_banner_add"), {**base, "link": "javascript:alert(1)"})
    assert refused.context["adminform"].form.errors["link"]
    assert not Banner.objects.exists()
