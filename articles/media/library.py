"""
Writing to the picture library: every save of a picture goes through
``save()``, which makes its renditions and renders again the public pages
of the stories that show it. The admin, the wire importer, the demo and
management commands call it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import pagecache
from ..models import Article, Picture
from ..pagecache.names import touched
from . import renditions


def can_edit(user, picture):
    """Staff with the picture role change pictures; reporters and editors add and choose them."""
    if not user.is_active:
        return False
    action = "add" if picture.pk is None else "change"
    return user.has_perm(f"articles.{action}_picture")


def save(picture, *, by=None):
    """
    Save ``picture`` (a new one, or a change to its file, texts, terms or
    focal point) and make the renditions it lacks. ``by`` is the member of
    staff; None for the system's own processes (import, demo).
    """
    if by is not None and not can_edit(by, picture):
        raise PermissionDenied("You may choose pictures, but only the picture desk may change them.")
    with transaction.atomic():
        if picture.pk is None and by is not None:
            picture.created_by = by
        picture.save()
        renditions.ensure(picture)
        shown_on_changed(picture)
    return picture


def shown_on_changed(picture):
    """Public pages showing ``picture`` are rendered again once the transaction commits."""
    stories = list(Article.objects.live().filter(picture=picture).only("published_at", "place", "section"))
    # As a lead picture: its stories' names; in stories' bodies: its own.
    pagecache.changed(f"picture:{picture.pk}", *set().union(*touched(stories).values()))


def forget(pks):
    """Deleted pictures: the pages that showed them in stories' bodies render again."""
    if pks:
        pagecache.changed(*(f"picture:{pk}" for pk in pks))


def make_missing():
    """Renditions for every picture that lacks some (after an upgrade, or a new format). Returns how many."""
    made = 0
    for picture in Picture.objects.iterator(chunk_size=100):
        with transaction.atomic():
            count = renditions.ensure(picture)
            if count:
                # A card kept in the cache is keyed by its picture's time.
                Picture.objects.filter(pk=picture.pk).update(updated_at=timezone.now())
                shown_on_changed(picture)
            made += count
    return made
