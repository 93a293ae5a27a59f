"""
The picture library (models: articles/models/media.py): pictures reused
across stories, their renditions, and the one path that writes them.
"""

from .library import can_edit, forget, make_missing, save, shown_on_changed
from .renditions import formats, shared, sources

__all__ = ["can_edit", "forget", "formats", "make_missing", "save", "shared", "shown_on_changed", "sources"]
