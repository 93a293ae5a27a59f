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
from .wire import WireReceipt, WireSource

__all__ = [
    "BODY_EXTENSIONS",
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
    "WireReceipt",
    "WireSource",
]
