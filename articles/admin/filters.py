"""
The story list's filters by tag, author and place.

Django's own filter for a relation that may repeat a story (bylines, tags)
makes the whole list SELECT DISTINCT, which sorts every matching story
before a page can be cut; a story has a tag or an author at most once, so
these filter without DISTINCT. They match stories of every status, not only
the published ones the public listings (ArticleQuerySet.tagged() and its
kin) read through their own indexes. And where Django draws a link per
choice, each with its own query string, these offer their hundreds of
choices in one drop-down, at a fraction of the cost.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext

from ..models import Author, Place, Tag


class StoriesWithFilter(admin.SimpleListFilter):
    template = "admin/articles/article/choose_filter.html"
    model = None  # whose objects are offered: Tag, Author or Place
    label_fields = ["name"]  # what their names are made of
    lookup = None  # how a story names one of them

    def lookups(self, request, model_admin):
        objects = self.model._default_manager.only(*self.label_fields)
        return [(str(obj.pk), str(obj)) for obj in objects]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            chosen = int(self.value())
        except ValueError:
            raise IncorrectLookupParameters(f"No such {self.title}.") from None
        return queryset.filter(**{self.lookup: chosen})

    def choices(self, changelist):
        # One link, back to every story, carrying what the drop-down's form
        # must send again to keep the list's other filters.
        yield {
            "selected": not self.value(),
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": gettext("All"),
            "kept": [(k, v) for k, v in changelist.params.items() if k != self.parameter_name],
        }


class TagFilter(StoriesWithFilter):
    title = "tag"
    parameter_name = "tag"
    model = Tag
    lookup = "tags"


class AuthorFilter(StoriesWithFilter):
    title = "author"
    parameter_name = "author"
    model = Author
    lookup = "bylines__author"


class PlaceFilter(StoriesWithFilter):
    title = "dateline place"
    parameter_name = "place"
    model = Place
    label_fields = ["name", "region"]
    lookup = "place"
