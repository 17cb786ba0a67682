"""Friendly error pages, one template per status, the same layout as the rest of the site.

A database that stops answering is not our visitors' problem: the page as last drawn if this
worker has it, otherwise a 503 that says when to try again (app/faults.py), never a 500.
"""

from flask import Flask, current_app, make_response, render_template
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from .api.views import api_error, is_api_request
from .caching import is_outage, note_database_failure, stale_page
from .extensions import db
from .faults import database_unavailable
from .rate_limits import seconds_until_retry

TEMPLATES = {
    400: "errors/400.html",
    404: "errors/404.html",
    405: "errors/405.html",
    429: "errors/429.html",
    500: "errors/500.html",
    503: "errors/503.html",
}
# Headers an error carries that the page answering it must keep (how long to wait).
KEPT_HEADERS = ("Retry-After",)


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if is_api_request():
            response, status = api_error(error)
        else:
            template = TEMPLATES.get(error.code or 500, "errors/generic.html")
            # How long to wait, for the 429 page's words (one second, or N seconds).
            page = render_template(template, error=error, wait_seconds=seconds_until_retry())
            response = make_response(page)
            status = error.code
        for name, value in error.get_headers():
            if name in KEPT_HEADERS:
                response.headers[name] = value
        if status == 429 and "Retry-After" not in response.headers:  # Flask-Limiter's 429
            response.headers["Retry-After"] = str(seconds_until_retry())
        return response, status

    @app.errorhandler(SQLAlchemyError)
    def database_error(error: SQLAlchemyError):
        if not is_outage(error):
            return unexpected_error(error)
        db.session.rollback()
        note_database_failure(error)
        return stale_page() or http_error(
            database_unavailable(current_app.config["DATABASE_RETRY_AFTER"])
        )

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # A failed query may leave the session unusable; reset it before rendering.
        db.session.rollback()
        app.logger.exception("Unhandled error")
        if is_api_request():
            return api_error(InternalServerError())
        return render_template("errors/500.html", error=InternalServerError()), 500
