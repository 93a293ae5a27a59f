"""
Django's Redis cache backend, keeping its Redis client.

Django's backend builds a new ``redis.Redis`` for every cache call, and
redis-py fills some 170 reply callbacks each time: more CPU than the rest
of a page cache hit. A client is safe to share between threads (it takes a
connection from its pool for each command), so one per pool is kept.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
