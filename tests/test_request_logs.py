"""One JSON line per request (app/request_log.py): exactly the agreed fields, a request id that is
made here or taken from a trusted proxy only, and nothing a visitor typed."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime

import pytest

from app.extensions import db
from app.request_log import REQUEST_LOGGER

from .conftest import app_on_the_shared_database

FIELDS = {"time", "level", "request_id", "method", "route", "endpoint", "status", "duration_ms"}
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture()
def request_lines(caplog):
    """The request log lines written so far in the test, parsed."""
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER.name)

    def lines() -> list[dict]:
        return [
            json.loads(record.getMessage())
            for record in caplog.records
            if record.name == REQUEST_LOGGER.name
        ]

    return lines


@pytest.fixture()
def make_private_app(app):
    made = []

    def make(**overrides):
        made.append(app_on_the_shared_database(app, **overrides))
        return made[-1]

    yield make
    for private in made:
        with private.app_context():
            db.engine.dispose()


def test_request_log_writes_one_line_with_exactly_the_agreed_fields(client, request_lines):
    response = client.get("/roles/physiatrist")
    assert response.status_code == 200
    [line] = request_lines()
    assert set(line) == FIELDS
    assert line["level"] == "info"
    assert datetime.fromisoformat(line["time"]).tzinfo is not None
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["route"] == "/roles/<slug:slug>"
    assert line["endpoint"] == "roles.role_detail"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_request_log_of_an_unknown_address_has_no_route(client, request_lines):
    response = client.get("/no/such/page?patient=anyone")
    assert response.status_code == 404
    [line] = request_lines()
    assert (line["route"], line["endpoint"], line["status"]) == (None, None, 404)


def test_request_log_lines_never_hold_a_query_string_or_a_form_field(client, request_lines):
    client.get("/search?q=canary-query-words")
    client.post("/which-specialist?via=canary-in-url", data={"step": "canary-form-field"})
    client.open("/", method="CANARYMETHOD")
    lines = request_lines()
    assert [line["route"] for line in lines] == ["/search", "/which-specialist", None]
    assert [line["method"] for line in lines] == ["GET", "POST", "OTHER"]
    assert [line["status"] for line in lines] == [200, 400, 405]
    assert "canary" not in json.dumps(lines).lower()


def test_request_ids_are_made_fresh_for_every_request(client, request_lines):
    ids = [client.get("/").headers["X-Request-ID"] for _ in range(3)]
    assert all(GENERATED_ID.fullmatch(request_id) for request_id in ids)
    assert len(set(ids)) == 3
    assert [line["request_id"] for line in request_lines()] == ids


def test_a_client_cannot_choose_its_request_id_without_a_trusted_proxy(client, request_lines):
    response = client.get("/", headers={"X-Request-ID": "chosen-by-the-client"})
    assert GENERATED_ID.fullmatch(response.headers["X-Request-ID"])
    assert request_lines()[0]["request_id"] == response.headers["X-Request-ID"]


def test_a_trusted_proxys_request_id_is_taken_and_echoed(make_private_app, request_lines):
    client = make_private_app(TRUSTED_PROXIES=1).test_client()
    response = client.get("/", headers={"X-Request-ID": "edge-7f3a.b_c-9"})
    assert response.headers["X-Request-ID"] == "edge-7f3a.b_c-9"
    assert request_lines()[0]["request_id"] == "edge-7f3a.b_c-9"


@pytest.mark.parametrize(
    "given",
    ["a" * 129, "has space", 'quote"', "line\tbreak", "semi;colon", "ümlaut", "%s%s"],
)
def test_a_malformed_request_id_from_a_proxy_is_replaced(make_private_app, given):
    client = make_private_app(TRUSTED_PROXIES=1).test_client()
    response = client.get("/", headers={"X-Request-ID": given})
    assert GENERATED_ID.fullmatch(response.headers["X-Request-ID"])


def test_the_longest_sane_request_id_is_taken(make_private_app):
    client = make_private_app(TRUSTED_PROXIES=1).test_client()
    given = "A1._-" * 25 + "xyz"  # 128 characters
    assert client.get("/", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given


def test_requests_refused_or_served_from_cache_are_logged_too(make_private_app, request_lines):
    client = make_private_app(RATELIMIT_ENABLED=True, RATELIMIT_PAGES="2 per minute").test_client()
    statuses = [client.get("/about").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert [line["status"] for line in request_lines()] == statuses


def test_an_unhandled_error_is_logged_with_its_request_id(make_private_app, caplog):
    private = make_private_app()

    def broken_view():
        raise RuntimeError("a bug")

    private.add_url_rule("/broken-for-the-test", view_func=broken_view)
    with caplog.at_level(logging.ERROR, logger=private.logger.name):
        response = private.test_client().get("/broken-for-the-test")
    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.getMessage().startswith("Unhandled error")]
    assert response.headers["X-Request-ID"] in record.getMessage()
    assert record.request_id == response.headers["X-Request-ID"]


def test_request_log_can_be_turned_off(make_private_app, request_lines):
    client = make_private_app(REQUEST_LOG_ENABLED="false").test_client()
    response = client.get("/")
    assert GENERATED_ID.fullmatch(response.headers["X-Request-ID"])
    assert request_lines() == []
