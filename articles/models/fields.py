"""
Text fields whose values are safe in every output, XML included.

XML 1.0 forbids most control characters (a vertical tab pasted from a word
processor, ``&#1;`` in wire HTML) and lone surrogates: one of them in a
headline would make every feed and sitemap that lists the story unreadable.
These fields drop them from whatever is written, through save(),
bulk_create() or QuerySet.update(); xml_safe() is for outputs that may meet
older rows.
"""

import re

from django.db import models

# Everything but tab, newline, carriage return and the characters XML 1.0 allows.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    """``text`` without the characters XML 1.0 forbids."""
    return FORBIDDEN.sub("", text) if isinstance(text, str) else text


class XMLSafeMixin:
    def pre_save(self, model_instance, add):
        value = xml_safe(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return xml_safe(super().get_prep_value(value))


class PlainCharField(XMLSafeMixin, models.CharField):
    """A CharField that keeps no character XML 1.0 forbids."""


class PlainTextField(XMLSafeMixin, models.TextField):
    """A TextField that keeps no character XML 1.0 forbids."""
