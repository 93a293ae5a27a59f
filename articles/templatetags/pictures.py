"""{% picture %}: a library picture as <picture>, from the renditions read with its story."""

from django import template

from .. import media

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(picture, shape, *, sizes, loading="lazy", css_class=""):
    """
    ``picture`` in ``shape`` ("card" or "lead"): AVIF and WebP sources and a
    JPEG <img> with its width and height, for a slot ``sizes`` wide. Pass
    loading="eager" for a picture at the top of the page.
    """
    if picture is None:
        return {"shown": None}
    return {
        "shown": media.sources(picture, shape),
        "alt": picture.alt_text,
        "sizes": sizes,
        "loading": loading,
        "css_class": css_class,
    }
