"""Content in every language: a `language` column on every content table.

Each row holds one language's words (app/models.py, InLanguage); slugs and keys are unique
per language. Existing rows are English. `flask content load` then writes the Spanish rows
from the translation files beside the English ones (app/translation.py). The SQLite search
index gets a language column too; it is rebuilt empty, and `content load` fills it.

Revision ID: 7c51e2a9d3b4
Revises: 0be3b1c04f21
Create Date: 2026-11-30 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7c51e2a9d3b4"
down_revision = "0be3b1c04f21"
branch_labels = None
depends_on = None

# Tables whose rows are written per language, and the column that was unique on its own.
UNIQUE_BY_LANGUAGE = {
    "source": "key",
    "role": "slug",
    "care_setting": "slug",
    "condition": "slug",
    "country": "code",
    "panel": "key",
    "glossary_term": "slug",
    "clinician": "slug",
}
CHILD_TABLES = ("role_in_setting", "condition_care", "training_path", "training_stage")

SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "kind UNINDEXED, slug UNINDEXED, {language}title, keywords, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)


def upgrade():
    for table in [*UNIQUE_BY_LANGUAGE, *CHILD_TABLES]:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_language"), ["language"], unique=False)
            if table in UNIQUE_BY_LANGUAGE:
                column = UNIQUE_BY_LANGUAGE[table]
                batch_op.drop_constraint(batch_op.f(f"uq_{table}_{column}"), type_="unique")
                batch_op.create_unique_constraint(
                    batch_op.f(f"uq_{table}_language"), ["language", column]
                )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_index")
        op.execute(SEARCH_INDEX.format(language="language UNINDEXED, "))


# Citations of each kind of row (app/models.py): deleted by hand on the way down, since SQLite
# does not enforce ON DELETE CASCADE unless foreign keys are switched on.
CITATIONS = {
    "role_source": "role",
    "care_setting_source": "care_setting",
    "condition_source": "condition",
    "training_path_source": "training_path",
    "panel_source": "panel",
    "glossary_term_source": "glossary_term",
    "clinician_source": "clinician",
}


def downgrade():
    # Back to English alone: the rows of other languages go, with their citations.
    for citation, owner in CITATIONS.items():
        op.execute(
            sa.text(
                f"DELETE FROM {citation} WHERE {owner}_id IN "
                f"(SELECT id FROM {owner} WHERE language != 'en') OR source_id IN "
                "(SELECT id FROM source WHERE language != 'en')"
            )
        )
    for table in reversed([*UNIQUE_BY_LANGUAGE, *CHILD_TABLES]):
        op.execute(sa.text(f"DELETE FROM {table} WHERE language != 'en'"))
    for table in [*UNIQUE_BY_LANGUAGE, *CHILD_TABLES]:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in UNIQUE_BY_LANGUAGE:
                column = UNIQUE_BY_LANGUAGE[table]
                batch_op.drop_constraint(batch_op.f(f"uq_{table}_language"), type_="unique")
                batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_{column}"), [column])
            batch_op.drop_index(batch_op.f(f"ix_{table}_language"))
            batch_op.drop_column("language")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_index")
        op.execute(SEARCH_INDEX.format(language=""))
