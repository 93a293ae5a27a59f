"""
Dateline places, resolved against a gazetteer.

``place_for(name, region)`` is how wire import and the admin turn a dateline
place as printed (MOSCOW; PORTLAND, Ore.) into a Place row: an existing one,
else one filled from the gazetteer, else a new one flagged for staff review.
"""

from django.db import IntegrityError, transaction

from .models import Place, make_slug


def place_for(name, region=""):
    """The Place for a dateline as printed, created (and flagged if unknown) when missing."""
    name = " ".join(name.split()).upper()
    region = (region or "").strip()
    existing = Place.objects.filter(name=name, region=region).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Place.objects.create(
                name=name, region=region, slug=_free_slug(name, region), needs_review=True
            )
    except IntegrityError:  # created meanwhile by another import
        return Place.objects.get(name=name, region=region)


def _free_slug(name, region):
    base = make_slug(f"{name} {region}") or "place"
    slug, n = base, 2
    while Place.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
