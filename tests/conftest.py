"""Fixtures: an app on a migrated, content-loaded database, a client and a CLI runner.

The database is a SQLite file by default. With TEST_DATABASE_URL set (a PostgreSQL URL), the
database-touching tests run there instead: the shared app uses that database and tests that
need an empty one use a second database named like it plus "_scratch". Both are wiped first.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from app import MIGRATIONS_DIR, create_app
from app.content.loader import CONTENT_DIR, load_content
from app.extensions import db
from app.models import CareSetting, Condition, Role
from app.translation import TRANSLATIONS, translation_path, translation_skeleton

from .answers import answers, form_fields, required_answers

__all__ = ["answers", "form_fields", "required_answers"]  # the answer factories, for tests

SPEC_ROLE_SLUGS = {
    "anesthesiologist",
    "pain-medicine-physician",
    "physiatrist",
    "neurologist",
    "rheumatologist",
    "orthopedic-surgeon",
    "neurosurgeon",
    "physical-therapist",
    "pain-psychologist",
    "primary-care-physician",
    "palliative-care-physician",
    "emergency-physician",
}

# Contract 1.1 words (shared/spec/questionnaire-v1.md), written out here so that a slip in the
# definition or the engine fails a test instead of changing both sides at once.
SPEC_NEW_RED_FLAGS = [
    "sudden_belly_groin_or_testicle_pain",
    "swollen_painful_leg",
    "pregnant_with_pain_or_bleeding",
    "head_injury_on_blood_thinners",
    "self_harm_thoughts",
]
SPEC_SEE_ALSO_WHO = {
    "dentist",
    "gynecologist",
    "urologist",
    "gastroenterologist",
    "oncology-team",
    "psychiatrist",
    "addiction-medicine",
    "chiropractor",
    "surgical-team",
}


TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def scratch_database_url() -> str:
    url = make_url(TEST_DATABASE_URL)
    return url.set(database=f"{url.database}_scratch").render_as_string(hide_password=False)


def wiped(url: str) -> str:
    """An empty PostgreSQL database at `url` (everything in its public schema dropped)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def make_app(database: Path | str, **overrides):
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "CONTENT_VERSION_TTL": 0,  # see content loads at once
        "DATABASE_MIGRATIONS": True,  # whatever the environment says: tests migrate
        # The suite sends thousands of requests from 127.0.0.1; tests/test_rate_limits.py turns
        # the limits on for its own apps.
        "RATELIMIT_ENABLED": False,
        **overrides,
    }
    return create_app(config)


def migrate_database(app) -> None:
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One migrated database with all content, shared by the read-only page tests."""
    database = (
        wiped(TEST_DATABASE_URL) if TEST_DATABASE_URL else tmp_path_factory.mktemp("db") / "site.db"
    )
    app = make_app(database)
    migrate_database(app)
    with app.app_context():
        load_content(db.session)
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before the interpreter does


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(autouse=True)
def shared_app_left_as_found(request):
    """Guard: a test may fill the shared app's caches, but never swap them or change its
    configuration, since later tests read both. Use `private_app` or `csrf_client` instead."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    config, extensions = dict(app.config), dict(app.extensions)
    yield
    assert dict(app.config) == config, "a test changed the shared app's configuration"
    replaced = [name for name, value in extensions.items() if app.extensions.get(name) is not value]
    assert not replaced, f"a test replaced the shared app's {', '.join(replaced)}"


def app_on_the_shared_database(app, **overrides):
    """Another app with caches of its own, reading the shared app's database."""
    return make_app(app.config["SQLALCHEMY_DATABASE_URI"], **overrides)


@pytest.fixture()
def private_app(app):
    """An app on the shared database with empty caches, for tests that need a cold cache or
    must change an app's state."""
    private = app_on_the_shared_database(app)
    yield private
    with private.app_context():
        db.engine.dispose()


class CsrfClient(FlaskClient):
    """A test client that takes the CSRF token from the rendered form, as a browser does."""

    def csrf_token(self, path: str = "/which-specialist") -> str:
        page = BeautifulSoup(self.get(path).get_data(as_text=True), "html.parser")
        return page.find("input", attrs={"name": "csrf_token"})["value"]

    def post_form(self, path: str, data: dict, **kwargs):
        """POST `data` as the form on `path` would, with the token that form carries."""
        return self.post(path, data={"csrf_token": self.csrf_token(path), **data}, **kwargs)


@pytest.fixture(scope="session")
def csrf_app(app):
    """The site with CSRF protection on, as in production, on the shared database."""
    protected = app_on_the_shared_database(app, WTF_CSRF_ENABLED=True)
    protected.test_client_class = CsrfClient
    yield protected
    with protected.app_context():
        db.engine.dispose()


@pytest.fixture()
def csrf_client(csrf_app) -> CsrfClient:
    return csrf_app.test_client()


@pytest.fixture()
def empty_app(tmp_path, app):  # after `app`: on PostgreSQL both must exist at once
    """A freshly migrated database with no content, for loader tests."""
    database = wiped(scratch_database_url()) if TEST_DATABASE_URL else tmp_path / "empty.db"
    app = make_app(database)
    migrate_database(app)
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before the next test wipes it


@pytest.fixture(scope="session")
def role_slugs(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Role.slug).order_by(Role.slug)))


@pytest.fixture(scope="session")
def setting_slugs(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(CareSetting.slug).order_by(CareSetting.slug)))


@pytest.fixture(scope="session")
def condition_slugs(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Condition.slug).order_by(Condition.slug)))


def dump_database() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: equal dumps mean an unchanged database."""
    tables = {}
    for table in db.metadata.sorted_tables:
        if not inspect(db.engine).has_table(table.name):
            continue
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        tables[table.name] = [tuple(row) for row in rows]
    return tables


def copy_of_content(destination: Path) -> Path:
    """A private copy of the real content files that a test may change."""
    shutil.copytree(CONTENT_DIR, destination)
    return destination


@pytest.fixture()
def content_dir(tmp_path) -> Path:
    return copy_of_content(tmp_path / "content")


def edit_yaml(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def copy_with_translations(english: Path, destination: Path) -> Path:
    """A copy of a file and of its translations beside it (questions.yaml, rules.yaml)."""
    shutil.copy(english, destination)
    for language in TRANSLATIONS:
        shutil.copy(translation_path(english, language), translation_path(destination, language))
    return destination


def edit_translations(english: Path, change: Callable[[dict], None]) -> None:
    """The same change to each translation of a file, as a translator would make it."""
    for language in TRANSLATIONS:
        edit_yaml(translation_path(english, language), change)


def untranslated(kind: str, key: str, item: dict) -> dict:
    """What a new entry looks like in a translation before it is translated: its words, still
    in English (as `flask content start-translation` writes them)."""
    return translation_skeleton(kind, {key: [item]})[key][0]
