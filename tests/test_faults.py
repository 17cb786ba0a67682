"""The database goes away while the site is serving (app/faults.py): pages drawn before keep
answering, other reads answer 503 with Retry-After, the questionnaire and the recommendation
API keep working, nothing is a 500, and it all comes back without a restart.

These tests make a real SQLite file unreadable under an app in this process. The same story
under load, with gunicorn and a real PostgreSQL server stopped and started, is in
tests/test_faults_served.py (and on PostgreSQL only there).
"""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text

from app.extensions import db
from app.faults import engine_options, is_database_fault
from app.questionnaire.results import all_roles, role_contents
from app.recommendations import checked_roles

from .conftest import TEST_DATABASE_URL, answers, form_fields, make_app
from .database_faults import copy_of_sqlite_database

sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's busy timeout")
postgresql_only = pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL")

WARM = ["/", "/roles/physiatrist", "/api/v1/roles", "/glossary"]
COLD = ["/roles/neurologist", "/care-settings", "/api/v1/roles/neurologist", "/search?q=nerve"]
RESULTS_POST = {"step": "check", **form_fields(answers())}


@pytest.fixture()
def site(app, tmp_path):
    """An app on its own copy of the loaded database, and that file, to be made unreadable."""
    if TEST_DATABASE_URL:
        pytest.skip("a SQLite file made unreadable; PostgreSQL stops in test_faults_served.py")
    database = copy_of_sqlite_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "s.db")
    own = make_app(database.path)
    yield own, database
    with own.app_context():
        db.engine.dispose()


def test_pages_drawn_before_keep_answering_and_others_are_503(site):
    app, database = site
    client = app.test_client()
    for path in WARM:
        assert client.get(path).status_code == 200, path
    database.stop()

    for path in WARM:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-cache, no-store"  # not kept as current
    for path in COLD:
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "5", path
    api = client.get("/api/v1/roles/neurologist").get_json()
    assert list(api) == ["errors"] and list(api["errors"]) == ["_service"]
    assert "Try again in a few seconds" in api["errors"]["_service"][0]
    page = BeautifulSoup(client.get("/care-settings").get_data(as_text=True), "html.parser")
    assert "not available right now" in page.find("h1").get_text()


def test_the_questionnaire_and_the_api_keep_working_without_the_database(site):
    app, database = site
    client = app.test_client()
    database.stop()  # cold: no page, fragment or role card was drawn before

    assert client.get("/which-specialist").status_code == 200
    results = client.post("/which-specialist", data=RESULTS_POST)
    assert results.status_code == 200
    cards = BeautifulSoup(results.get_data(as_text=True), "html.parser").select(".result-card")
    assert cards and all(card.find("h3").find("a") for card in cards)
    api = client.post("/api/v1/recommendations", json=answers())
    assert api.status_code == 200 and len(api.get_json()["recommendations"]) == 12
    for path in ["/api/v1/questionnaire", "/api/v1/openapi.json"]:  # they need no database
        assert client.get(path).status_code == 200, path


def test_it_recovers_without_a_restart(site):
    app, database = site
    client = app.test_client()
    database.stop()
    assert client.get("/roles/neurologist").status_code == 503
    database.start()
    for path in WARM + COLD:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-cache", path
    assert client.get("/healthz/ready").status_code == 200


def test_a_deleted_database_file_is_an_outage_too(site):
    """Deleted under the site, SQLite makes a new, empty file that has no tables: after a
    content version was read, that is the database gone, not a mistake of ours."""
    app, database = site
    client = app.test_client()
    assert client.get("/roles/physiatrist").status_code == 200
    database.path.unlink()
    with app.app_context():  # open connections still read the deleted file; new ones do not
        db.engine.dispose()
    assert client.get("/roles/physiatrist").status_code == 200  # as drawn before
    missing = client.get("/roles/neurologist")
    assert missing.status_code == 503 and missing.headers["Retry-After"] == "5"
    database.start()  # the file put back
    assert client.get("/roles/neurologist").status_code == 200


def test_a_workers_first_requests_wait_for_the_version_another_thread_reads(app, monkeypatch):
    """With threads, a request that arrives while another reads the content version for the
    first time must not be drawn as if there were no content (no glossary, no opioid panel)."""
    import threading

    from app.caching import VersionClock

    clock = VersionClock(ttl=60)
    original = db.session.execute
    first_read_started = threading.Event()

    def slow_execute(*args, **kwargs):
        first_read_started.set()
        time.sleep(0.3)
        return original(*args, **kwargs)

    answers_seen = []

    def read() -> None:
        with app.app_context():
            answers_seen.append(clock.version())

    monkeypatch.setattr(db.session, "execute", slow_execute)
    first = threading.Thread(target=read)
    first.start()
    first_read_started.wait(5)
    read()  # while the first thread is still reading
    first.join(5)
    assert len(answers_seen) == 2 and None not in answers_seen


