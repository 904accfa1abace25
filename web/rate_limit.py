"""Fixed-window rate limits, in the process's memory (one web process) or in Redis (several)."""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from typing import Protocol

from redis.exceptions import RedisError

from web.settings import RateLimit

logger = logging.getLogger("refuge.web")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the window resets; 0 when allowed


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: RateLimit) -> Decision: ...

    async def close(self) -> None: ...


def address_bucket(address: str) -> str:
    """What a per-address limit counts: an IPv4 address, or an IPv6 /64.

    One IPv6 subscriber gets a whole /64 and can change addresses at will
    inside it; a /64 is what one household or one school has.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _window(limit: RateLimit, now: float) -> tuple[int, int]:
    index = int(now // limit.seconds)
    retry_after = max(1, math.ceil((index + 1) * limit.seconds - now))
    return index, retry_after


class MemoryRateLimiter:
    """Counts in this process: right for the default single web process only."""

    def __init__(self, clock=time.time) -> None:
        self._clock = clock
        # (key, window length, window index) -> (count, when the window ends)
        self._counts: dict[tuple[str, int, int], tuple[int, float]] = {}
        self._next_prune = 0.0

    async def hit(self, key: str, limit: RateLimit) -> Decision:
        # No await inside: on one event loop this read-modify-write is atomic.
        now = self._clock()
        index, retry_after = _window(limit, now)
        if len(self._counts) > 100_000 and now >= self._next_prune:
            # At most once a second: a flood of new keys must not make every hit pay.
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            self._next_prune = now + 1
        slot = (key, limit.seconds, index)
        count = self._counts.get(slot, (0, 0.0))[0] + 1
        self._counts[slot] = (count, (index + 1) * limit.seconds)
        if count > limit.count:
            return Decision(False, retry_after)
        return Decision(True, 0)

    async def close(self) -> None:
        self._counts.clear()


class RedisRateLimiter:
    """Counts in Redis, shared by every web process (INCR + EXPIRE in one round trip)."""

    def __init__(self, url: str, prefix: str = "refuge:rl", clock=time.time) -> None:
        import redis.asyncio as redis  # only needed in production

        self._redis = redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._prefix = prefix
        self._clock = clock

    async def hit(self, key: str, limit: RateLimit) -> Decision:
        index, retry_after = _window(limit, self._clock())
        redis_key = f"{self._prefix}:{key}:{limit.seconds}:{index}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(redis_key)
                pipe.expire(redis_key, limit.seconds + 1)
                count, _ = await pipe.execute()
        except RedisError:
            # Redis down must not silence a child asking for help: let the turn through.
            logger.warning("Limites de débit : Redis injoignable, message laissé passer")
            return Decision(True, 0)
        if int(count) > limit.count:
            return Decision(False, retry_after)
        return Decision(True, 0)

    async def close(self) -> None:
        await self._redis.close()


def make_rate_limiter(store: str, redis_url: str) -> RateLimiter:
    if store == "redis":
        return RedisRateLimiter(redis_url)
    return MemoryRateLimiter()
