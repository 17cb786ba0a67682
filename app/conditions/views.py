"""Explore by condition: which roles help with a common pain condition, and when."""

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import CARE_POINTS, Condition, ConditionCare

bp = Blueprint("conditions", __name__, url_prefix="/conditions")


@bp.get("")
def condition_index():
    conditions = db.session.scalars(select(Condition).order_by(Condition.name)).all()
    return render_template("conditions/index.html", conditions=conditions)


@bp.get("/<slug:slug>")
def condition_detail(slug: str):
    condition = db.session.scalar(
        select(Condition)
        .where(Condition.slug == slug)
        .options(
            selectinload(Condition.sources),
            selectinload(Condition.care).selectinload(ConditionCare.role),
        )
    )
    if condition is None:
        abort(404, description=_("We have no page for a condition called “%(slug)s”.", slug=slug))
    # Group the care steps by when they come, in the order a patient meets them.
    by_point = [
        (label, [step for step in condition.care if step.point == point])
        for point, label in CARE_POINTS.items()
    ]
    return render_template(
        "conditions/detail.html",
        condition=condition,
        by_point=[(label, steps) for label, steps in by_point if steps],
    )
