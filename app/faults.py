"""Database faults: which errors mean "the database is not answering", the 503 the site gives
when it has nothing better, and the timeouts that keep a stuck database from holding every
worker.

What the site serves meanwhile (app/caching.py, app/errors.py): pages it has drawn before
(stale-if-error), the questionnaire and the recommendation API (the engine needs no database),
and a 503 with Retry-After for the rest. It recovers without a restart: a worker asks the
database again at most CONTENT_VERSION_TTL seconds after it last failed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import ServiceUnavailable

# A lost or refused connection, a statement or lock timeout, a database file that cannot be
# read. Not here: mistakes in our own SQL or data (ProgrammingError, IntegrityError), which
# stay 500s so that they are noticed.
FAULTS = (OperationalError, InterfaceError, PoolTimeout)


def is_database_fault(error: BaseException) -> bool:
    # SQLite reports a damaged or foreign file as a plain DatabaseError ("file is not a
    # database"); its subclasses are our mistakes, as above.
    return isinstance(error, FAULTS) or type(error) is DatabaseError


class DatabaseUnavailable(ServiceUnavailable):
    """503: the page needs the database, the database is not answering, and this worker has
    no earlier rendering of the page to serve instead."""

    description = "The database is not answering."


def database_unavailable(retry_after: int | str) -> DatabaseUnavailable:
    return DatabaseUnavailable(retry_after=int(retry_after))


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
            "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
        }
        bounded["pool_timeout"] = timeout
    elif backend == "sqlite":
        connect_args = {"timeout": timeout}  # the busy timeout, in seconds
    given_args = options.get("connect_args", {})
    return {**bounded, **options, "connect_args": {**connect_args, **given_args}}
