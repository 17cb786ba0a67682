"""Template helpers shared by every page."""

import datetime as dt

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .models import STAGE_KINDS, ContentRelease
from .recommend import load_questionnaire
from .training.chart import format_years


def long_date(value: dt.date) -> str:
    return f"{value.strftime('%B')} {value.day}, {value.year}"


def next_review(reviewed_on: dt.date) -> dt.date:
    """Our update policy: every page is reviewed again within a year."""
    try:
        return reviewed_on.replace(year=reviewed_on.year + 1)
    except ValueError:  # February 29th
        return reviewed_on.replace(year=reviewed_on.year + 1, day=28)


def content_version() -> str | None:
    try:
        release = db.session.scalar(select(ContentRelease))
    except SQLAlchemyError:
        db.session.rollback()
        return None
    return release.version if release else None


def init_app(app: Flask) -> None:
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["next_review"] = next_review
    app.jinja_env.filters["stage_kind"] = STAGE_KINDS.__getitem__
    app.jinja_env.globals["format_years"] = format_years
    app.jinja_env.globals["content_version"] = content_version
    app.jinja_env.globals["load_questionnaire"] = load_questionnaire
