"""Wire items into articles: create, update by version, publish, through the workflow."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import wire, workflow
from articles.models import Agency, Article, ArticleRevision, Author, Place, Section, Status
from tests.factories import make_agency, make_editor, make_reporter, make_section

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "wire"
LISTING_1 = "newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml"
LISTING_2 = "newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml"
GROSSETO = "ninjs/provider-1.4/ninjsExMediumText1.json"
SEED = "text/000_8ed40d542d1fccef.txt"


@pytest.fixture
def editor():
    return make_editor()


def item(name):
    (only,) = wire.read(DATA / name)
    return only


def variant(tmp_path, name, *replacements):
    """A copy of a sample with (old, new) byte replacements: the agency's next version."""
    data = (DATA / name).read_bytes()
    for old, new in replacements:
        assert old in data
        data = data.replace(old, new)
    path = tmp_path / Path(name).name
    path.write_bytes(data)
    (only,) = wire.read(path)
    return only


def ninjs(tmp_path, **fields):
    path = tmp_path / "item.json"
    path.write_text(json.dumps({"uri": "urn:test:1", "type": "text", **fields}))
    (only,) = wire.read(path)
    return only


def test_a_new_item_becomes_a_draft_with_its_dateline_bylines_and_revision(editor):
    outcome = wire.ingest(item(GROSSETO), by=editor)

    article = Article.objects.get()
    assert outcome.action == "create" and outcome.article == article
    assert article.status == Status.DRAFT
    assert article.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert article.body.startswith("<p>The trial of the captain")
    assert article.guid == "http://ninjs.example.com/newsitems/20130709med123"
    assert (article.place.name, article.place.region) == ("GROSSETO", "Italy")
    assert (article.agency.name, article.agency.mark) == ("AP", "(AP)")
    assert [b.author.name for b in article.bylines.all()] == [
        "Paulo Santalucia",
        "Frances d'Emilio",
    ]
    assert (article.created_by, article.updated_by) == (editor, editor)
    (revision,) = article.revisions.all()
    assert revision.note.startswith("Created from the wire (sent 2013-07-09T10:37:00+00:00, #")


def test_seed_story_imports_with_section_tass_dateline_and_printed_date(editor):
    wire.ingest(item(SEED), by=editor)

    article = Article.objects.get()
    assert article.section.name == "All news"
    assert (article.place.name, article.agency.name, article.agency.mark) == (
        "MOSCOW",
        "TASS",
        "/TASS/",
    )
    assert article.dateline_date_text == "September 14"
    assert article.body.startswith("<p>Russia will restore the former format")
    assert "/TASS/" not in article.body


def test_existing_agency_section_and_author_are_reused(editor):
    tass = make_agency(name="TASS", mark="/TASS/")
    section = make_section(name="All news", slug="all")
    wire.ingest(item(SEED), by=editor)
    wire.ingest(item(GROSSETO), by=editor)
    make_agency(name="Reuters", mark="(Reuters)")

    article = Article.objects.get(guid=item(SEED).guid)
    assert (article.agency, article.section) == (tass, section)
    assert Section.objects.count() == 1 and Agency.objects.count() == 3
    wire.ingest(item("ninjs/2.2/004_simple_text_article.json"), by=editor)  # same authors
    assert Author.objects.count() == 2


def test_importing_the_same_version_again_changes_nothing(editor):
    wire.ingest(item(LISTING_2), by=editor)
    article = Article.objects.get()

    outcome = wire.ingest(item(LISTING_2), by=editor)

    assert (outcome.action, outcome.reason) == ("skip", "already imported")
    assert Article.objects.count() == 1 and ArticleRevision.objects.count() == 1
    article.refresh_from_db()
    assert article.version == 1


def test_a_newer_version_updates_the_story_and_keeps_a_revision(editor, tmp_path):
    wire.ingest(item(LISTING_2), by=editor)
    newer = variant(tmp_path, LISTING_2, (b'version="11"', b'version="12"'), (b"avert", b"prevent"))

    outcome = wire.ingest(newer, by=editor)

    article = Article.objects.get()
    assert outcome.action == "update"
    assert article.headline == 'Fed to halt QE to prevent "bubble"'
    assert article.source_version == 12
    assert [r.note.split(" (")[0] for r in article.revisions.all()] == [
        "Updated from the wire",
        "Created from the wire",
    ]
    assert article.slug == "fed-to-halt-qe-to-avert-bubble"  # the address stays


