"""Keeping the taxonomy clean: merging duplicate tags."""

from django.db import transaction

from . import counts, pagecache
from .models import StoryCount, TaggedArticle


def merge_tags(keep, duplicates):
    """
    Move every article tagged with one of ``duplicates`` to ``keep`` and
    delete the duplicates. An article that already carries ``keep`` simply
    loses the duplicate. Returns the number of taggings moved.
    """
    duplicates = [tag for tag in duplicates if tag.pk != keep.pk]
    with transaction.atomic():
        moved = 0
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
            tag.delete()
        counts.recount(touched)
        pagecache.changed()
    return moved
