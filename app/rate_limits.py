"""Rate limits (Flask-Limiter): how fast one client may post to the API and to the
questionnaire, and a looser limit on pages, so that one client cannot slow the site for others.

A client is its address, `request.remote_addr`. Behind TRUSTED_PROXIES reverse proxies,
ProxyFix (app/__init__.py) has already taken it from X-Forwarded-For; with none trusted that
header is ignored, so a forged one changes nothing.

Counts live in RATELIMIT_STORAGE_URI: memory:// keeps them in each worker process, redis://
shares them between all workers and instances. If Redis stops answering, each worker counts in
its own memory until Redis is back (Flask-Limiter's in-memory fallback), and an error while
counting lets the request through: limits must never take the site down.
"""

from __future__ import annotations

import math
import time

from flask import Blueprint, Flask, Response, g, request
from flask_limiter import ApplicationLimit, Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from limits import parse_many

from .config import ConfigError, config_flag

PAGES_LIMIT = "RATELIMIT_PAGES"  # all GET and HEAD requests of one client, shared by every page
# Load balancers and monitors poll these, and every page loads its assets: never refuse them.
EXEMPT_PATH_PREFIXES = ("/healthz", "/metrics", "/assets/", "/static/")
# Retry-After when a 429 comes from elsewhere than a limit we counted (nothing does today).
DEFAULT_RETRY_AFTER = 60


def init_app(app: Flask) -> None:
    # From the environment the switch is text, and "false" is a true string.
    app.config["RATELIMIT_ENABLED"] = config_flag(app.config["RATELIMIT_ENABLED"])
    app.after_request(add_retry_after)
    app.add_template_global(wait_time)
    if not app.config["RATELIMIT_ENABLED"]:
        return
    pages = ApplicationLimit(
        checked_limit(app, PAGES_LIMIT), scope="pages", methods=["GET", "HEAD"]
    )
    limiter = Limiter(
        get_remote_address,
        application_limits=[pages],
        on_breach=remember_wait,
        # Part of the promise, not tuning: with Redis gone, count in memory, and never fail a
        # request because counting failed.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    limiter.request_filter(is_exempt)
    for blueprint, config_key in limited_posts().items():
        limiter.limit(checked_limit(app, config_key), methods=["POST"])(blueprint)
    limiter.init_app(app)


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


def is_exempt() -> bool:
    return request.path.startswith(EXEMPT_PATH_PREFIXES)


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


def add_retry_after(response: Response) -> Response:
    if response.status_code == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(seconds_until_retry())
    return response
