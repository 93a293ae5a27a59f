"""The desk: editors' and staff's screens. Actions call articles.workflow."""

from . import articles, taxonomy  # noqa: F401  (registers the ModelAdmins)
