"""
When the database is down: a clear 503 for a page that needs it, rather
than a 500. Cached pages are still served (articles/pagecache).
"""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Last in MIDDLEWARE: it sees what views and their templates raise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # OperationalError: cannot connect, connection lost; InterfaceError: connection closed.
        if not isinstance(exception, (OperationalError, InterfaceError)) or not _unreachable(exception):
            return None
        logger.error("Database unreachable for %s: %s", request.path, exception)
        # No request context: the site's context processors would query the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def _unreachable(error: DatabaseError):
    """A lost or refused connection, not a query the database refused (those stay 500s)."""
    if isinstance(error, InterfaceError):
        return True
    cause = error.__cause__
    # psycopg: OperationalError without a SQLSTATE is a connection problem.
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08") or sqlstate == "57P01"
