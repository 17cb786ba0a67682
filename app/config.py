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
    # How many reverse proxies in front set X-Forwarded-* headers (0: trust none).
    "TRUSTED_PROXIES": 0,
    # The questionnaire, its rules and the content they are checked against (recommendations.py).
    "QUESTIONS_FILE": QUESTIONS_FILE,
    "RULES_FILE": RULES_FILE,
    "CONTENT_DIR": CONTENT_DIR,
}

# Environment variables read at start-up, and the config keys they set.
ENVIRONMENT_KEYS = {
    "APP_ENV": "APP_ENV",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
}

DEV_SECRET_FILE = "dev-secret-key"


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for env_name, config_key in ENVIRONMENT_KEYS.items():
        value = os.environ.get(env_name)
        if value:
            app.config[config_key] = value
    if test_config:
        app.config.from_mapping(test_config)

    app.config.setdefault("SQLALCHEMY_DATABASE_URI", default_database_url(app))
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["APP_ENV"] == "production":
        check_production(app)
        app.config["SESSION_COOKIE_SECURE"] = True
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = development_secret(Path(app.instance_path))


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
