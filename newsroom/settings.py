"""
Settings for newsroom, read from the environment.

With no variables set this is the embedded set-up: an SQLite file in the
project folder and a local-memory cache, DEBUG off. See README.md for the
variables a production deployment sets.
"""

import datetime
import os
import re
import zoneinfo
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from articles.body import editor_extensions as body_editor_extensions
from newsroom.middleware import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1 or 0.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# Core

DEBUG = env_bool("DEBUG", False)

# An empty SECRET_KEY makes Django refuse to start any request that needs it
# ("The SECRET_KEY setting must not be empty"), so production must set one.
# The development key carries the django-insecure- prefix, which
# `manage.py check --deploy` reports.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "articles.apps.NewsroomAdminConfig",  # django.contrib.admin with the story budget
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "axes",  # sign-in throttling (Authentication, below)
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers anonymous readers from the page cache before sessions, CSRF and
    # authentication run; below SecurityMiddleware, which still redirects to
    # HTTPS and adds its headers to every answer.
    "articles.pagecache.PageCacheMiddleware",
    # Content-Security-Policy and Permissions-Policy on every page: a cached
    # page keeps the headers it was rendered with, so a hit is not worked
    # out again (static files, above, are not documents).
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A page that needs the database while it is down answers 503.
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in with its notice.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# Database

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, reading times with psycopg's compiled parser (newsroom/postgresql/).
    DATABASES["default"]["ENGINE"] = "newsroom.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The site and the ingest service (make ingest) write to one file. A
    # transaction takes the write lock when it begins, so two never deadlock
    # upgrading their locks (SQLite's "database is locked"); a writer waits up
    # to 20 s for the other, and readers go on reading meanwhile (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",  # Django's, keeping its client
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            # Redis is an optimisation: when it is down or slow, give up within
            # a fraction of a second and serve from the database.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    # Each process's own memory: room for the story cards of a few hundred
    # pages (Django's default keeps 300 entries).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Public pages are cached at most this many seconds for anonymous readers
# (0: off); a publication, edit or scheduled time falling due renders the
# pages that show it again at once.
# Off by default without Redis: each process's local memory would only hear
# of changes made in that process, and a withdrawal must show everywhere.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 300 if REDIS_URL else 0)
# While no page is cached, each process remembers the navigation's
# sections, the banners and the listings' counts this long (milliseconds;
# 0: off) rather than reading them for every page: a change made in the
# process shows at once, one made in another process within this time.
NEWSROOM_REMEMBER_MS = env_int("NEWSROOM_REMEMBER_MS", 1000)

# Search
# Only the newest matches are ranked, so a word found in every story costs no
# more than a rare one; the page then says "more than" this many.
NEWSROOM_SEARCH_LIMIT = env_int("NEWSROOM_SEARCH_LIMIT", 200)
# PostgreSQL: stories are stemmed in their own language (English and Russian
# together); a query is read in English and Russian, and in these languages
# too (codes, comma-separated: "de,fr"), each adding a little to every search.
NEWSROOM_SEARCH_LANGUAGES = env_list("NEWSROOM_SEARCH_LANGUAGES")
# PostgreSQL: a search that takes longer than this (milliseconds) is cut
# short, and the reader asked for more precise words.
NEWSROOM_SEARCH_TIMEOUT_MS = env_int("NEWSROOM_SEARCH_TIMEOUT_MS", 500)
# Anonymous readers' result pages are kept this many seconds (0: off), filed
# under the page cache's generation so that an editorial change shows at
# once; off without Redis, for the page cache's reason.
NEWSROOM_SEARCH_CACHE_SECONDS = env_int("NEWSROOM_SEARCH_CACHE_SECONDS", 60 if REDIS_URL else 0)
# How often one client address may search: "30/m" is 30 a minute (s, m, h,
# d; "100/5m" also works); "off" for no limit. Counted in the cache, so
# several processes share the count only with Redis.
NEWSROOM_SEARCH_RATE = os.environ.get("NEWSROOM_SEARCH_RATE", "30/m").strip() or "30/m"
if NEWSROOM_SEARCH_RATE == "off":
    NEWSROOM_SEARCH_RATE = None
elif not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", NEWSROOM_SEARCH_RATE):
    raise ImproperlyConfigured(
        f"NEWSROOM_SEARCH_RATE={NEWSROOM_SEARCH_RATE!r} is not a rate such as '30/m' or 'off'."
    )
# How many proxies in front of the site append the client's address to
# X-Forwarded-For (0: none; the header is then ignored, as anyone can send it).
NEWSROOM_TRUSTED_PROXIES = env_int("NEWSROOM_TRUSTED_PROXIES", 0)
# django-ratelimit (not an installed app: its system check knows neither
# Django's own Redis backend nor that local memory suits a single process)
# reads the client's address through this, and lets searches through when
# the cache fails without raising.
RATELIMIT_IP_META_KEY = "articles.search.page.client_address"
RATELIMIT_FAIL_OPEN = True

