"""Configuration: code defaults, then instance/config.py, then the environment, then tests.

`APP_ENV=production` turns on the strict checks: a real SECRET_KEY is required and debug
must be off. Anything else is development, where a random secret is made and kept in
instance/ so that restarts and several workers agree on it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from .content import CONTENT_DIR
from .recommend.engine import RULES_FILE
from .recommend.questionnaire import QUESTIONS_FILE


class ConfigError(RuntimeError):
    """The app cannot start safely with this configuration."""


DEFAULTS: dict[str, Any] = {
    "APP_ENV": "development",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # gzip/brotli for pages, styles and images; API answers are small and left plain.
    "COMPRESS_MIMETYPES": ["text/html", "text/css", "image/svg+xml"],
    # Seconds a worker trusts the content version it last read (see app/caching.py).
    "CONTENT_VERSION_TTL": 1.0,
    # Flask-Migrate and the `flask db` commands (app/__init__.py); off in gunicorn's workers.
    "DATABASE_MIGRATIONS": True,
    # Seconds one request may wait on the database: for a connection, a statement (PostgreSQL)
    # or a writer's lock (SQLite), so a stuck database cannot hold every worker (app/faults.py).
    "DATABASE_TIMEOUT": 5.0,
    # Retry-After, in seconds, on the 503 answered while the database is down.
    "DATABASE_RETRY_AFTER": 5,
    # How many reverse proxies in front set X-Forwarded-* headers (0: trust none).
    "TRUSTED_PROXIES": 0,
    # The questionnaire, its rules and the content they are checked against (recommendations.py).
    "QUESTIONS_FILE": QUESTIONS_FILE,
    "RULES_FILE": RULES_FILE,
    "CONTENT_DIR": CONTENT_DIR,
    # Rate limits (app/rate_limits.py), per client address, in Flask-Limiter's notation.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_API_POST": "60 per minute",
    "RATELIMIT_QUESTIONNAIRE_POST": "30 per minute",
    "RATELIMIT_PAGES": "600 per minute",  # every GET and HEAD of one client, all pages together
    # memory:// counts in each worker; redis://host:port shares the counts between instances.
    "RATELIMIT_STORAGE_URI": "memory://",
    # For Redis: give up quickly on an unreachable server and count in memory meanwhile.
    "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    # Metrics and request logs (app/metrics.py, app/request_log.py; docs/deploy.md).
    # /metrics answers 404 unless enabled, and then only to these addresses or networks ("*":
    # any, which needs the token) and, when a token is set, to "Authorization: Bearer <token>".
    "METRICS_ENABLED": False,
    "METRICS_TOKEN": None,
    "METRICS_ALLOWED_ADDRESSES": ["127.0.0.1", "::1"],
    # One JSON line per request on stdout (logger "pain_care_navigator.requests").
    "REQUEST_LOG_ENABLED": True,
}

# Environment variables read at start-up, and the config keys they set.
ENVIRONMENT_KEYS = {
    "APP_ENV": "APP_ENV",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "RATELIMIT_ENABLED": "RATELIMIT_ENABLED",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "RATELIMIT_API_POST": "RATELIMIT_API_POST",
    "RATELIMIT_QUESTIONNAIRE_POST": "RATELIMIT_QUESTIONNAIRE_POST",
    "RATELIMIT_PAGES": "RATELIMIT_PAGES",
    "METRICS_ENABLED": "METRICS_ENABLED",
    "METRICS_TOKEN": "METRICS_TOKEN",
    "METRICS_ALLOWED_ADDRESSES": "METRICS_ALLOWED_ADDRESSES",
    "REQUEST_LOG_ENABLED": "REQUEST_LOG_ENABLED",
    "DATABASE_MIGRATIONS": "DATABASE_MIGRATIONS",
    "DATABASE_TIMEOUT": "DATABASE_TIMEOUT",
    "DATABASE_RETRY_AFTER": "DATABASE_RETRY_AFTER",
}

DEV_SECRET_FILE = "dev-secret-key"
# On/off settings, as the code uses them (the environment gives text).
SWITCH_KEYS = ("DATABASE_MIGRATIONS", "RATELIMIT_ENABLED", "METRICS_ENABLED", "REQUEST_LOG_ENABLED")
# Settings in seconds, as the code uses them (the environment gives text).
SECONDS_KEYS: dict[str, type[int] | type[float]] = {
    "DATABASE_TIMEOUT": float,
    "DATABASE_RETRY_AFTER": int,  # a header value: whole seconds
}


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for env_name, config_key in ENVIRONMENT_KEYS.items():
        value = os.environ.get(env_name)
        if value:
            app.config[config_key] = value
    if test_config:
        app.config.from_mapping(test_config)

    for key, kind in SECONDS_KEYS.items():
        app.config[key] = seconds(key, app.config[key], kind)
    for key in SWITCH_KEYS:
        app.config[key] = yes_or_no(key, app.config[key])
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", default_database_url(app))
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["APP_ENV"] == "production":
        check_production(app)
        app.config["SESSION_COOKIE_SECURE"] = True
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = development_secret(Path(app.instance_path))


def yes_or_no(key: str, value: Any) -> bool:
    """A switch given in code (True) or in the environment ("true", "0", "off", ...); anything
    else stops the app at start-up, rather than quietly turning a feature off (a typo in
    DATABASE_MIGRATIONS would otherwise hide the `flask db` commands)."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{key}={value!r} must be true or false.")


def seconds(key: str, value: Any, kind: type[int] | type[float]) -> int | float:
    """A positive number of seconds, checked at start-up rather than when first needed (a 503
    that failed to say when to come back would be a 500)."""
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = 0
    if number <= 0:
        whole = " whole" if kind is int else ""
        raise ConfigError(f"{key}={value!r} must be a positive{whole} number of seconds.")
    return number


def default_database_url(app: Flask) -> str:
    return "sqlite:///" + str(Path(app.instance_path) / "pain_care_navigator.db")


def normalise_database_url(url: str) -> str:
    # Hosting platforms often hand out "postgres://", which SQLAlchemy 2 no longer accepts.
    if url.startswith("postgres://"):
        return "postgresql://" + url.removeprefix("postgres://")
    return url


def check_production(app: Flask) -> None:
    secret = app.config.get("SECRET_KEY")
    if not secret or len(str(secret)) < 32:
        raise ConfigError(
            "APP_ENV=production needs SECRET_KEY set to a random value of 32 characters or more."
        )
    if app.debug or app.config.get("DEBUG"):
        raise ConfigError("APP_ENV=production must not run with debug on.")


def development_secret(instance_path: Path) -> str:
    """A random secret for development, kept in instance/ (git-ignored) once made."""
    secret_file = instance_path / DEV_SECRET_FILE
    secret = secrets.token_hex(32)
    try:
        instance_path.mkdir(parents=True, exist_ok=True)
        # Exclusive create: when several workers start at once, the first one's secret wins.
        with secret_file.open("x") as handle:
            handle.write(secret)
    except FileExistsError:
        return secret_file.read_text().strip() or secret
    except OSError:
        # A read-only checkout still runs; the secret then lasts for this process only.
        pass
    return secret