def test_an_older_version_never_overwrites_a_newer_one(editor, tmp_path):
    newer = variant(tmp_path, LISTING_2, (b'version="11"', b'version="12"'), (b"avert", b"stop"))
    wire.ingest(newer, by=editor)

    outcome = wire.ingest(item(LISTING_2), by=editor)

    assert (outcome.action, outcome.reason) == ("skip", "older than the story's version")
    assert Article.objects.get().headline == 'Fed to halt QE to stop "bubble"'
    assert ArticleRevision.objects.count() == 1


def test_without_version_numbers_the_time_sent_decides(editor, tmp_path):
    first = ninjs(tmp_path, headline="First", versioncreated="2024-05-01T10:00:00Z")
    later = ninjs(tmp_path, headline="Later", versioncreated="2024-05-01T11:00:00Z")
    wire.ingest(first, by=editor)

    assert wire.ingest(later, by=editor).action == "update"
    assert wire.ingest(first, by=editor).action == "skip"
    assert Article.objects.get().headline == "Later"


def test_without_version_or_time_only_changed_content_updates(editor, tmp_path):
    wire.ingest(ninjs(tmp_path, headline="A story"), by=editor)

    assert wire.ingest(ninjs(tmp_path, headline="A story"), by=editor).action == "skip"
    assert wire.ingest(ninjs(tmp_path, headline="A story, corrected"), by=editor).action == "update"
    assert Article.objects.count() == 1


def test_updating_a_published_story_marks_it_updated_and_keeps_it_published(editor, tmp_path):
    wire.ingest(item(LISTING_2), by=editor, publish=True)
    newer = variant(tmp_path, LISTING_2, (b'version="11"', b'version="12"'), (b"lum", b"LUM"))

    outcome = wire.ingest(newer, by=editor)

    article = Article.objects.get()
    assert (outcome.action, outcome.reason) == ("update", "published: readers see it as updated")
    assert article.status == Status.PUBLISHED and article.revised_at is not None
    assert "LUM doloreet" in article.body


def test_publish_uses_the_agencys_time_when_it_has_passed(editor):
    wire.ingest(item(LISTING_2), by=editor, publish=True)

    article = Article.objects.get()
    assert article.status == Status.PUBLISHED
    # contentCreated 2016-11-21T15:21:06-05:00
    assert article.published_at == datetime.datetime(2016, 11, 21, 20, 21, 6, tzinfo=datetime.UTC)
    assert article.events.get().action == "publish"


def test_publish_with_a_time_still_to_come_publishes_now(editor, tmp_path):
    soon = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    before = timezone.now()

    wire.ingest(ninjs(tmp_path, headline="Ahead", firstcreated=soon), by=editor, publish=True)

    article = Article.objects.get()
    assert before <= article.published_at <= timezone.now()
    assert article.is_live


def test_a_republished_item_is_not_published_twice(editor, tmp_path):
    wire.ingest(item(LISTING_2), by=editor, publish=True)
    newer = variant(tmp_path, LISTING_2, (b'version="11"', b'version="12"'))

    wire.ingest(newer, by=editor, publish=True)

    assert Article.objects.get().events.count() == 1


def test_the_wire_sets_an_embargo_but_never_lifts_one(editor, tmp_path):
    wire.ingest(item(LISTING_1), by=editor)
    embargo = datetime.datetime(2018, 10, 23, 12, 0, tzinfo=datetime.UTC)
    assert Article.objects.get().embargo_until == embargo
    lifted = variant(
        tmp_path,
        LISTING_1,
        (b'version="11"', b'version="12"'),
        (b"<embargoed>2018-10-23T12:00:00Z</embargoed>", b""),
    )

    wire.ingest(lifted, by=editor)

    article = Article.objects.get()
    assert article.source_version == 12 and article.embargo_until == embargo


def test_what_a_new_version_lacks_stays_as_the_desk_left_it(editor, tmp_path):
    wire.ingest(item(LISTING_2), by=editor)
    article = Article.objects.get()
    article.section = make_section(name="Economy")
    workflow.edit(article, by=editor, save=article.save)
    newer = variant(tmp_path, LISTING_2, (b'version="11"', b'version="12"'))

    wire.ingest(newer, by=editor)

    assert Article.objects.get().section.name == "Economy"


def test_urgency_and_tags_come_with_the_item(editor):
    wire.ingest(item("ninjs/provider-3.0/ntb_text.json"), by=editor)

    article = Article.objects.get()
    assert article.urgency == 5
    assert sorted(article.tags.names()) == ["Industri", "Innenriks", "Olje og energi", "Teknologi"]
    assert article.standfirst.startswith("IT-giganten Google")


def test_an_item_that_fails_half_way_leaves_nothing_behind():
    reporter = make_reporter()  # may create drafts, may not publish

    with pytest.raises(PermissionDenied):
        wire.ingest(item(GROSSETO), by=reporter, publish=True)

    for model in (Article, ArticleRevision, Place, Agency, Author):
        assert not model.objects.exists(), model


