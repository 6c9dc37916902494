"""Counting what a caller used — requests, characters — against limits, with `limits`.

`limits` is the counting engine under Flask-Limiter, used here directly: Flask-Limiter's
decorators count *requests* with a key function, while a character quota must charge a cost
that is known only after the body is parsed and validated, and both must share one set of
counters (and so one storage: `memory://` per process, or `redis://` shared by all workers).

Limits are sliding-window counters. A moving window stores one timestamp per unit of cost
(a 2,000,000-character quota would keep two million of them); a fixed window counts a refused
hit, so one oversize request would burn a day's quota. A sliding-window counter keeps two
numbers per caller and refuses without counting.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from l10n.config import ConfigError
from l10n.errors import ServiceError

OFF = "off"


class RateLimited(ServiceError):
    """429 with a `Retry-After` header: the caller may try again, later."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


@dataclass(frozen=True)
class Refusal:
    limit: RateLimitItem
    retry_after: int  # seconds until the window has room again, at least 1

    def describe(self, unit: str) -> str:
        return f"{self.limit.amount} {unit} per {_window(self.limit)}"


def parse_limits(text: str, setting: str) -> tuple[RateLimitItem, ...]:
    """"600/minute", "10/second;500/hour" or "off" (no limit) → limit items."""
    if text.strip().lower() == OFF:
        return ()
    try:
        return tuple(parse_many(text))
    except ValueError as exc:
        raise ConfigError(f"{setting}={text!r}: {exc}") from None


class Limiter:
    """Shared counters; each `consume` names what it counts (namespace) and for whom."""

    def __init__(self, storage_uri: str) -> None:
        try:
            storage = storage_from_string(storage_uri)
        except ConfigurationError as exc:  # an unknown scheme, or its client not installed
            raise ConfigError(f"L10N_RATE_LIMIT_STORAGE={storage_uri!r}: {exc}") from None
        self._counter = SlidingWindowCounterRateLimiter(storage)

    def consume(self, limits: Sequence[RateLimitItem], namespace: str, who: str,
                cost: int = 1) -> Refusal | None:
        """Charge `cost` to every limit, or to none when one of them has no room left."""
        for limit in limits:
            if not self._counter.test(limit, namespace, who, cost=cost):
                return self._refusal(limit, namespace, who)
        for limit in limits:
            if not self._counter.hit(limit, namespace, who, cost=cost):  # lost a race
                return self._refusal(limit, namespace, who)
        return None

    def _refusal(self, limit: RateLimitItem, namespace: str, who: str) -> Refusal:
        reset = self._counter.get_window_stats(limit, namespace, who).reset_time
        return Refusal(limit, max(1, math.ceil(reset - time.time())))


def _window(limit: RateLimitItem) -> str:
    unit = limit.GRANULARITY.name
    return unit if limit.multiples == 1 else f"{limit.multiples} {unit}s"
