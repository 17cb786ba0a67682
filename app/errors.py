"""Friendly error pages, one template per status, the same layout as the rest of the site."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from .api.views import api_error, is_api_request
from .extensions import db

TEMPLATES = {
    400: "errors/400.html",
    404: "errors/404.html",
    405: "errors/405.html",
    500: "errors/500.html",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if is_api_request():
            return api_error(error)
        template = TEMPLATES.get(error.code or 500, "errors/generic.html")
        return render_template(template, error=error), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # A failed query may leave the session unusable; reset it before rendering.
        db.session.rollback()
        app.logger.exception("Unhandled error")
        if is_api_request():
            return api_error(InternalServerError())
        return render_template("errors/500.html", error=InternalServerError()), 500
