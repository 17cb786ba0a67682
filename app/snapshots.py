"""Each request reads one snapshot of the database.

`flask content load` may commit while a page is being drawn. A page that makes several
queries could then show some rows from before the load and some from after it, and the page
cache would keep that mix. So every transaction reads from one snapshot, taken at its first
query:
- PostgreSQL: the REPEATABLE READ isolation level.
- SQLite: Python's sqlite3 driver starts a transaction only before a write, so each read
  would see the newest data. The driver's own BEGIN is switched off and SQLAlchemy's "begin"
  sends one at the start of every transaction instead (the recipe in SQLAlchemy's SQLite
  dialect docs). The database runs in WAL mode, where readers keep their snapshot while a
  writer commits, and neither waits for the other.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import make_url

from .extensions import db


def engine_options(database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    """Engine options with the isolation level a snapshot needs (set before engines exist)."""
    if make_url(database_url).get_backend_name() == "postgresql":
        return {"isolation_level": "REPEATABLE READ", **options}
    return options


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine  # made by Flask-SQLAlchemy; no connection is opened here
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    dbapi_connection.isolation_level = None  # no BEGIN from the driver; see _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; in-memory databases ignore it
    cursor.close()


def _sqlite_begin(connection) -> None:
    # Straight to the driver: transaction control, not a query (nor counted as one in tests).
    connection.connection.dbapi_connection.execute("BEGIN")
