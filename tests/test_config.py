"""Configuration: safe defaults, environment overrides, and a strict production mode."""

import os
import re

import pytest

from app import create_app
from app.config import ConfigError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in ("APP_ENV", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_a_short_secret(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "changeme")
    with pytest.raises(ConfigError, match="32 characters"):
        create_app()


def test_production_refuses_debug(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigError, match="debug"):
        create_app({"DEBUG": True})


def test_production_with_a_secret_starts_with_secure_cookies(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "x" * 40


def test_development_makes_a_random_secret_and_keeps_it(tmp_path):
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


def test_database_defaults_to_sqlite_in_instance_folder():
    app = create_app()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("instance/pain_care_navigator.db")


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://user:pw@db.internal/pcn")
    app = create_app()
    # The old "postgres://" scheme is accepted and rewritten for SQLAlchemy 2.
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql://user:pw@db.internal/pcn"


def test_proxy_headers_are_ignored_unless_trusted():
    from flask import request

    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    seen = {}
    for trusted in (0, 1):
        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TRUSTED_PROXIES": trusted})

        @app.get("/__where")
        def where():
            return f"{request.scheme} {request.remote_addr}"

        seen[trusted] = app.test_client().get("/__where", headers=headers).get_data(as_text=True)
    assert seen == {0: "http 127.0.0.1", 1: "https 203.0.113.9"}


def test_loading_the_app_opens_no_database_connection(monkeypatch):
    # gunicorn.conf.py preloads the app and forks workers from it: a connection opened while
    # loading would be shared by every worker. Nothing listens on port 1, so connecting fails.
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody:none@127.0.0.1:1/nothing")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("127.0.0.1:1/nothing")


@pytest.mark.parametrize(
    ("key", "value"),
    [("DATABASE_RETRY_AFTER", "2.5"), ("DATABASE_RETRY_AFTER", "0"), ("DATABASE_TIMEOUT", "soon")],
)
def test_database_seconds_that_do_not_parse_stop_the_app(monkeypatch, key, value):
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=f"{key}='{re.escape(value)}' must be a positive"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40})


def test_database_seconds_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_TIMEOUT", "2.5")
    monkeypatch.setenv("DATABASE_RETRY_AFTER", "7")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40})
    assert (app.config["DATABASE_TIMEOUT"], app.config["DATABASE_RETRY_AFTER"]) == (2.5, 7)


def test_gunicorn_workers_leave_alembic_out(tmp_path):
    """Workers never migrate, so they do without Flask-Migrate and Alembic (11 MB each); the
    `flask db` commands are there everywhere else."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    check = (
        "import runpy, sys; runpy.run_path('gunicorn.conf.py'); import wsgi; "
        "print('alembic' in sys.modules, 'migrate' in wsgi.app.extensions)"
    )
    # A metrics directory of the test's own, so gunicorn.conf.py makes none to remove.
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    served = subprocess.run(
        [sys.executable, "-c", check], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert served.stdout.split() == ["False", "False"]
    cli = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0 and "upgrade" in cli.stdout
