"""`db upgrade` on an empty database gives exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import include_in_migrations
from app.extensions import db


def test_upgrade_builds_exactly_the_models_schema(empty_app):
    with empty_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_in_migrations}
        )
        assert compare_metadata(context, db.metadata) == []
        tables = set(inspect(connection).get_table_names())
    assert {"role", "care_setting", "training_path", "training_stage", "source"} <= tables
    assert "alembic_version" in tables
    if empty_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert "search_index" in tables, "SQLite gets the FTS5 search index"


def test_downgrade_then_upgrade_round_trips(empty_app):
    from flask_migrate import downgrade, upgrade

    from app import MIGRATIONS_DIR

    with empty_app.app_context():
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]  # search index too
        upgrade(directory=str(MIGRATIONS_DIR))
        assert "role" in inspect(db.engine).get_table_names()