def test_role_cards_from_checked_content_match_the_database(app):
    """While the database is down the results page draws its role cards from the content the
    engine checked at start-up: the same cards the database gives."""
    with app.test_request_context():
        from_database = role_contents(all_roles)
        from_content = role_contents(checked_roles)
    assert from_content == from_database


def test_readiness_follows_the_database(site):
    app, database = site
    client = app.test_client()
    assert client.get("/healthz/ready").status_code == 200
    database.stop()
    ready = client.get("/healthz/ready")
    assert ready.status_code == 503 and ready.get_json()["database"] == "unreachable"
    assert ready.headers["Retry-After"] == "5"
    assert client.get("/healthz/live").status_code == 200  # the process still answers
    database.start()
    assert client.get("/healthz/ready").get_json()["status"] == "ok"


def test_statements_and_locks_are_bounded():
    postgres = engine_options("postgresql+psycopg://u@h/d", 2.5, {"pool_pre_ping": True})
    connect = postgres["connect_args"]
    assert connect["options"] == "-c statement_timeout=2500 -c lock_timeout=2500"
    assert (connect["connect_timeout"], connect["tcp_user_timeout"]) == (2, 2500)
    assert connect["keepalives"] == 1  # a host that vanishes is noticed
    assert postgres["pool_timeout"] == 2.5 and postgres["pool_pre_ping"]
    sqlite = engine_options("sqlite:///x.db", 2.5, {"connect_args": {"check_same_thread": True}})
    assert sqlite["connect_args"] == {"timeout": 2.5, "check_same_thread": True}


@sqlite_only
def test_sqlite_waits_for_a_writer_at_most_the_database_timeout(tmp_path):
    app = make_app(tmp_path / "site.db", DATABASE_TIMEOUT=0.25)
    with app.app_context():
        busy_ms = db.session.execute(text("PRAGMA busy_timeout")).scalar()
        db.engine.dispose()
    assert busy_ms == 250


def test_our_own_mistakes_are_not_database_faults(tmp_path):
    from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

    app = make_app(tmp_path / "unmigrated.db")
    with app.app_context():
        with pytest.raises(OperationalError) as missing_table:  # SQLite's word for it
            db.session.execute(text("SELECT * FROM no_such_table"))
        db.session.rollback()
        db.engine.dispose()
    assert not is_database_fault(missing_table.value)
    assert not is_database_fault(ProgrammingError("SELECT", {}, Exception("syntax")))
    assert not is_database_fault(IntegrityError("INSERT", {}, Exception("unique")))
    assert not is_database_fault(ValueError("not the database"))


def test_an_unreadable_file_is_a_database_fault(site, caplog):
    from sqlalchemy.exc import DatabaseError

    app, database = site
    database.stop()
    with app.app_context():
        with pytest.raises(DatabaseError) as unreadable:
            db.session.execute(text("SELECT count(*) FROM role"))
        db.session.rollback()
    assert is_database_fault(unreadable.value)
    app.test_client().get("/roles/neurologist")
    assert "Database unavailable (DatabaseError: file is not a database)" in caplog.text


def test_a_patient_on_opioids_keeps_the_opioid_panel_while_the_database_is_down(site):
    app, database = site
    client = app.test_client()
    on_opioids = {"step": "check", **form_fields(answers(tried=["opioid_medicine"]))}
    before = BeautifulSoup(client.post("/which-specialist", data=on_opioids).data, "html.parser")
    assert before.find(id="opioid-safety") and before.select("a.term")
    database.stop()
    during = BeautifulSoup(client.post("/which-specialist", data=on_opioids).data, "html.parser")
    assert during.find(id="opioid-safety"), "the panel as last drawn"
    assert len(during.select("a.term")) == len(before.select("a.term"))


@postgresql_only
def test_a_stuck_postgresql_cannot_hold_a_request(app):
    """Another session holds a lock that every page waits for, as a long migration would:
    requests give up after DATABASE_TIMEOUT, answer from the cache or with a 503, and the site
    is back as soon as the lock goes."""
    from sqlalchemy import create_engine

    from .conftest import app_on_the_shared_database

    site = app_on_the_shared_database(app, DATABASE_TIMEOUT=0.5)
    client = site.test_client()
    assert client.get("/roles/physiatrist").status_code == 200
    blocker = create_engine(app.config["SQLALCHEMY_DATABASE_URI"]).connect()
    try:
        blocker.execute(text("LOCK TABLE content_release IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        cold = client.get("/roles/neurologist")
        waited = time.monotonic() - started
        assert cold.status_code == 503 and waited < 3, waited
        assert client.get("/roles/physiatrist").status_code == 200  # as drawn before
    finally:
        blocker.rollback()
        blocker.close()
        blocker.engine.dispose()
    assert client.get("/roles/neurologist").status_code == 200
    with site.app_context():
        db.engine.dispose()
