from .article import BODY_EXTENSIONS, Article, ArticleQuerySet, Byline, SanitizedHTMLField, Status
from .editorial import ArticleEvent
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
