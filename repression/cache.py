"""A shared Redis cache whose outage costs the site its cache, not its pages.

Everything kept in the cache (whole pages, the list's counts) is keyed by the
version of the public data in the database and can be made again from it, so
a Redis server that is down, restarting or unreachable only makes pages
slower: reads find nothing and writes are dropped, each after at most the
socket timeout (repression/backends.py), and a warning is logged. Django's
own RedisCache raises instead, and every public page would answer 500 for as
long as Redis is away. Other Redis errors (a wrong password, a full memory
without an eviction policy) are still raised: they are the operator's to fix.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _without_redis(answer):
    """Make a cache method answer ANSWER(arguments) when Redis cannot be reached."""

    def wrap(method):
        @functools.wraps(method)
        def forgiving(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                logger.warning("The shared cache (Redis) cannot be reached: %s", exc)
                return answer(*args, **kwargs)

        return forgiving

    return wrap


def _default(key, default=None, **kwargs):
    return default


class SharedRedisCache(RedisCache):
    """Django's RedisCache, except that an unreachable server is a cache that is empty."""

    get = _without_redis(_default)(RedisCache.get)
    get_many = _without_redis(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _without_redis(lambda *a, **k: False)(RedisCache.has_key)
    set = _without_redis(lambda *a, **k: None)(RedisCache.set)
    set_many = _without_redis(lambda data, *a, **k: list(data))(RedisCache.set_many)
    add = _without_redis(lambda *a, **k: False)(RedisCache.add)
    touch = _without_redis(lambda *a, **k: False)(RedisCache.touch)
    delete = _without_redis(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _without_redis(lambda *a, **k: None)(RedisCache.delete_many)
