"""`flask content report` and `flask content check-links`, on small content made here and a
local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from flask import Flask

from app import content
from app.content.links import USER_AGENT, check_links, source_urls
from app.content.report import (
    Citation,
    RoleBalance,
    add_months,
    build_report,
    format_report,
    page_grades,
)
from app.extensions import db

from .conftest import make_app, migrate_database

TODAY = dt.date(2026, 11, 30)


# --- a small content folder -----------------------------------------------------------------


def write_yaml(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.fixture()
def small_content(tmp_path) -> tuple[Path, Path]:
    """Two roles, a panel, a sources file and a rules file, each with one thing to report."""
    folder = tmp_path / "content"
    write_yaml(
        folder / "sources/main.yaml",
        {
            "sources": [
                {"key": key, "title": key, "publisher": "P", "url": f"https://example.org/{key}"}
                for key in ("cited", "panel-only", "rules-only", "nobody-cites-me")
            ]
        },
    )
    write_yaml(
        folder / "roles/alpha.yaml",
        {
            "slug": "alpha",
            "name": "Alpha doctor",  # a name, not prose: not counted
            "focus": "They look at your back.",  # 5 words
            "questions": ["Is it bad?", "What next?", "How long?"],  # 7 words
            "works_with": [{"role": "beta", "how": "They share notes."}],  # 3 words
            "sources": ["cited"],
            "reviewed_on": dt.date(2026, 1, 29),  # due 2027-01-29: in exactly 60 days
        },
    )
    write_yaml(
        folder / "roles/beta.yaml",
        {
            "slug": "beta",
            "name": "Beta",
            "focus": "Nerves.",
            "questions": ["Why?"],
            "works_with": [],
            "sources": ["cited", "no-such-key"],
            "reviewed_on": dt.date(2025, 6, 1),  # due 2026-06-01: overdue
        },
    )
    write_yaml(
        folder / "panels/safety.yaml",
        {
            "key": "safety",
            "points": ["Call 911."],
            "sources": ["panel-only"],
            "reviewed_on": dt.date(2026, 1, 30),  # due in 61 days: not listed yet
        },
    )
    rules = tmp_path / "rules.yaml"
    write_yaml(rules, {"rules": [{"id": "a-rule", "sources": ["rules-only"]}]})
    return folder, rules


def test_report_lists_sources_cited_nowhere(small_content):
    folder, rules = small_content
    report = build_report(folder, rules, today=TODAY)
    # Citations count from any kind of content file (a panel here) and from the rules.
    assert report.unused_sources == [Citation("nobody-cites-me", "sources/main.yaml", "")]
    assert [item.key for item in build_report(folder, today=TODAY).unused_sources] == [
        "nobody-cites-me",
        "rules-only",
    ]


def test_report_lists_citations_of_missing_keys(small_content):
    folder, rules = small_content
    report = build_report(folder, rules, today=TODAY)
    assert report.missing_sources == [Citation("no-such-key", "roles/beta.yaml", "beta")]


def test_report_lists_reviews_overdue_and_due_within_60_days(small_content):
    folder, rules = small_content
    reviews = build_report(folder, rules, today=TODAY).reviews
    assert [(r.file, r.entry, r.status, r.due, r.days_left) for r in reviews] == [
        ("roles/beta.yaml", "beta", "overdue", dt.date(2026, 6, 1), -182),
        ("roles/alpha.yaml", "alpha", "due soon", dt.date(2027, 1, 29), 60),
    ]


def test_review_falls_due_on_the_same_day_a_year_later():
    assert add_months(dt.date(2026, 3, 15), 12) == dt.date(2027, 3, 15)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_report_balance_counts_each_role(small_content):
    folder, rules = small_content
    balance = build_report(folder, rules, today=TODAY).balance
    assert balance == [
        RoleBalance("alpha", words=15, sections=3, questions=3, works_with=1, sources=1),
        RoleBalance("beta", words=2, sections=2, questions=1, works_with=0, sources=2),
    ]


def test_report_json_and_table_say_the_same(small_content):
    folder, rules = small_content
    report = build_report(folder, rules, today=TODAY)
    data = json.loads(json.dumps(report.as_json()))
    assert data["unused_sources"] == [{"key": "nobody-cites-me", "file": "sources/main.yaml"}]
    assert data["reviews"][0]["status"] == "overdue" and data["reviews"][0]["due"] == "2026-06-01"
    assert data["balance"][0]["words"] == 15
    table = format_report(report)
    assert "Sources cited nowhere (1)" in table and "nobody-cites-me" in table
    assert "no-such-key" in table and "overdue" in table


def test_page_grades_follow_links_and_put_the_hardest_page_first():
    site = Flask(__name__)
    plain = "<p>See your doctor. They can help. Most pain gets better.</p>"
    hard = (
        "<p>Multidisciplinary interventional management necessitates comprehensive "
        "neurophysiological evaluation preceding neuromodulation.</p>"
    )
    links = (
        '<a href="/hard#top">hard</a> <a href="/search?q=x">search</a> '
        '<a href="https://example.org/">away</a> <a href="/static/site.css">css</a> '
        '<a href="/missing">gone</a> <a href="mailto:a@example.org">mail</a>'
    )
    site.add_url_rule("/", "home", lambda: f"<main>{plain}{links}</main>")
    site.add_url_rule("/hard", "hard", lambda: f'<main>{hard}<a href="/">home</a></main>')
    site.add_url_rule("/search", "search", lambda: "<main><p>Never measured.</p></main>")

    grades = page_grades(site.test_client())

    assert [page.path for page in grades] == ["/hard", "/"]
    assert grades[0].grade > 8 > grades[1].grade
    assert grades[1].words == 10


def test_report_command_prints_a_table_and_json(tmp_path, small_content):
    folder, _ = small_content
    site = make_app(tmp_path / "site.db")
    migrate_database(site)
    runner = site.test_cli_runner()
    try:
        table = runner.invoke(args=["content", "report", "--content-dir", str(folder)])
        assert table.exit_code == 0, table.output
        assert "Reviews overdue or due within 60 days" in table.output
        assert "Balance across roles" in table.output
        as_json = runner.invoke(args=["content", "report", "--content-dir", str(folder), "--json"])
        assert as_json.exit_code == 0, as_json.output
        data = json.loads(as_json.output)
        # The app's own rules cite keys this small copy lacks: they are listed too.
        missing = {(item["key"], item["file"]) for item in data["missing_sources"]}
        assert ("no-such-key", "roles/beta.yaml") in missing
        assert {file for _, file in missing} == {"roles/beta.yaml", "rules.yaml"}
        assert {role["role"] for role in data["balance"]} == {"alpha", "beta"}
        # The site's pages were measured through its test client (no content loaded here).
        assert any(page["path"] == "/" for page in data["pages"]), data["pages"]
        # Spanish pages in their own list, scored for reading ease; neither list holds the
        # other language's pages.
        assert any(page["path"] == "/es/" for page in data["spanish_pages"])
        assert all(page["path"].startswith("/es/") for page in data["spanish_pages"])
        assert not any(page["path"].startswith("/es/") for page in data["pages"])
        # ...and the report says that they show other content than the files it read.
        assert any("do not load" in note for note in data["notes"]), data["notes"]
    finally:
        with site.app_context():
            db.engine.dispose()


# --- a local web server for the link checker ------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    server: LinkServer

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)

    def answer(self, with_body: bool) -> None:
        server = self.server
        with server.lock:
            server.requests.append((self.command, self.path, self.headers.get("User-Agent")))
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        self.counted = True
        try:
            self.respond(with_body)
        finally:
            self.done()

    def done(self) -> None:
        # Counted out before the answer is written: once the checker has it, it may start its
        # next request at once, and that must not look like one more at the same time.
        if self.counted:
            self.counted = False
            with self.server.lock:
                self.server.in_flight -= 1

    def respond(self, with_body: bool) -> None:
        path = self.path
        if path == "/old":
            return self.send(301, location="/ok")
        if path == "/loop":
            return self.send(302, location="/loop")
        if path == "/missing":
            return self.send(404)
        if path == "/busy":
            return self.send(429)
        if path == "/no-head" and self.command == "HEAD":
            return self.send(403)
        if path == "/slow":
            time.sleep(0.4)
        if path == "/hang":
            self.server.stop.wait(5)
        if path.startswith("/count/"):
            time.sleep(0.15)
        return self.send(200, body=b"<p>hello</p>" if with_body else b"")

    def send(self, status: int, location: str | None = None, body: bytes = b"") -> None:
        self.done()
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the checker gave up waiting and closed the connection
            pass

    def log_message(self, format, *args):  # keep the test output quiet
        pass


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.requests: list[tuple[str, str, str | None]] = []
        self.in_flight = self.most_in_flight = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def handle_error(self, request, client_address):  # a hung-up client is expected here
        pass


@pytest.fixture()
def server():
    links = LinkServer()
    thread = threading.Thread(target=links.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield links
    links.stop.set()
    links.shutdown()
    links.server_close()
    thread.join(5)


def by_url(results):
    return {result.url: result for result in results}


def test_check_links_tells_ok_dead_moved_and_slow(server):
    urls = {server.url(path): [f"key{path.replace('/', '-')}"] for path in ("/ok", "/missing")}
    urls |= {server.url("/old"): ["key-old"], server.url("/slow"): ["key-slow"]}

    results = check_links(urls, timeout=5, slow=0.3)

    found = by_url(results)
    assert found[server.url("/ok")].verdict == "ok"
    dead = found[server.url("/missing")]
    assert (dead.verdict, dead.status, dead.keys) == ("dead", 404, ("key-missing",))
    moved = found[server.url("/old")]
    assert (moved.verdict, moved.moved_to) == ("moved", server.url("/ok"))
    assert found[server.url("/slow")].verdict == "slow"
    assert found[server.url("/slow")].seconds >= 0.3
    assert [result.verdict for result in results] == ["dead", "moved", "slow", "ok"]
    assert all(agent == USER_AGENT for _, _, agent in server.requests)


def test_check_links_asks_again_with_get_when_head_is_refused(server):
    [result] = check_links([server.url("/no-head")], timeout=5)
    assert result.verdict == "ok"
    assert [method for method, path, _ in server.requests if path == "/no-head"] == ["HEAD", "GET"]


def test_check_links_counts_timeouts_refusals_and_redirect_loops_as_dead(server):
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{unused.getsockname()[1]}/"
    urls = [server.url("/hang"), closed, server.url("/loop")]

    found = by_url(check_links(urls, timeout=0.5))

    assert found[server.url("/hang")].verdict == "dead"
    assert "no answer within 0.5 s" in found[server.url("/hang")].reason
    assert found[closed].verdict == "dead" and "could not connect" in found[closed].reason
    assert found[server.url("/loop")].verdict == "dead"
    assert "redirects" in found[server.url("/loop")].reason


def test_check_links_does_not_count_a_rate_limit_as_dead(server):
    [result] = check_links([server.url("/busy")], timeout=5)
    assert (result.verdict, result.status) == ("limited", 429)


@pytest.mark.parametrize("per_host", [1, 2])
def test_check_links_keeps_to_the_per_host_limit(server, per_host):
    urls = [server.url(f"/count/{number}") for number in range(6)]
    results = check_links(urls, timeout=5, per_host=per_host)
    assert {result.verdict for result in results} == {"ok"}
    assert server.most_in_flight == per_host


def test_source_urls_groups_the_keys_that_share_a_url(tmp_path):
    write_yaml(
        tmp_path / "sources/a.yaml",
        {
            "sources": [
                {"key": "one", "url": "https://example.org/a"},
                {"key": "two", "url": "https://example.org/b"},
            ]
        },
    )
    write_yaml(
        tmp_path / "sources/b.yaml", {"sources": [{"key": "three", "url": "https://example.org/a"}]}
    )
    assert source_urls(tmp_path) == {
        "https://example.org/a": ["one", "three"],
        "https://example.org/b": ["two"],
    }


@pytest.fixture()
def cli_app(tmp_path):
    """Only the `content` commands: check-links needs no database and no content."""
    site = Flask(__name__)
    site.config["CONTENT_DIR"] = str(tmp_path)
    content.init_app(site)
    return site


def test_check_links_command_exits_1_on_a_dead_link(cli_app, server):
    runner = cli_app.test_cli_runner()
    args = ["content", "check-links", "--timeout", "5", "--url", server.url("/ok")]

    fine = runner.invoke(args=args)
    assert fine.exit_code == 0, fine.output
    assert "Checked 1 link: 0 dead" in fine.output

    broken = runner.invoke(args=[*args, "--url", server.url("/missing"), "--json"])
    assert broken.exit_code == 1, broken.output
    data = json.loads(broken.output)
    assert [(item["verdict"], item["status"]) for item in data] == [("dead", 404), ("ok", 200)]


def test_check_links_command_reads_the_sources_files(cli_app, server, tmp_path):
    write_yaml(
        tmp_path / "sources/a.yaml",
        {"sources": [{"key": "moved-page", "url": server.url("/old")}]},
    )
    result = cli_app.test_cli_runner().invoke(args=["content", "check-links", "--slow", "10"])
    assert result.exit_code == 0, result.output
    assert "1 moved" in result.output and "[moved-page]" in result.output
    assert f"-> {server.url('/ok')}" in result.output
