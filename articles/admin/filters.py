"""
Filters of the story list by author and by tag. Django's own filters for a
relation that may repeat a story (bylines, tags) make the whole list
SELECT DISTINCT, which sorts every matching story before a page can be cut;
a story has an author or a tag at most once, so these filter with the
QuerySet's own methods and no DISTINCT.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters

from ..models import Author, Tag


class StoriesWithFilter(admin.SimpleListFilter):
    model = None  # whose objects are listed: Author or Tag
    method = None  # the ArticleQuerySet method that picks their stories

    def lookups(self, request, model_admin):
        return [(obj.pk, str(obj)) for obj in self.model._default_manager.only("name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            chosen = int(self.value())
        except ValueError:
            raise IncorrectLookupParameters(f"No such {self.title}.") from None
        return getattr(queryset, self.method)(chosen)


class AuthorFilter(StoriesWithFilter):
    title = "author"
    parameter_name = "author"
    model = Author
    method = "by_author"


class TagFilter(StoriesWithFilter):
    title = "tag"
    parameter_name = "tag"
    model = Tag
    method = "tagged"
