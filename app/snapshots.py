"""Each request reads one snapshot of the database.

`flask content load` may commit while a page is being drawn. A page that makes several
queries could then show some rows from before the load and some from after it, and the page
cache would keep that mix. So every transaction reads from one snapshot, taken at its first
query:
- PostgreSQL: the REPEATABLE READ isolation level.
- SQLite: Python's sqlite3 driver starts a transaction only before a write, so each read
  would see the newest data. The driver's own BEGIN is switched off and SQLAlchemy's "begin"
  sends one at the start of every transaction instead (the recipe in SQLAlchemy's SQLite
  dialect docs). Database files are switched to WAL mode where possible, so that readers keep
  their snapshot while a writer commits and neither waits for the other; without it (a
  read-only file, say) snapshots still hold, and a load waits for readers instead.
An in-memory SQLite database is one connection shared by every thread, so it is left as is
(it is for quick experiments, not for serving).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url

from .extensions import db

log = logging.getLogger(__name__)


def engine_options(database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    """Engine options with the isolation level a snapshot needs (set before engines exist)."""
    if make_url(database_url).get_backend_name() == "postgresql":
        return {"isolation_level": "REPEATABLE READ", **options}
    return options


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine  # made by Flask-SQLAlchemy; no connection is opened here
    if engine.dialect.name == "sqlite" and not is_in_memory(engine.url):
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)


def is_in_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    dbapi_connection.isolation_level = None  # no BEGIN from the driver; see _sqlite_begin
    cursor = dbapi_connection.cursor()
    try:
        # The mode is kept in the file: usually this only reads it.
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0].lower()
        if mode != "wal":
            mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower()
        if mode != "wal":  # a read-only file, for one, keeps its mode without complaint
            log.warning("SQLite database left in journal mode %r, not WAL", mode)
    except sqlite3.OperationalError as error:
        log.warning("SQLite database left in its journal mode, not WAL: %s", error)
    finally:
        cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")