# Wire ingest (manage.py ingest)
# A file in a drop folder is read once it has been left untouched this many
# seconds: an agency's upload still under way is not read half-written.
NEWSROOM_INGEST_SETTLE_SECONDS = env_int("NEWSROOM_INGEST_SETTLE_SECONDS", 2)

# Requests

# A form's fields may carry up to 10 MB (Django's default is 2.5 MB): a story
# body over its own limit of a million characters still reaches the form,
# which says so and keeps the text, rather than being refused with the
# request and lost.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Authentication

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Staff accounts can publish to the world: twelve characters at least.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Sign-in throttling (django-axes). Ten wrong passwords for one account from
# one address lock that account out for that address, and ten from one
# address, whatever the accounts, lock the address out: for 15 minutes, or
# until a superuser deletes the attempt (admin: Axes > Access attempts) or
# runs `manage.py axes_reset_username NAME`. Whoever guesses from elsewhere
# never locks a colleague out of the newsroom; a success clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("NEWSROOM_SIGN_IN_ATTEMPTS", 10)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every command; attempts are logged in the database
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Behind proxies that add X-Forwarded-For (nginx, a load balancer): how many.
AXES_IPWARE_PROXY_COUNT = env_int("NEWSROOM_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Time
# Stored in UTC. TIME_ZONE is the newsroom's own zone: editors enter times in
# it, the admin shows it and the date URLs (/2017/09/14/) follow it.

USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE={TIME_ZONE!r} is not an IANA time zone such as 'Europe/Moscow'."
    ) from None
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
FORMAT_MODULE_PATH = ["newsroom.formats"]
USE_I18N = True

# Static files and media

STATIC_URL = "static/"
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers  # their security headers
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads and renditions on S3-compatible object storage (AWS, MinIO, Ceph,
# R2...) when a bucket is named; the local folder above otherwise. The keys
# are read by boto3 from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the
# machine's role), never from here. The bucket serves pictures publicly:
# addresses are unsigned, and unguessable until a story shows them.
def s3_storage(environ):
    """The S3 storage the environment asks for (AWS_STORAGE_BUCKET_NAME and friends), or None."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,  # a second "photo.jpg" gets a name of its own
            # Year-long browser and edge caching: a changed picture gets new names.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }


STORAGES["default"] = s3_storage(os.environ) or STORAGES["default"]


def media_origins(storage):
    """Where pages load pictures from besides the site itself, for the Content-Security-Policy."""
    options = storage.get("OPTIONS", {})
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        return [options["endpoint_url"].rstrip("/")]
    if options.get("bucket_name"):
        bucket, region = options["bucket_name"], options.get("region_name")
        return [f"https://{bucket}.s3.amazonaws.com"] + (
            [f"https://{bucket}.s3.{region}.amazonaws.com"] if region else []
        )
    return []


# Uploads: the largest lead image accepted, in bytes and in pixels. Pillow's
# own decompression-bomb guard is a backstop; ours gives the editor a message.
NEWSROOM_MAX_IMAGE_BYTES = env_int("NEWSROOM_MAX_IMAGE_BYTES", 10 * 1024 * 1024)
NEWSROOM_MAX_IMAGE_PIXELS = env_int("NEWSROOM_MAX_IMAGE_PIXELS", 40_000_000)
FILE_UPLOAD_PERMISSIONS = 0o644

# Site

NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "Newsroom")
NEWSROOM_DATELINE_STYLE = os.environ.get("NEWSROOM_DATELINE_STYLE", "tass")
# The domain in stories' permanent ids (tag:news.example.org,2017-09-14:article:42),
# for feeds and the API; blank uses the host of each request.
NEWSROOM_ID_DOMAIN = os.environ.get("NEWSROOM_ID_DOMAIN", "")
# Static files (paths under static/): the publisher's logo in structured data
# (at most 600 x 60 pixels), and the picture shared links and structured data
# show for a page or story without one of its own (1200 x 630).
NEWSROOM_LOGO = os.environ.get("NEWSROOM_LOGO", "img/logo.png")
NEWSROOM_SOCIAL_IMAGE = os.environ.get("NEWSROOM_SOCIAL_IMAGE", "img/social.png")
TAGGIT_CASE_INSENSITIVE = True
# The story body's own editor extensions: each a module under static/ and the
# markup it lets through the sanitiser (articles/models/article.py,
# BODY_EXTENSIONS). Tables, pull quotes and embeds: articles/body.py. Given as
# functions, not dotted paths, which django-prose-editor 0.28 cannot import.
DJANGO_PROSE_EDITOR_EXTENSIONS = body_editor_extensions() + [
    {
        # A picture or gallery from the library, stored as a reference only.
        "js": [static_lazy("articles/library_picture.js")],
        "extensions": {
            "LibraryPicture": html_tags(["figure"], {"figure": ["data-picture", "data-gallery"]}),
        },
    },
]

# Security

# Content-Security-Policy (django-csp): what pages may load, from where. No
# inline script or style on public pages (the JSON-LD data block is not a
# script a browser runs); the admin adds what it needs (newsroom/middleware.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *media_origins(STORAGES["default"])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# On by default whenever DEBUG is off; each can be turned off behind a proxy
# that already does the job.

SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Logging

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
