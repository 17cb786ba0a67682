"""Rate limits: how fast one client may post to the API and to the questionnaire, and a looser
limit on pages, so that one client cannot slow the site for others.

A client is its address, `request.remote_addr`. Behind TRUSTED_PROXIES reverse proxies,
ProxyFix (app/__init__.py) has already taken it from X-Forwarded-For; with none trusted that
header is ignored, so a forged one changes nothing.

The POST limits are Flask-Limiter's. Pages are counted by a hook of ours with `limits`, the
library Flask-Limiter is built on, in the same storage: Flask-Limiter works out every limit of
the app afresh on each request, which cost 90 microseconds a page (measured; a cached page takes
about 110 in all), and 16 even with pages left out of its check; the hook below costs about 3.
So Flask-Limiter's check runs on POSTs only (PostLimiter).

Counts live in RATELIMIT_STORAGE_URI: memory:// keeps them in each worker process, redis://
shares them between all workers and instances. If Redis stops answering, each worker counts in
its own memory until Redis is back (Flask-Limiter's in-memory fallback for the POSTs, PageLimit's
own for pages), and an error while counting lets the request through: limits must never take the
site down.
"""

from __future__ import annotations

import logging
import math
import threading
import time

from flask import Blueprint, Flask, abort, g, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage
from limits.strategies import FixedWindowRateLimiter

from .config import ConfigError
from .metrics import METRICS_ENDPOINT

PAGES_LIMIT = "RATELIMIT_PAGES"  # all GET and HEAD requests of one client, shared by every page
PAGES_SCOPE = "pages"
# Load balancers and monitors poll these, and every page loads its assets: never refuse them.
# By endpoint, so an address that matches no route (a 404) is counted like any page.
EXEMPT_ENDPOINTS = frozenset({"health.live", "health.ready", METRICS_ENDPOINT, "assets", "static"})
# While the shared storage fails, pages are counted in memory; it is asked again after this.
SHARED_STORAGE_RETRY_SECONDS = 5.0
# Clients whose page counts one worker keeps in memory; beyond that, the oldest windows go.
MAX_LOCAL_CLIENTS = 10_000
log = logging.getLogger(__name__)
# Retry-After when a 429 comes from elsewhere than a limit we counted (nothing does today).
DEFAULT_RETRY_AFTER = 60


