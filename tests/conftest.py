"""Fixtures: an app on a migrated, content-loaded SQLite file, a client and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import inspect, select

from app import MIGRATIONS_DIR, create_app
from app.content.loader import load_content
from app.extensions import db
from app.models import CareSetting, Condition, Role

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


def make_app(database_path: Path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}",
        "WTF_CSRF_ENABLED": False,
        "CONTENT_VERSION_TTL": 0,  # see content loads at once
        **overrides,
    }
    return create_app(config)


def migrate_database(app) -> None:
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One migrated database with all content, shared by the read-only page tests."""
    app = make_app(tmp_path_factory.mktemp("db") / "site.db")
    migrate_database(app)
    with app.app_context():
        load_content(db.session)
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def empty_app(tmp_path):
    """A freshly migrated database with no content, for loader tests."""
    app = make_app(tmp_path / "empty.db")
    migrate_database(app)
    return app


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
