"""`db upgrade` on an empty database gives exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

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


def test_the_languages_migration_goes_down_to_english_alone_and_up_again(empty_app):
    """With content in two languages loaded, going below the languages migration leaves the
    English rows and no citation of a deleted row (SQLite does not cascade by itself)."""
    from flask_migrate import downgrade, upgrade

    from app import MIGRATIONS_DIR
    from app.content.loader import load_content

    # Every citation table of the models: <owner>_source, linking an owner row to a source.
    citations = {
        name: name.removesuffix("_source")
        for name in db.metadata.tables
        if name.endswith("_source") and name != "source"
    }
    assert len(citations) == 7
    with empty_app.app_context():
        load_content(db.session)
        db.session.remove()
        downgrade(directory=str(MIGRATIONS_DIR), revision="0be3b1c04f21")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM role")).scalar() == 12
            for citation, owner in citations.items():
                orphans = connection.execute(
                    text(
                        f"SELECT count(*) FROM {citation} WHERE {owner}_id NOT IN "
                        f"(SELECT id FROM {owner}) OR source_id NOT IN (SELECT id FROM source)"
                    )
                ).scalar()
                assert orphans == 0, citation
        upgrade(directory=str(MIGRATIONS_DIR))
        load_content(db.session)
        languages = db.session.execute(
            text("SELECT language, count(*) FROM role GROUP BY language ORDER BY language")
        ).all()
        assert [tuple(row) for row in languages] == [("en", 12), ("es", 12)]
