from .article import BODY_EXTENSIONS, Article, ArticleQuerySet, Byline, SanitizedHTMLField, Status
from .editorial import (
    ArticleEvent,
    ArticleRedirect,
    ArticleRevision,
    Correction,
    EditingSession,
    PreviewLink,
)
from .taxonomy import (
    Agency,
    Author,
    Place,
    PlaceQuerySet,
    Section,
    Tag,
    TaggedArticle,
    make_slug,
    validate_time_zone,
)

__all__ = [
    "BODY_EXTENSIONS",
    "Agency",
    "Article",
    "ArticleEvent",
    "ArticleRedirect",
    "ArticleRevision",
    "Correction",
    "EditingSession",
    "PreviewLink",
    "ArticleQuerySet",
    "Author",
    "Byline",
    "Place",
    "PlaceQuerySet",
    "SanitizedHTMLField",
    "Section",
    "Status",
    "Tag",
    "TaggedArticle",
    "make_slug",
    "validate_time_zone",
]
