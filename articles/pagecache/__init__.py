"""
Caching public pages for anonymous readers, without serving a story early
or a change late, and without rendering a busy page once per reader.

Names (names.py). Each cached page records the *names* of what it shows
("story:42", "live" for the newest live stories, "day:2026-06-20",
"month:2026-06", "year:2026", "place:3", "section:1", "tag:7", "author:5",
"front" for the front page's arrangement, "picture:9" for a library picture
in a story's body, and "all", which every page
shows through its navigation and the breaking-news banner) with the version
each name had when the page was rendered. Which names a page shows is
declared with its URL (``public_page(view, *depends)`` in articles/urls.py).

Changes (versions.py). ``changed(*names)`` gives those names new versions
once the transaction commits, so exactly the pages that showed what changed
are rendered again; ``names_for(article)`` says which names a story's
current state touches, and ``changed()`` with no names starts every page
afresh (taxonomy edits). Scheduled stories and embargoes touch their own
names at their time with no job: the cache keeps when the next one falls
due, and the first request after that finds, through the publication-time
index, the stories that became public since the last check. When Redis
cannot be reached, pages come from the database, saves succeed, and the
names they changed get new versions as soon as it answers again. A
banner's start and end are kept in the same schedule: at either, every
page is rendered again, so no page shows a banner past its end.

Serving (middleware.py). ``PageCacheMiddleware`` sits above sessions, CSRF
and authentication: an anonymous reader's hit costs one cache round trip
(the page, the versions of its names and the schedule) and no SQL, or none
when this worker holds the page and no change was made anywhere since it
checked it (the cache keeps the latest change's version: one look a
moment per worker, not one per page). A missing or outdated page
is rendered by one request at a time; the others get the previous copy
while it renders, for a second at most after the change, or wait for the
new one. Every public page carries ETag, Last-Modified and a Cache-Control
an edge may follow, and answers conditional requests with 304.
"""

from .middleware import PageCacheMiddleware
from .names import (
    EVERYTHING,
    FRONT,
    LIVE,
    front,
    names_for,
    newest,
    owner,
    period,
    public_page,
    shows,
    sitemap_part,
    story,
    story_page,
)
from .versions import changed, generation

__all__ = [
    "EVERYTHING",
    "FRONT",
    "LIVE",
    "PageCacheMiddleware",
    "changed",
    "front",
    "generation",
    "names_for",
    "newest",
    "owner",
    "period",
    "public_page",
    "shows",
    "sitemap_part",
    "story",
    "story_page",
]
