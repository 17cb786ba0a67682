"""Template helpers shared by every page."""

import datetime as dt

from flask import Flask, get_template_attribute, request
from flask_babel import format_date
from markupsafe import Markup

from .caching import cached_fragment, current_content_version
from .models import STAGE_KINDS
from .page_aids import guide_link, with_page_aids
from .training.chart import format_years, years_in_words


def long_date(value: dt.date) -> str:
    """The date in words in the page's language: November 30, 2026; 30 de noviembre de 2026."""
    return format_date(value, "long")


def next_review(reviewed_on: dt.date) -> dt.date:
    """Our update policy: every page is reviewed again within a year."""
    try:
        return reviewed_on.replace(year=reviewed_on.year + 1)
    except ValueError:  # February 29th
        return reviewed_on.replace(year=reviewed_on.year + 1, day=28)


def layout_part(part: str) -> Markup:
    """The page header or footer (templates/_layout.html), drawn once per content version and
    page kind: drawing them took a fifth of the time of pages that are not cached whole, such
    as the questionnaire's results."""
    if part == "header":  # the current section is marked in the navigation
        return cached_fragment(
            f"header:{request.endpoint}",
            lambda: get_template_attribute("_layout.html", "header")(
                request.endpoint, request.blueprint
            ),
        )
    return cached_fragment("footer", get_template_attribute("_layout.html", "footer"))


def init_app(app: Flask) -> None:
    # Drop the blank lines and indentation that block tags leave behind (smaller pages).
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["next_review"] = next_review
    app.jinja_env.filters["stage_kind"] = STAGE_KINDS.__getitem__
    app.jinja_env.globals["format_years"] = format_years
    app.jinja_env.globals["years_in_words"] = years_in_words
    app.jinja_env.globals["content_version"] = current_content_version
    app.jinja_env.globals["layout_part"] = layout_part
    app.jinja_env.filters["page_aids"] = with_page_aids
    app.jinja_env.globals["guide_link"] = guide_link