def test_planning_an_import_writes_nothing(editor, django_assert_num_queries):
    # The story with that guid (or an alternative id), one that arrived under
    # it before, one with the same agency, headline and opening: none.
    with django_assert_num_queries(3):
        outcome = wire.plan(item(LISTING_2))

    assert outcome.action == "create"
    assert not Article.objects.exists()


def test_the_system_user_is_made_once_may_publish_and_cannot_sign_in():
    user = wire.system_user()

    assert wire.system_user() == user
    assert user.username == "wire" and user.get_full_name() == "Wire import"
    assert user.is_active and not user.is_staff and not user.has_usable_password()
    assert workflow.is_desk(user)


def test_a_dateline_naming_only_its_agency_files_the_agency_and_no_place(editor, tmp_path):
    parsed = ninjs(tmp_path, headline="Britain to act", body_text="(Reuters) - Britain said on Friday it would act.")

    story = wire.ingest(parsed, by=editor).article

    assert story.place is None and story.agency.name == "Reuters"
    assert story.body == "<p>Britain said on Friday it would act.</p>"
    assert Place.objects.count() == 0


def test_transmission_damage_in_a_place_does_not_become_a_place(editor, tmp_path):
    parsed = ninjs(tmp_path, headline="Copper output rises", body_text="SAN{TIAGO, Oct 3 (Reuters) - Chile said.")

    story = wire.ingest(parsed, by=editor).article

    assert parsed.dateline.place == "SAN{TIAGO"  # as printed
    assert (story.place.name, story.place.country) == ("SANTIAGO", "Chile")
    assert not story.place.needs_review


# The same story, twice

RECEIVER_VIEW = DATA / "newsml-g2" / "Receiver_View.xml"


def test_the_same_story_from_a_second_feed_is_one_story(editor):
    first = wire.ingest(item(LISTING_2), by=editor)
    # Another provider's id, sent at the same time; the same agency, headline and lead.
    (again,) = wire.read(RECEIVER_VIEW)

    second = wire.ingest(again, by=editor)

    assert Article.objects.count() == 1
    assert second.action == "skip"
    assert second.reason == f"already imported: the same story as {first.article.guid}"
    assert first.article.source_ids.get().guid == again.guid


def test_a_new_version_under_the_second_id_updates_the_same_story(editor, tmp_path):
    wire.ingest(item(LISTING_2), by=editor)
    wire.ingest(wire.read(RECEIVER_VIEW)[0], by=editor)
    data = RECEIVER_VIEW.read_bytes().replace(b'version="11"', b'version="12"')
    data = data.replace(b"2018-11-21T16:25:32-05:00</versionCreated>", b"2018-11-22T09:00:00-05:00</versionCreated>")
    data = data.replace(b"Et, sent luptat", b"Corrected: et, sent luptat")
    (newer,) = wire.read_bytes(data)

    outcome = wire.ingest(newer, by=editor)

    story = Article.objects.get()
    assert outcome.action == "update" and outcome.article == story
    assert story.body.startswith("<p>Corrected: et, sent luptat")


def test_an_alternative_id_finds_the_story(editor, tmp_path):
    wire.ingest(ninjs(tmp_path, headline="Port reopens", body_text="Ships sailed.", uri="urn:a:1"), by=editor)
    other = ninjs(tmp_path, uri="urn:b:77", headline="Port reopens after storm", body_text="Ships sailed again.",
                  altids=[{"role": "agency", "value": "urn:a:1"}])  # fmt: skip

    outcome = wire.ingest(other, by=editor)

    assert Article.objects.count() == 1 and outcome.action == "update"
    assert outcome.reason == "the same story as urn:a:1"


def test_a_different_opening_is_a_different_story(editor, tmp_path):
    wire.ingest(ninjs(tmp_path, uri="urn:a:1", headline="Port reopens", body_text="Ships sailed."), by=editor)

    wire.ingest(ninjs(tmp_path, uri="urn:b:1", headline="Port reopens", body_text="Ferries too."), by=editor)

    assert Article.objects.count() == 2


def test_a_body_longer_than_a_story_holds_is_refused_and_nothing_is_written(editor, tmp_path):
    huge = ninjs(tmp_path, headline="Transcript", body_text="word " * 210_000)  # 1,050,000 characters

    with pytest.raises(ValidationError, match="a story holds at most 1,000,000"):
        wire.ingest(huge, by=editor)

    for model in (Article, ArticleRevision):
        assert not model.objects.exists(), model
