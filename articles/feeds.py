"""
RSS 2.0 and Atom feeds of live stories: All news, and one per section, tag,
author and dateline place. Each entry carries the whole story (the body
opened by its dateline), every byline, the section and tags, and the time
of its latest change, corrections included.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.html import escape

from . import counts, languages, media, structured_data, taxonomy
from .models import Article, Author, Place, Section, StoryCount, Tag
from .models.fields import xml_safe
from .media import body as body_pictures
from .templatetags.articles import story_body

ITEMS = 20

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"


def _plain(value):
    """``value`` (text, or lists, tuples and dicts of it) without characters XML forbids."""
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(part) for part in value)
    if isinstance(value, dict):
        return {key: _plain(part) for key, part in value.items()}
    return xml_safe(value)


class XMLSafe:
    """
    Saves drop the characters XML 1.0 forbids, but rows written before (or
    behind the models' back) may hold one: the feed drops it too, rather
    than fail to render.
    """

    def __init__(self, title, link, description, **kwargs):
        super().__init__(*_plain([title, link, description]), **_plain(kwargs))

    def add_item(self, title, link, description, **kwargs):
        super().add_item(*_plain([title, link, description]), **_plain(kwargs))


class RssFeed(XMLSafe, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the whole story in content:encoded and one dc:creator per byline."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:dcterms": DCTERMS_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("dcterms:modified", structured_data.w3c(item["updateddate"]))
        handler.addQuickElement("dc:language", item["language"])
        handler.addQuickElement("content:encoded", item["content"])


class AtomFeed(XMLSafe, feedgenerator.Atom1Feed):
    """
    Atom with the whole story as HTML content, its language, and an <author>
    per byline (else its agency, else the newsroom).
    """

    def item_attributes(self, item):
        return {**super().item_attributes(item), "xml:lang": item["language"]}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if url:
                handler.addQuickElement("uri", url)
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})


GENERATORS = {"rss": RssFeed, "atom": AtomFeed}


def lead_enclosures(story, request):
    """The lead picture as an enclosure (RSS) or enclosure link (Atom), at the rendition made for sharing."""
    picture = story.lead_picture
    if picture is None:
        return []
    shared = media.shared(picture)
    url = request.build_absolute_uri(shared.url)
    return [feedgenerator.Enclosure(url, str(shared.size or 0), shared.mime)]


@dataclass
class Channel:
    request: object
    owner: object = None


class StoryFeed(Feed):
    """All news: the latest live stories."""

    def __init__(self, kind):
        self.kind = kind
        self.feed_type = GENERATORS[kind]

    def get_object(self, request, **kwargs):
        return Channel(request)

    def stories(self, channel):
        return Article.objects.live()

    def items(self, channel):
        stories = list(self.stories(channel).for_listing()[:ITEMS])
        # Item methods see only the story: give it what needs the request.
        request = channel.request
        body_pictures.read(stories, request)
        for story in stories:
            story.uri = structured_data.story_uri(story, request)
            story.credits = [(name, url) for _kind, name, url in structured_data.credits(story, request)]
            story.enclosures = lead_enclosures(story, request)
            story.content = story_body(story, absolute=request.build_absolute_uri)
        return stories

    def get_feed(self, channel, request):
        feed = super().get_feed(channel, request)
        # Django's Feed takes one language for every feed; each channel says its own.
        feed.feed["language"] = self.channel_language(channel)
        return feed

    def channel_language(self, channel):
        return structured_data.language()

    def title(self, channel):
        return f"{settings.NEWSROOM_NAME}: All news"

    def link(self, channel):
        return reverse("articles:index")

    def description(self, channel):
        return f"The latest stories from {settings.NEWSROOM_NAME}."

    def author_name(self, channel):
        # Atom's feed-level author (RFC 4287 §4.1.2), which every entry also names for itself.
        return settings.NEWSROOM_NAME

    def author_link(self, channel):
        return channel.request.build_absolute_uri("/")

    def item_title(self, story):
        # Plain text in both formats (RSS allows HTML only in descriptions).
        return story.headline

    def item_description(self, story):
        return escape(story.standfirst) if story.standfirst else None

    def item_guid(self, story):
        return story.uri

    item_guid_is_permalink = False

    def item_pubdate(self, story):
        return structured_data.published(story)

    def item_updateddate(self, story):
        return structured_data.modified(story)

    def item_categories(self, story):
        section = [story.section.name] if story.section else []
        return section + [tag.name for tag in story.tags.all()]

    def item_enclosures(self, story):
        return story.enclosures

    def item_extra_kwargs(self, story):
        return {
            "content": story.content,
            "authors": story.credits,
            "language": structured_data.language(story),
        }


class LanguageFeed(StoryFeed):
    """One language's latest live stories (/ru/news/feed/rss/)."""

    def get_object(self, request, language):
        # Like its river: a language the site offers, or one a live story is in.
        if languages.normalise(language) != language or not (
            languages.offered(language) or Article.objects.live().in_language(language).exists()
        ):
            raise Http404("No stories in this language.")
        return Channel(request, language)

    def stories(self, channel):
        return Article.objects.live().in_language(channel.owner)

    def channel_language(self, channel):
        return channel.owner

    def title(self, channel):
        return f"{settings.NEWSROOM_NAME}: News in {languages.name(channel.owner)}"

    def link(self, channel):
        return reverse("articles:language", args=[channel.owner])

    def description(self, channel):
        return f"The latest stories in {languages.name(channel.owner)} from {settings.NEWSROOM_NAME}."


class OwnerFeed(StoryFeed):
    """Live stories of one section, tag, author or place."""

    model = None
    filter_method = None

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            # Renamed or merged since: the old feed address leads to the current one.
            now_at = taxonomy.moved_to(self.model, kwargs["slug"])
            if now_at is None:
                raise
            name = f"articles:{taxonomy.KINDS[self.model]}_feed_{self.kind}"
            return HttpResponsePermanentRedirect(reverse(name, args=[now_at.slug]))

    def get_object(self, request, slug):
        # Like its page: no feed (naming it) before its first public story;
        # read with the owner, from its count for all time, in one query.
        total = StoryCount.objects.filter(kind=self.count_kind, key=OuterRef("pk"), period=counts.ALL_TIME)
        owners = self.model.objects.annotate(
            published=Subquery(total.values("published")[:1]),
            pending=Subquery(total.values("pending")[:1]),
        )
        owner = get_object_or_404(owners, slug=slug)
        if counts.live_count(owner.published, owner.pending) <= 0:
            raise Http404("Nothing public is listed here yet.")
        return Channel(request, owner)

    def stories(self, channel):
        return getattr(Article.objects.live(), self.filter_method)(channel.owner)

    def title(self, channel):
        return f"{settings.NEWSROOM_NAME}: {channel.owner}"

    def link(self, channel):
        return channel.owner.get_absolute_url()

    def description(self, channel):
        return f"The latest stories from {settings.NEWSROOM_NAME}: {channel.owner}."


class SectionFeed(OwnerFeed):
    model, filter_method, count_kind = Section, "in_section", counts.SECTION


class AuthorFeed(OwnerFeed):
    model, filter_method, count_kind = Author, "by_author", counts.AUTHOR


class PlaceFeed(OwnerFeed):
    model, filter_method, count_kind = Place, "datelined", counts.PLACE


class TagFeed(OwnerFeed):
    model, filter_method, count_kind = Tag, "tagged", counts.TAG