def init_app(app: Flask) -> None:
    app.add_template_global(wait_time)
    if not app.config["RATELIMIT_ENABLED"]:
        return
    pages = checked_limit(app, PAGES_LIMIT)
    limiter = PostLimiter(
        get_remote_address,
        on_breach=remember_wait,
        # Part of the promise, not tuning: with Redis gone, count in memory, and never fail a
        # request because counting failed.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    for blueprint, config_key in limited_posts().items():
        limiter.limit(checked_limit(app, config_key), methods=["POST"])(blueprint)
    limiter.init_app(app)
    page_limit = PageLimit(parse_many(pages), limiter.storage)

    @app.before_request
    def count_page() -> None:
        sent = request._get_current_object()  # one proxy lookup (this runs on every page)
        if sent.method not in ("GET", "HEAD") or sent.endpoint in EXEMPT_ENDPOINTS:
            return
        if not sent.remote_addr:  # a unix socket and no proxy trusted: nobody to tell apart
            return
        wait = page_limit.hit(sent.remote_addr)
        if wait is not None:
            g.rate_limit_retry_after = wait
            abort(429)


class PostLimiter(Limiter):
    """Flask-Limiter, checking POSTs only: pages have PageLimit (see the module's docstring)."""

    def _check_request_limit(self, callable_name=None, in_middleware=True) -> None:
        if request.method == "POST":
            super()._check_request_limit(callable_name, in_middleware)


class PageLimit:
    """One client's GET and HEAD requests, all pages together, counted in fixed windows (as
    Flask-Limiter counts by default) for each of the limits given ("10/second;600/minute"): in
    this worker's memory for memory://, else in the shared storage, and in memory while that
    fails."""

    def __init__(self, limits: list[RateLimitItem], storage: Storage):
        self.limits = limits
        self.local = [LocalWindows(limit.amount, limit.get_expiry()) for limit in limits]
        shared = not isinstance(storage, MemoryStorage)  # memory:// is this worker's anyway
        self.shared = FixedWindowRateLimiter(storage) if shared else None
        self._shared_failed_at = float("-inf")

    def hit(self, client: str) -> int | None:
        """Count a request: None if `client` may have it, else the seconds it must wait."""
        now = time.monotonic()
        if self.shared is None or now - self._shared_failed_at < SHARED_STORAGE_RETRY_SECONDS:
            return self._hit_local(client, now)
        try:
            waits = [self._hit_shared(limit, client) for limit in self.limits]
        except Exception as error:  # a storage that fails, in whatever way its client does
            log.warning("Rate limit storage unreachable (%s): counting pages in memory", error)
            self._shared_failed_at = now
            return self._hit_local(client, now)
        return max((wait for wait in waits if wait is not None), default=None)

    def _hit_shared(self, limit: RateLimitItem, client: str) -> int | None:
        if self.shared.hit(limit, PAGES_SCOPE, client):
            return None
        reset_at = self.shared.get_window_stats(limit, PAGES_SCOPE, client).reset_time
        return max(1, math.ceil(reset_at - time.time()))

    def _hit_local(self, client: str, now: float) -> int | None:
        waits = [windows.hit(client, now) for windows in self.local]
        return max((wait for wait in waits if wait is not None), default=None)


class LocalWindows:
    """Fixed-window counts per client in this process. Not `limits`' MemoryStorage: that starts
    a thread every 10 ms to expire its keys, which cost pages 20 microseconds each under
    gunicorn (measured); here a window simply restarts when it is over.

    Windows are kept in the order they started, so the oldest go first when `most_clients` is
    reached (a flood from many addresses costs one eviction a request, and 10,000 windows about
    2 MB); a client whose window is evicted early starts counting again."""

    def __init__(self, amount: int, seconds: int, most_clients: int = MAX_LOCAL_CLIENTS):
        self.amount, self.seconds, self.most_clients = amount, seconds, most_clients
        self._windows: dict[str, tuple[float, int]] = {}  # client: (window start, count)
        self._lock = threading.Lock()

    def hit(self, client: str, now: float) -> int | None:
        with self._lock:
            window = self._windows.get(client)
            if window is None or now - window[0] >= self.seconds:
                self._windows.pop(client, None)  # a new window goes to the end
                while len(self._windows) >= self.most_clients:
                    del self._windows[next(iter(self._windows))]
                window = (now, 0)
            start, count = window
            if count >= self.amount:
                return max(1, math.ceil(start + self.seconds - now))
            self._windows[client] = (start, count + 1)
        return None


def limited_posts() -> dict[Blueprint, str]:
    """Each blueprint whose POSTs have a limit of their own, and the config key of that limit."""
    # Imported here, as in register_blueprints: the API's error messages import this module.
    from .api.views import bp as api
    from .questionnaire.views import bp as questionnaire

    return {api: "RATELIMIT_API_POST", questionnaire: "RATELIMIT_QUESTIONNAIRE_POST"}


def checked_limit(app: Flask, config_key: str) -> str:
    """The limit under `config_key`, checked now so that a typo stops the app at start-up
    (Flask-Limiter would only log it at the first request, and limit nothing)."""
    value = app.config[config_key]
    try:
        parse_many(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{config_key}={value!r} is not a rate limit; write it like '60 per minute' "
            "or '10/second;600/hour'."
        ) from None
    return value


def remember_wait(limit: RequestLimit) -> None:
    """How long this client must wait, for the Retry-After header and the messages."""
    # The whole window first, in case the storage fails while we ask when it ends.
    g.rate_limit_retry_after = limit.limit.get_expiry()
    g.rate_limit_retry_after = max(1, math.ceil(limit.window.reset_time - time.time()))


def seconds_until_retry() -> int:
    return g.get("rate_limit_retry_after", DEFAULT_RETRY_AFTER)


def wait_time() -> str:
    """'1 second' or 'N seconds', for the 429 page and the API's message."""
    seconds = seconds_until_retry()
    return f"{seconds} second" if seconds == 1 else f"{seconds} seconds"
