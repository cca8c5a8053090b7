"""Limits that count what an attacker needs (failures, unknown codes), not every visit.

Many honest people can share one address (a bootcamp classroom, a carrier's CGNAT,
a ceremony's Wi-Fi), so a per-address limit on every request would refuse them.
These helpers count chosen events in the rate-limit store Flask-Limiter uses
(shared by every process: lms/ratelimit_storage.py or Redis) with fixed windows:

* `wait_seconds(setting, *keys)` tells how long a key is still blocked (0 = free);
* `count(setting, *keys)` records one event and tells whether it just used up a limit;
* `first_time(setting, *keys)` tells whether a key is new in the setting's window,
  so a limit can count *distinct* accounts or codes.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse_many

from lms.extensions import limiter

PREFIX = "lms-throttle"


@dataclass(frozen=True)
class ClientAddress:
    """The network address an event came from, as the object of an audit row."""

    id: str


def enabled() -> bool:
    """Tell whether limits apply to this app (tests switch them off unless they test them)."""
    return bool(current_app.config.get("RATELIMIT_ENABLED", True) and limiter.enabled and limiter.initialized)


def _items(setting: str) -> list[RateLimitItem]:
    return _parsed(current_app.config[setting])


@functools.lru_cache(maxsize=64)
def _parsed(limits: str) -> tuple[RateLimitItem, ...]:
    """Parse a limit string once (items are immutable; every hit of the closing rush asks again)."""
    return tuple(parse_many(limits))


def _key(item: RateLimitItem, keys: tuple[str, ...]) -> str:
    return item.key_for(PREFIX, *keys)


def wait_seconds(setting: str, *keys: str) -> int:
    """Return the seconds until every limit in the setting allows another event for these keys."""
    if not enabled():
        return 0
    storage, now, wait = limiter.storage, time.time(), 0
    for item in _items(setting):
        key = _key(item, keys)
        if storage.get(key) >= item.amount:
            wait = max(wait, math.ceil(storage.get_expiry(key) - now), 1)
    return wait


def count(setting: str, *keys: str) -> bool:
    """Record one event for these keys; return True when this event used up one of the limits."""
    if not enabled():
        return False
    exhausted = False
    for item in _items(setting):
        exhausted |= limiter.storage.incr(_key(item, keys), item.get_expiry()) == item.amount
    return exhausted


def take(setting: str, *keys: str) -> int:
    """Count one event for these keys unless a limit blocks it; return the seconds to wait (0: counted).

    `wait_seconds` then `count`, in two round trips to the store when it reads and adds to
    several counters at once (lms/ratelimit_storage.py), instead of two per limit.
    """
    if not enabled():
        return 0
    storage, items = limiter.storage, _items(setting)
    if not hasattr(storage, "get_many"):  # e.g. Redis: one limit at a time
        if wait := wait_seconds(setting, *keys):
            return wait
        count(setting, *keys)
        return 0
    names = [_key(item, keys) for item in items]
    found, now, wait = storage.get_many(names), time.time(), 0
    for item, name in zip(items, names, strict=True):
        value, ends = found.get(name, (0, now))
        if value >= item.amount:
            wait = max(wait, math.ceil(ends - now), 1)
    if not wait:
        storage.incr_many({name: item.get_expiry() for item, name in zip(items, names, strict=True)})
    return wait


def first_time(setting: str, *keys: str) -> bool:
    """Tell whether these keys are seen for the first time within the setting's longest window."""
    if not enabled():
        return True
    longest = max(_items(setting), key=lambda item: item.get_expiry())
    return limiter.storage.incr(_key(longest, ("seen", *keys)), longest.get_expiry()) == 1


def wait_minutes(seconds: int) -> int:
    """Round a wait up to whole minutes, for messages such as "Coba lagi dalam 3 menit"."""
    return max(1, math.ceil(seconds / 60))
