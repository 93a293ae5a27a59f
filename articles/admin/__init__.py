"""The desk: editors' and staff's screens. Actions call articles.workflow."""

from . import articles, frontpage, pictures, taxonomy, wire  # noqa: F401  (registers the ModelAdmins)
