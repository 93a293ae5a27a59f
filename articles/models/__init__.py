from .article import BODY_EXTENSIONS, Article, ArticleQuerySet, Byline, SanitizedHTMLField, Status
from .counts import PageGeneration, StoryCount
from .editorial import (
    ArticleEvent,
    ArticleRedirect,
    ArticleRevision,
    Correction,
    EditingSession,
    PreviewLink,
)
from .frontpage import ARRANGE_PERMISSION, Banner, FrontBlock, FrontPageEvent, FrontSlot
from .media import Picture, PictureQuerySet, Rendition
from .taxonomy import (
    Agency,
    Author,
    ListedAtField,
    Place,
    Section,
    SlugRedirect,
    Tag,
    TaggedArticle,
    make_slug,
    validate_time_zone,
)
from .wire import SourceId, WireReceipt, WireSource

__all__ = [
    "ARRANGE_PERMISSION",
    "BODY_EXTENSIONS",
    "Banner",
    "FrontBlock",
    "FrontPageEvent",
    "FrontSlot",
    "Agency",
    "Article",
    "ArticleEvent",
    "ArticleRedirect",
    "ArticleRevision",
    "Correction",
    "EditingSession",
    "PageGeneration",
    "Picture",
    "PictureQuerySet",
    "Rendition",
    "PreviewLink",
    "ArticleQuerySet",
    "Author",
    "Byline",
    "Place",
    "SanitizedHTMLField",
    "Section",
    "SlugRedirect",
    "Status",
    "StoryCount",
    "Tag",
    "ListedAtField",
    "TaggedArticle",
    "make_slug",
    "validate_time_zone",
    "SourceId",
    "WireReceipt",
    "WireSource",
]
