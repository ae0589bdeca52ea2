"""Who may call the service: API keys, a per-key rate limit, and where the service may listen without keys."""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence


def given_key(headers: Mapping[str, str]) -> str | None:
    """The API key a request carries: `X-API-Key: KEY`, `Authorization: Bearer KEY`, or HTTP Basic auth with the
    key as the password (what a browser sends after its login prompt for the page and /docs)."""
    key = headers.get("x-api-key")
    if key:
        return key
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def key_is_valid(given: str, keys: Sequence[str]) -> bool:
    """Whether the key is one of the configured ones (compared in constant time)."""
    return any(secrets.compare_digest(given.encode(), key.encode()) for key in keys)


def client_id(key: str | None, address: str | None) -> str:
    """Whom a rate limit counts: the key (hashed, never kept as given) or, without keys, the client address."""
    if key is not None:
        return "key:" + hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"address:{address or 'unknown'}"


class RateLimiter:
    """A token bucket per client: `per_minute` requests in a burst, refilled at per_minute / 60 a second.

    It lives in one process, so with N workers a client may reach N times the limit. The table of clients is
    bounded: the least recently seen are forgotten first.
    """

    def __init__(self, per_minute: int, max_clients: int = 10_000) -> None:
        """Create the limiter.

        Args:
            per_minute: requests a minute per client (>= 1).
            max_clients: clients remembered at most.

        Raises:
            ValueError: per_minute below 1.
        """
        if per_minute < 1:
            raise ValueError(f"per_minute must be >= 1, got {per_minute}")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Take one request from the client's bucket.

        Returns:
            0 when the request may go ahead, otherwise the seconds until it would be allowed.
        """
        with self._lock:
            now = time.monotonic()
            tokens, last = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


def is_loopback(host: str) -> bool:
    """Whether an address to listen on is reachable only from this machine (`localhost`, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_problem(host: str, api_keys: Sequence[str], insecure: bool) -> str | None:
    """Why the service must not listen on `host`, or None: an address other machines reach needs API keys.

    Args:
        host: the address to listen on.
        api_keys: the configured keys.
        insecure: the operator said to serve it open anyway (`serve --insecure`).
    """
    if is_loopback(host) or api_keys or insecure:
        return None
    return (f"refusing to listen on {host} without API keys: anyone who reaches it could use every route. Set "
            "CREATORMATCH_API_KEYS, listen on 127.0.0.1, or pass --insecure to serve it open on purpose")
