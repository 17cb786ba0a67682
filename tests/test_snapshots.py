"""A content load while the site is serving: every page shows the content from before the
load or from after it, never a mix of both (app/snapshots.py)."""

from __future__ import annotations

import re
import threading

from app.content.loader import load_content
from app.extensions import db

from .conftest import copy_of_content, edit_yaml

MARK = re.compile(r"Snapshot check ([AB])")


def content_marked(tmp_path, letter: str):
    """The site's content with the physiatrist's summary (roles table) and the name of a
    setting shown on the physiatrist's page (care settings table) both marked `letter`."""
    content = copy_of_content(tmp_path / f"content-{letter}")
    for path, key in [
        (content / "roles/physiatrist.yaml", "summary"),
        (content / "settings/rehabilitation-hospital.yaml", "name"),
    ]:
        edit_yaml(
            path, lambda data, key=key: data.update({key: f"{data[key]} Snapshot check {letter}."})
        )
    return content


def test_pages_never_mix_content_from_before_and_after_a_load(empty_app, tmp_path):
    first, second = content_marked(tmp_path, "A"), content_marked(tmp_path, "B")
    with empty_app.app_context():
        load_content(db.session, first)
    stop = threading.Event()
    seen: list[str] = []
    problems: list[str] = []

    def read(reader: int) -> None:
        client = empty_app.test_client()
        count = 0
        while not stop.is_set():
            count += 1
            # A new query string each time: the page is drawn afresh, not served from cache.
            response = client.get(f"/roles/physiatrist?reader={reader}&n={count}")
            marks = MARK.findall(response.get_data(as_text=True))
            if response.status_code != 200 or len(marks) < 2 or len(set(marks)) != 1:
                problems.append(f"{response.status_code} {marks}")
            seen.extend(marks[:1])

    readers = [threading.Thread(target=read, args=(n,)) for n in range(3)]
    for thread in readers:
        thread.start()
    try:
        for load in range(10):
            with empty_app.app_context():
                load_content(db.session, second if load % 2 == 0 else first)
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert not problems, problems[:5]
    assert {"A", "B"} <= set(seen) and len(seen) > 50


def test_postgresql_reads_at_repeatable_read_and_sqlite_is_left_to_its_recipe():
    from app.snapshots import engine_options

    postgres = engine_options("postgresql+psycopg://u:p@db/site", {"pool_pre_ping": True})
    assert postgres == {"isolation_level": "REPEATABLE READ", "pool_pre_ping": True}
    assert engine_options("sqlite:///site.db", {"pool_pre_ping": True}) == {"pool_pre_ping": True}


def test_sqlite_database_files_run_in_wal_mode(app):
    import pytest
    from sqlalchemy import text

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL: its isolation level gives each request a snapshot")
        mode = db.session.execute(text("PRAGMA journal_mode")).scalar()
    assert mode == "wal"


def test_a_read_only_database_file_is_still_served(tmp_path, monkeypatch):
    import sqlite3

    from .conftest import make_app, migrate_database

    warnings: list[str] = []  # recorded directly: running migrations reconfigures logging
    monkeypatch.setattr("app.snapshots.log.warning", lambda text, *args: warnings.append(text))

    path = tmp_path / "read-only.db"
    writer = make_app(path)
    migrate_database(writer)
    with writer.app_context():
        load_content(db.session)
        db.engine.dispose()
    with sqlite3.connect(path) as raw:  # as a file made elsewhere, in the default journal mode
        raw.execute("PRAGMA journal_mode=DELETE")
    reader = make_app(f"sqlite:///file:{path}?mode=ro&uri=true")
    client = reader.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/roles/physiatrist?fresh=1").status_code == 200
    assert warnings and "not WAL" in warnings[0]


def test_an_in_memory_database_serves_requests_from_several_threads():
    from concurrent.futures import ThreadPoolExecutor

    from app import create_app

    from .conftest import migrate_database

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "CONTENT_VERSION_TTL": 0,
        }
    )
    migrate_database(app)
    with app.app_context():
        load_content(db.session)

    def fetch(n: int) -> int:
        return app.test_client().get(f"/roles/physiatrist?n={n}").status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(fetch, range(120)))
    assert set(statuses) == {200}
