"""The home page and the about page (who we are, how content is made)."""

import datetime as dt

from flask import Blueprint, render_template
from sqlalchemy import func, select

from ..extensions import db
from ..models import CareSetting, Role, Source
from ..recommend import crisis_line
from ..recommendations import current_questionnaire, current_rulebook

bp = Blueprint("pages", __name__)


@bp.app_template_global("crisis_line")
def site_crisis_line() -> dict:
    """The crisis line, for the one line in every page's footer (base.html)."""
    return crisis_line(current_rulebook())


# The facts stated in these pages' own text, and when that text was last checked.
PAGE_SOURCES = {
    "home": [
        "abms-aba",
        "abpn-pain-medicine",
        "abem-pain-medicine",
        "nice-ng59",
        "acp-low-back-pain-2017",
        "apta-direct-access",
        "nice-ng100",
        "asco-palliative-2017",
        "aha-acc-chest-pain-2021",
        "nice-cg150",
        "ncbi-ahcpr-red-flags",
        "nhtsa-911-calling",
    ],
    "about": [
        "aha-acc-chest-pain-2021",
        "nice-cg150",
        "ncbi-ahcpr-red-flags",
        "nhtsa-911-calling",
        "lifeline-988",
    ],
}
PAGES_REVIEWED_ON = dt.date(2026, 11, 25)


def sources_for(page: str) -> list[Source]:
    keys = PAGE_SOURCES[page]
    found = {
        source.key: source
        for source in db.session.scalars(select(Source).where(Source.key.in_(keys)))
    }
    return [found[key] for key in keys if key in found]


@bp.get("/")
def home():
    # The emergency signs come from the questionnaire's definition, so the home page and the
    # questionnaire's first step always list the same ones.
    return render_template(
        "pages/home.html",
        sources=sources_for("home"),
        reviewed_on=PAGES_REVIEWED_ON,
        emergency_signs=current_questionnaire()["red_flags"].real_options,
    )


@bp.get("/about")
def about():
    publishers = db.session.execute(
        select(Source.publisher, func.count(Source.id))
        .group_by(Source.publisher)
        .order_by(func.count(Source.id).desc(), Source.publisher)
    ).all()
    counts = {
        "roles": db.session.scalar(select(func.count(Role.id))),
        "settings": db.session.scalar(select(func.count(CareSetting.id))),
    }
    # The signs the questionnaire screens for, in the words of its own definition.
    signs = current_questionnaire()["red_flags"].real_options
    return render_template(
        "pages/about.html",
        publishers=publishers,
        counts=counts,
        signs=signs,
        crisis=site_crisis_line(),
        sources=sources_for("about"),
        reviewed_on=PAGES_REVIEWED_ON,
    )
