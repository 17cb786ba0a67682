"""Database faults: which errors mean "the database is not answering", the 503 the site gives
when it has nothing better, and the timeouts that keep a stuck database from holding every
worker.

What the site serves meanwhile (app/caching.py, app/errors.py): pages it has drawn before
(stale-if-error), the questionnaire and the recommendation API (the engine needs no database),
and a 503 with Retry-After for the rest. It recovers without a restart: a worker asks the
database again at most CONTENT_VERSION_TTL seconds after it last failed.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import ServiceUnavailable

# Errors that say the database cannot be reached or read: a refused or lost connection, no
# connection free in the pool, a statement or lock timeout (PostgreSQL reports those as
# OperationalError; our own mistakes there are ProgrammingError or IntegrityError).
FAULTS = (InterfaceError, PoolTimeout)
# SQLite calls almost everything OperationalError, our own bad SQL ("no such table") too, so
# its result code decides (carried by sqlite3's errors since Python 3.11): another process
# holding a lock, an I/O error, a damaged or foreign file, a file that cannot be opened, a full
# disk. Extended codes such as SQLITE_IOERR_READ start with these.
SQLITE_FAULTS = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_IOERR",
    "SQLITE_CORRUPT",
    "SQLITE_NOTADB",
    "SQLITE_CANTOPEN",
    "SQLITE_FULL",
    "SQLITE_PROTOCOL",
)


def is_database_fault(error: BaseException) -> bool:
    """Whether `error` means the database is down (a 503, or a page as drawn before), rather
    than a mistake of ours (a 500, so that it is noticed)."""
    if isinstance(error, FAULTS) or getattr(error, "connection_invalidated", False):
        return True
    if not isinstance(error, DatabaseError):
        return False
    original = error.orig
    if isinstance(original, sqlite3.Error):
        return (getattr(original, "sqlite_errorname", None) or "").startswith(SQLITE_FAULTS)
    return isinstance(error, OperationalError)


def is_missing_table(error: BaseException) -> bool:
    """A query named a table the database does not have (SQLite: "no such table", PostgreSQL:
    UndefinedTable): a mistake of ours, unless the tables were there a moment ago."""
    original = getattr(error, "orig", None)
    if isinstance(original, sqlite3.Error):
        return str(original).startswith("no such table")
    return getattr(original, "sqlstate", None) == "42P01"


class DatabaseUnavailable(ServiceUnavailable):
    """503: the page needs the database, the database is not answering, and this worker has
    no earlier rendering of the page to serve instead."""

    description = "The database is not answering."


def database_unavailable(retry_after: int) -> DatabaseUnavailable:
    return DatabaseUnavailable(retry_after=retry_after)


def engine_options(database_url: str, timeout: float, options: dict[str, Any]) -> dict[str, Any]:
    """Engine options bounding how long one request can wait on the database: `timeout`
    seconds for a connection from the pool, a new connection and (PostgreSQL) each statement,
    or (SQLite) a lock held by a writer. Options given in the config win."""
    backend = make_url(database_url).get_backend_name()
    connect_args: dict[str, Any] = {}
    bounded: dict[str, Any] = {}
    if backend == "postgresql":
        milliseconds = max(1, int(timeout * 1000))
        connect_args = {
            # libpq's smallest useful connect timeout is 2 seconds.
            "connect_timeout": max(2, round(timeout)),
            # Bounds the server keeps to: one statement, one wait for a lock.
            "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
            # For a server that vanishes without closing its connections (a crashed host, a
            # network cut), which would otherwise leave a worker waiting for minutes: a query
            # sent and not acknowledged fails after `timeout`; one sent and acknowledged but
            # never answered, when keepalives go unanswered (about 15 seconds on Linux).
            "tcp_user_timeout": milliseconds,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 4,
        }
        bounded["pool_timeout"] = timeout
    elif backend == "sqlite":
        connect_args = {"timeout": timeout}  # the busy timeout, in seconds
    given_args = options.get("connect_args", {})
    return {**bounded, **options, "connect_args": {**connect_args, **given_args}}
