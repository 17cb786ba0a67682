"""The site under load while its database goes away and comes back: gunicorn serving on
127.0.0.1, a real database stopped mid-run (a PostgreSQL server of the test's own when
TEST_DATABASE_URL says the suite runs on PostgreSQL, else a SQLite file made unreadable).

What must hold (issue 14): pages drawn before keep answering 200, other reads answer 503 with
Retry-After, the questionnaire and the recommendation API keep answering, no response is a 500,
and within a few seconds of the database coming back everything answers 200 again.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar

import pytest

from app.content.loader import load_content
from app.extensions import db

from .conftest import TEST_DATABASE_URL, answers, form_fields, make_app, migrate_database
from .database_faults import PostgresServer, copy_of_sqlite_database, postgres_bin
from .servers import free_port, start_gunicorn, stop, wait_until_serving

WARM = ["/", "/roles/physiatrist", "/api/v1/roles", "/compare?roles=physiatrist,neurologist"]
# Never asked for before the database stops.
COLD = ["/roles/neurologist", "/care-settings", "/api/v1/roles/neurologist", "/glossary"]
# Asked for by the load with a new query each time, so never in the page cache.
FRESH = ["/search?q=nerve+{}", "/api/v1/roles/rheumatologist?n={}"]
API_POST = "/api/v1/recommendations"
RECOVERY_SECONDS = 10  # "within a few seconds" of the database coming back


@dataclass
class Answer:
    sent: float  # time.monotonic() when the request went out
    answered: float  # and when its answer came back
    path: str
    status: int
    retry_after: str | None


def fetch(base: str, path: str, body: bytes | None = None, opener=None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(base + path, data=body)
    if body is not None and path == API_POST:
        request.add_header("Content-Type", "application/json")
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Load:
    """A few clients asking for warm pages, fresh pages and recommendations in turn, with a
    short pause between requests (a bounded load), recording every answer."""

    def __init__(self, base: str, clients: int = 3, pause: float = 0.01):
        self.base, self.clients, self.pause = base, clients, pause
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _client(self, offset: int) -> None:
        requests = [(path, None) for path in WARM + FRESH]
        requests.append((API_POST, json.dumps(answers()).encode()))
        turn = offset
        while not self._stop.is_set():
            path, body = requests[turn % len(requests)]
            path = path.format(f"{offset}-{turn}")
            sent = time.monotonic()
            try:
                status, headers, _ = fetch(self.base, path, body)
            except OSError:  # no answer at all (reset, timeout): status 0, which fails the test
                status, headers = 0, {}
            retry_after = headers.get("Retry-After")
            self.answers.append(Answer(sent, time.monotonic(), path, status, retry_after))
            turn += 1
            time.sleep(self.pause)

    def __enter__(self) -> Load:
        for offset in range(self.clients):
            thread = threading.Thread(target=self._client, args=(offset * 3,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


@pytest.fixture()
def database(app, tmp_path) -> Iterator[PostgresServer | object]:
    """A loaded database of this test's own, that the test may stop and start."""
    if not TEST_DATABASE_URL:
        yield copy_of_sqlite_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "s.db")
        return
    if postgres_bin() is None:
        pytest.fail("PostgreSQL's programs are needed (Debian package postgresql)")
    server = PostgresServer(free_port())
    try:
        server.create()
        loader = make_app(server.url)
        migrate_database(loader)
        with loader.app_context():
            load_content(db.session)
            db.engine.dispose()
        yield server
    finally:
        server.remove()


@pytest.fixture()
def site(database, tmp_path) -> Iterator[str]:
    """gunicorn serving the database on 127.0.0.1: one worker with threads, so that the pages
    this test warms are warm in the worker that answers the next request."""
    env = {
        **os.environ,
        "APP_ENV": "development",
        "SECRET_KEY": "faults-" + "s" * 32,
        "DATABASE_URL": database.url,
        "DATABASE_TIMEOUT": "2",
        "RATELIMIT_ENABLED": "false",  # one test client sends hundreds of requests a second
    }
    log_file = tmp_path / "gunicorn.log"  # a file, not a pipe nobody reads while it serves
    with log_file.open("w") as log_handle:
        server, base = start_gunicorn(env, threads=4, stderr=log_handle)
    try:
        wait_until_serving(server, base)
        yield base
    finally:
        stop(server)
    log = log_file.read_text()
    # A worker that crashed or was killed for taking too long would hide behind the 503s.
    assert "WORKER TIMEOUT" not in log and "Traceback" not in log, log[-3000:]


def is_fresh(path: str) -> bool:
    return any(path.startswith(fresh.partition("{")[0]) for fresh in FRESH)


def results_through_the_form(base: str) -> tuple[int, str]:
    """The questionnaire from its first page to the results, as a browser posts it."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    status, _, html = fetch(base, "/which-specialist", opener=opener)
    assert status == 200
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html).group(1).decode()
    fields = {"csrf_token": token, "step": "check", **form_fields(answers())}
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    status, _, html = fetch(base, "/which-specialist", body, opener=opener)
    return status, html.decode()


def test_the_site_serves_through_a_database_outage(site, database):
    for path in WARM:
        assert fetch(site, path)[0] == 200, path

    with Load(site) as load:
        time.sleep(1.0)
        stopping_at = time.monotonic()
        database.stop()
        time.sleep(2.0)  # the worker notices within CONTENT_VERSION_TTL (1 s)

        during = {path: fetch(site, path) for path in WARM + COLD}
        api = fetch(site, API_POST, json.dumps(answers()).encode())
        form_status, form_html = results_through_the_form(site)
        ready = fetch(site, "/healthz/ready")[0]
        live = fetch(site, "/healthz/live")[0]

        database.start()
        started_at = time.monotonic()
        while any(fetch(site, path)[0] != 200 for path in COLD):
            assert time.monotonic() - started_at < RECOVERY_SECONDS, "no recovery"
            time.sleep(0.2)
        recovered_at = time.monotonic()
        time.sleep(1.0)

    for path in WARM:
        assert during[path][0] == 200, path
    for path in COLD:
        status, headers, _ = during[path]
        assert status == 503 and headers.get("Retry-After") == "5", path
    assert api[0] == 200 and len(json.loads(api[2])["recommendations"]) == 12
    assert form_status == 200 and "result-card" in form_html
    assert (ready, live) == (503, 200)

    answered = load.answers
    assert len(answered) > 100, "the load ran"
    assert not [a for a in answered if a.status not in (200, 503)], "only 200s and 503s"
    refused = [a for a in answered if a.status == 503]
    assert refused and all(is_fresh(a.path) and a.retry_after == "5" for a in refused)
    assert all(a.answered > stopping_at and a.sent < recovered_at for a in refused)
    assert all(a.status == 200 for a in answered if a.path in WARM or a.path == API_POST)
    after = [a for a in answered if a.sent > recovered_at]
    assert after and all(a.status == 200 for a in after)
