"""One JSON line per request, with a request id, for operators.

A line holds the time, level, request id, method, route (the URL rule, such as
"/roles/<slug:slug>"), endpoint, status and duration, and nothing else of the request: never
the path as sent, its query string, a header or the body, where questionnaire answers could be.

The request id comes from X-Request-ID only when a trusted proxy set it (TRUSTED_PROXIES > 0)
and it looks like an id; otherwise one is made. It is echoed on the response and added to the
app's own log lines (such as "Unhandled error"), so a line there can be found here.

For the other hooks: `g.request_id`, and `g.request_started` (time.perf_counter() at the first
before-request hook). The hooks take `g` and `request` from their proxies once: each lookup
through a proxy costs about half a microsecond, and the hooks run on every request.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from datetime import UTC, datetime
from time import perf_counter

import orjson
from flask import Flask, Request, Response, g, has_request_context, request

REQUEST_LOGGER = logging.getLogger("pain_care_navigator.requests")
REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
# Methods outside this set are logged and counted as "OTHER": a client picks the method, and
# neither a log nor a metric should hold whatever it sends.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_name(method: str) -> str:
    return method if method in KNOWN_METHODS else "OTHER"


def init_app(app: Flask) -> None:
    """Call first in create_app: the first before-request hook times the hooks after it too
    (a page served from cache, a rate-limit refusal), and the first after-request hook added
    runs last, when the response is final."""
    trust_request_id = int(app.config["TRUSTED_PROXIES"]) > 0
    log_requests = app.config["REQUEST_LOG_ENABLED"]
    if log_requests:
        configure_request_logger(quiet=app.testing)
    add_request_id_to_app_logs(app)

    @app.before_request
    def start_request() -> None:
        state = g._get_current_object()
        state.request_started = perf_counter()
        given = request.headers.get(REQUEST_ID_HEADER) if trust_request_id else None
        state.request_id = given if given and SANE_REQUEST_ID.fullmatch(given) else new_request_id()

    @app.after_request
    def finish_request(response: Response) -> Response:
        state = g._get_current_object()
        request_id = state.get("request_id")
        if request_id is None:  # an error before our first hook ran: nothing to say
            return response
        response.headers[REQUEST_ID_HEADER] = request_id
        if log_requests and REQUEST_LOGGER.isEnabledFor(logging.INFO):
            seconds = perf_counter() - state.request_started
            line = request_line(request._get_current_object(), request_id, response, seconds)
            REQUEST_LOGGER.info(line)
        return response


def new_request_id() -> str:
    # 128 random bits as 32 hex digits, like uuid4().hex without building a UUID (a tenth of
    # the time, on every request).
    return os.urandom(16).hex()


def request_line(sent: Request, request_id: str, response: Response, seconds: float) -> str:
    rule = sent.url_rule
    return orjson.dumps(
        {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "info",
            "request_id": request_id,
            "method": method_name(sent.method),
            "route": rule.rule if rule is not None else None,
            "endpoint": rule.endpoint if rule is not None else None,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 3),
        }
    ).decode()


def configure_request_logger(quiet: bool) -> None:
    """Info lines to stdout, unless logging is set up already (then its handlers are used).
    `quiet` (tests): no handler of our own; the lines still reach pytest's caplog."""
    if REQUEST_LOGGER.level == logging.NOTSET:
        REQUEST_LOGGER.setLevel(logging.INFO)
    if quiet or REQUEST_LOGGER.hasHandlers():
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))  # the message is the JSON line
    REQUEST_LOGGER.addHandler(handler)
    REQUEST_LOGGER.propagate = False


class RequestIdFilter(logging.Filter):
    """Adds " (request <id>)" to app log lines written during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = g.get("request_id") if has_request_context() else None
        if request_id is not None and isinstance(record.msg, str):
            record.request_id = request_id
            # The id is [A-Za-z0-9._-] only, so it cannot disturb %-formatting of the message.
            record.msg = f"{record.msg} (request {request_id})"
        return True


def add_request_id_to_app_logs(app: Flask) -> None:
    # The logger is shared by every app made in this process (tests make many): one filter.
    if not any(isinstance(existing, RequestIdFilter) for existing in app.logger.filters):
        app.logger.addFilter(RequestIdFilter())
