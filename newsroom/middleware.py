"""
Two site-wide answers: the Content-Security-Policy and Permissions-Policy
headers on every response, and a clear 503 (rather than a 500) for a page
that needs the database while it is down; cached pages are still served
then (articles/pagecache).

Pages get their policy from ContentSecurityPolicyMiddleware, below the
page cache, which stores it with each page; static files, served above it
by WhiteNoise, carry a fixed one set when the files are first read
(static_file_headers).
"""

import base64
import hashlib
import logging
import re

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from articles import body

logger = logging.getLogger(__name__)

# No feature of the browser the site has no use for.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb",
    ]
)  # fmt: skip
# A static file is no document: it may load nothing and, opened on its own
# (an SVG, say), runs in a sandbox, as uploaded media do behind nginx.
STATIC_FILE_POLICY = "default-src 'none'; sandbox"
IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def static_file_headers(headers, path, url):
    """WHITENOISE_ADD_HEADERS_FUNCTION: the policies of a static file, set once per file."""
    headers["Content-Security-Policy"] = STATIC_FILE_POLICY
    headers["Permissions-Policy"] = PERMISSIONS_POLICY


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """
    django-csp with the site's policy (settings.CONTENT_SECURITY_POLICY):
    no inline script or style anywhere public. The admin, whose own
    templates and story editor use style attributes, may use those, and
    the import map the editor's modules need is allowed by its hash.

    Frames are refused everywhere, except on a page that offers embeds: it
    may frame the players of those embeds' providers, and no others. The
    page says which by its placeholders, so a copy from the page cache
    gets the same policy as the page rendered afresh.
    """

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        extra = {}
        if request.path_info.startswith("/admin/") and not report_only:
            hashes = [f"'sha256-{_digest(body)}'" for body in _import_maps(response)]
            extra = {"style-src": [UNSAFE_INLINE], **({"script-src": hashes} if hashes else {})}
        if providers := _embedded_providers(response):  # a story's page, or its preview
            extra["frame-src"] = body.frame_sources(providers)
        if extra:
            parts.update = {**(parts.update or {}), **extra}
        return parts


def _html(response):
    return not getattr(response, "streaming", False) and "html" in response.get("Content-Type", "")


def _embedded_providers(response):
    return body.embedded_providers(response.content) if _html(response) else set()


def _import_maps(response):
    return IMPORT_MAP.findall(response.content) if _html(response) else []


def _digest(body):
    return base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")

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
