"""
Django's PostgreSQL backend, reading times with psycopg's compiled loader.

Django 5.2 reads every ``timestamptz`` through its own loader, a subclass
of psycopg's pure-Python one, so each time is parsed by a regular
expression in Python (Django ticket #36960): about 10 µs a value, 10 ms for
the thousand rows of day counts the sitemap index reads. Where the
connection's time zone is UTC (USE_TZ on and no TIME_ZONE in DATABASES, as
the newsroom's settings have it), psycopg's compiled loader gives the same
aware datetime in UTC, so this backend reads times with it then. With any
other setting, or without psycopg's compiled part, it is Django's backend
unchanged.
"""

import datetime
import functools

from django.db.backends.postgresql import base
from psycopg import adapt, adapters, postgres
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

TIMESTAMPTZ = postgres.types["timestamptz"].oid
# psycopg's own map holds its compiled loader, where psycopg[binary] or [c] is installed.
COMPILED = adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


class UtcTimeLoader(TimestamptzLoader):
    """Times in UTC, parsed by the compiled loader (the connection's zone is UTC)."""

    timezone = datetime.UTC  # what Django compares with the connection's zone per cursor

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._load = COMPILED(oid, context).load

    def load(self, data):
        return self._load(data)


@functools.cache
def _adapters(template):
    """Django's adapters for a connection in UTC, with the compiled loader for times."""
    context = adapt.AdaptersMap(template)
    context.register_loader(TIMESTAMPTZ, UtcTimeLoader)
    return context


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if self.timezone == datetime.UTC and COMPILED is not TimestamptzLoader:
            params["context"] = _adapters(params["context"])
        return params
