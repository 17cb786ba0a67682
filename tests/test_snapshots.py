"""A content load while the site is serving: every page shows the content from before the
load or from after it, never a mix of both (app/snapshots.py)."""

from __future__ import annotations

import re
import shutil
import threading

import yaml

from app.content.loader import CONTENT_DIR, load_content
from app.extensions import db

MARK = re.compile(r"Snapshot check ([AB])")


def content_marked(tmp_path, letter: str):
    """The site's content with the physiatrist's summary (roles table) and the name of a
    setting shown on the physiatrist's page (care settings table) both marked `letter`."""
    content = tmp_path / f"content-{letter}"
    shutil.copytree(CONTENT_DIR, content)
    for path, key in [
        (content / "roles/physiatrist.yaml", "summary"),
        (content / "settings/rehabilitation-hospital.yaml", "name"),
    ]:
        data = yaml.safe_load(path.read_text())
        data[key] = f"{data[key]} Snapshot check {letter}."
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
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
