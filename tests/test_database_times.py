"""
newsroom/postgresql: times read from PostgreSQL through psycopg's compiled
loader where the connection is in UTC, and through Django's loader otherwise.
"""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.models import Max
from psycopg.pq import Format

from articles.models import Article
from newsroom.postgresql.base import COMPILED, TIMESTAMPTZ, DatabaseWrapper, UtcTimeLoader
from tests.factories import make_live

pytestmark = pytest.mark.django_db

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def loader(settings_dict):
    """The timestamptz loader a connection made with ``settings_dict`` would use."""
    params = DatabaseWrapper(settings_dict, alias="times").get_connection_params()
    return params["context"].get_loader(TIMESTAMPTZ, Format.TEXT)


def postgres_settings(**changes):
    return {
        **connection.settings_dict,
        "ENGINE": "newsroom.postgresql",
        "NAME": "newsroom",
        "TIME_ZONE": None,
        **changes,
    }


def test_the_compiled_loader_is_installed():
    assert COMPILED.__module__.startswith("psycopg_binary")


def test_a_connection_in_utc_reads_times_with_the_compiled_loader():
    chosen = loader(postgres_settings())
    assert chosen is UtcTimeLoader
    assert isinstance(chosen(TIMESTAMPTZ)._load.__self__, COMPILED)


def test_a_connection_in_another_zone_keeps_django_s_loader():
    chosen = loader(postgres_settings(TIME_ZONE="Europe/Moscow"))
    assert chosen is not UtcTimeLoader
    assert chosen.timezone == MOSCOW


def test_without_time_zone_support_django_s_loader_chops_the_zone(settings):
    settings.USE_TZ = False
    chosen = loader(postgres_settings())
    assert chosen is not UtcTimeLoader
    assert chosen.timezone is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the loader is PostgreSQL's")
def test_the_site_s_connection_uses_it():
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT) is UtcTimeLoader


WRITTEN = [
    datetime.datetime(2017, 9, 14, 9, 0, 0, 123456, tzinfo=MOSCOW),
    # the hour New York's clocks go back: the first and the second 01:30
    datetime.datetime(2023, 11, 5, 1, 30, tzinfo=NEW_YORK),
    datetime.datetime(2023, 11, 5, 1, 30, fold=1, tzinfo=NEW_YORK),
    datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(1899, 12, 31, 23, 59, 59, tzinfo=datetime.UTC),
]
# In UTC: an ambiguous local time never equals a time in another zone (PEP 495).
IN_UTC = [when.astimezone(datetime.UTC) for when in WRITTEN]


def test_times_read_back_as_written_in_utc():
    stories = [make_live(headline=f"Story {n}", published_at=when) for n, when in enumerate(WRITTEN)]
    ids = [story.pk for story in stories]

    read = dict(Article.objects.filter(pk__in=ids).values_list("pk", "published_at"))

    assert [read[pk] for pk in ids] == IN_UTC
    assert {when.tzinfo for when in read.values()} == {datetime.UTC}
    assert [Article.objects.get(pk=pk).published_at for pk in ids] == IN_UTC
    latest = Article.objects.filter(pk__in=ids).aggregate(latest=Max("published_at"))["latest"]
    assert latest == max(IN_UTC)
    assert latest.tzinfo == datetime.UTC
