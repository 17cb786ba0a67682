"""`db upgrade` on an empty database gives exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.extensions import db


def test_upgrade_builds_exactly_the_models_schema(empty_app):
    with empty_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
        tables = set(inspect(connection).get_table_names())
    assert {"role", "care_setting", "training_path", "training_stage", "source"} <= tables
    assert "alembic_version" in tables


def test_downgrade_then_upgrade_round_trips(empty_app):
    from flask_migrate import downgrade, upgrade

    from app import MIGRATIONS_DIR

    with empty_app.app_context():
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade(directory=str(MIGRATIONS_DIR))
        assert "role" in inspect(db.engine).get_table_names()
