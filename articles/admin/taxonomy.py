"""Staff screens for the taxonomy: sections, agencies, places, authors, tags."""

import functools

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import ImageField, OuterRef, Subquery, URLField
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from taggit.models import Tag as TaggitTag

from .. import counts, images, pagecache, taxonomy
from ..images import ImageFormField
from ..models import Agency, Author, Place, Section, StoryCount, Tag

admin.site.unregister(TaggitTag)  # we use our own Tag model (articles.Tag)


class TaxonomyAdmin(admin.ModelAdmin):
    """
    Names and slugs show on public pages: a change starts the page cache
    afresh. Tag, author and place names are in stories' search documents:
    renaming or deleting one reindexes its stories, in the same transaction.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "slug" in form.changed_data and type(obj) in taxonomy.KINDS:
            # A changed slug leaves its old address redirecting; a slug taken
            # (by a new one too) is no longer anyone's old address.
            taxonomy.keep_old_address(obj, form.initial.get("slug") if change else None)
        if change and taxonomy.renames(obj, form.changed_data):
            taxonomy.reindex(taxonomy.stories_of(obj))
        pagecache.changed()

    def delete_model(self, request, obj):
        self.delete_queryset(request, type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        stories = set()
        for obj in queryset:
            stories.update(taxonomy.stories_of(obj))
            counts.forget(obj)
        super().delete_queryset(request, queryset)
        taxonomy.reindex(stories)
        pagecache.changed()


@admin.register(Section)
class SectionAdmin(TaxonomyAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Agency)
class AgencyAdmin(TaxonomyAdmin):
    list_display = ["name", "mark", "website"]
    formfield_overrides = {URLField: {"assume_scheme": "https"}}  # "tass.com" is https://tass.com
    search_fields = ["name", "mark"]


@admin.register(Place)
class PlaceAdmin(TaxonomyAdmin):
    # Place.save() fills a place from the gazetteer, so wire import and the
    # shell get the same country and time zone as this screen.
    list_display = ["name", "region", "country", "time_zone", "needs_review"]
    list_filter = ["needs_review", "country"]
    search_fields = ["name", "region", "country"]
    prepopulated_fields = {"slug": ["name", "region"]}  # ST. PETERSBURG and ST. PETERSBURG, Fla.
    fieldsets = [
        (None, {"fields": ["name", "region", "slug"]}),
        (
            "Where it is",
            {
                "description": "Leave the time zone blank and save: country, time zone, "
                "coordinates and GeoNames id are filled from the gazetteer. A place it "
                "cannot find is marked for review; fill these in by hand, then untick it.",
                "fields": [
                    "country",
                    "time_zone",
                    ("latitude", "longitude"),
                    "geonames_id",
                    "needs_review",
                ],
            },
        ),
    ]


@admin.register(Author)
class AuthorAdmin(TaxonomyAdmin):
    formfield_overrides = {ImageField: {"form_class": ImageFormField}}
    list_display = ["name", "job_title", "user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        old = form.initial.get("photo")
        super().save_model(request, obj, form, change)
        if old and getattr(old, "name", old) != obj.photo.name:  # replaced or cleared
            transaction.on_commit(functools.partial(images.discard_photo, getattr(old, "name", old)))

    def delete_queryset(self, request, queryset):
        photos = [name for name in queryset.values_list("photo", flat=True) if name]
        super().delete_queryset(request, queryset)
        for name in photos:
            transaction.on_commit(functools.partial(images.discard_photo, name))

    # The staff account an author signs in with: chosen from the list of
    # accounts only by those allowed to see it; taxonomy staff see the
    # link, not the list.
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.has_perm("auth.view_user") else [*fields, "user"]


@admin.register(Tag)
class TagAdmin(TaxonomyAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    actions = ["merge"]

    def get_queryset(self, request):
        # From the count workflow keeps (a row a tag), not by counting taggings.
        total = StoryCount.objects.filter(kind=counts.TAG, key=OuterRef("pk"), period=counts.ALL_TIME)
        return super().get_queryset(request).annotate(
            article_count=Coalesce(Subquery(total.values("published")), 0)
        )

    @admin.display(description="published stories", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.action(description="Merge selected tags into one", permissions=["delete"])
    def merge(self, request, queryset):
        tags = list(queryset.order_by("-article_count", "name"))
        if len(tags) < 2:
            self.message_user(request, "Select at least two tags to merge.", messages.WARNING)
            return None
        keep_id = request.POST.get("keep")
        keep = next((tag for tag in tags if str(tag.pk) == keep_id), None)
        if keep is None:
            return TemplateResponse(
                request,
                "admin/articles/tag/merge.html",
                {**self.admin_site.each_context(request), "opts": self.model._meta, "tags": tags},
            )
        others = [tag for tag in tags if tag != keep]
        taxonomy.merge_tags(keep, others)
        names = ", ".join(tag.name for tag in others)
        self.message_user(request, f"Merged {names} into {keep.name}.", messages.SUCCESS)
        return None
