"""
Keeping the taxonomy clean: merging duplicate tags, and keeping the search
documents of stories right when a tag, author or place they name is
renamed, merged or deleted.
"""

from django.db import transaction

from . import counts, pagecache, search
from .models import Article, Author, Place, Section, SlugRedirect, StoryCount, Tag, TaggedArticle

# The fields of each kind that a story's search document holds.
SEARCHED = {Tag: ["name"], Author: ["name"], Place: ["name", "region"]}
BATCH = 2000


def stories_of(thing):
    """The ids of the stories whose search document names ``thing``."""
    if isinstance(thing, Tag):
        rows = TaggedArticle.objects.filter(tag=thing).values_list("content_object_id", flat=True)
    elif isinstance(thing, Author):
        rows = Article.objects.filter(bylines__author=thing).values_list("pk", flat=True)
    elif isinstance(thing, Place):
        rows = Article.objects.filter(place=thing).values_list("pk", flat=True)
    else:
        return []
    return sorted(set(rows))


def reindex(story_ids):
    """Refresh the search documents of ``story_ids``, a batch at a time."""
    story_ids = sorted(story_ids)
    for start in range(0, len(story_ids), BATCH):
        search.reindex(Article.objects.filter(pk__in=story_ids[start : start + BATCH]))


# Old addresses


KINDS = {Section: "section", Place: "place", Tag: "tag", Author: "author"}


def keep_old_address(thing, old_slug):
    """``thing``'s listing was at ``old_slug``: that address now redirects to it."""
    kind = KINDS[type(thing)]
    if old_slug and old_slug != thing.slug:
        SlugRedirect.objects.update_or_create(
            kind=kind, old_slug=old_slug, defaults={"target_id": thing.pk}
        )
    # Its own address is its own again, whatever pointed there before.
    SlugRedirect.objects.filter(kind=kind, old_slug=thing.slug).delete()


def moved_to(model, slug):
    """Where the listing once at ``slug`` is now, or None."""
    row = SlugRedirect.objects.filter(kind=KINDS[model], old_slug=slug).first()
    return model.objects.filter(pk=row.target_id).first() if row else None


def renames(thing, changed_fields):
    """Whether a change of ``changed_fields`` alters what stories' search documents say."""
    return bool(set(SEARCHED.get(type(thing), [])) & set(changed_fields))


def merge_tags(keep, duplicates):
    """
    Move every article tagged with one of ``duplicates`` to ``keep`` and
    delete the duplicates. An article that already carries ``keep`` simply
    loses the duplicate. Returns the number of taggings moved.
    """
    duplicates = [tag for tag in duplicates if tag.pk != keep.pk]
    with transaction.atomic():
        moved = 0
        retagged = {pk for tag in duplicates for pk in stories_of(tag)}
        # An article may carry keep and a duplicate, or several duplicates:
        # it ends with exactly one tagging of keep.
        for tagging in TaggedArticle.objects.filter(tag__in=duplicates).order_by("pk"):
            tagged = TaggedArticle.objects.filter(tag=keep, content_object_id=tagging.content_object_id)
            if tagged.exists():
                tagging.delete()
            else:
                tagging.tag = keep
                tagging.save(update_fields=["tag"])
                moved += 1
        # The kept tag now counts its duplicates' stories, month by month.
        periods = StoryCount.objects.filter(kind=counts.TAG, key__in=[keep.pk, *(t.pk for t in duplicates)])
        touched = {(counts.TAG, keep.pk, period) for period in periods.values_list("period", flat=True)}
        periods.exclude(key=keep.pk).delete()
        for tag in duplicates:
            keep_old_address(keep, tag.slug)
        SlugRedirect.objects.filter(kind="tag", target_id__in=[t.pk for t in duplicates]).update(
            target_id=keep.pk
        )
        for tag in duplicates:
            tag.delete()
        counts.recount(touched)
        reindex(retagged)  # their documents named the duplicates
        pagecache.changed()
    return moved
