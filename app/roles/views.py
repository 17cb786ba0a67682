"""The role explorer: every role, and a page for each."""

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import ROLE_GROUPS, Role
from ..queries import role_by_slug, roles_by_slug
from ..training.chart import build_chart

bp = Blueprint("roles", __name__, url_prefix="/roles")


@bp.get("")
def role_index():
    roles = db.session.scalars(select(Role).order_by(Role.position, Role.name)).all()
    groups = [
        (key, label, [role for role in roles if role.group == key])
        for key, label in ROLE_GROUPS.items()
    ]
    return render_template("roles/index.html", groups=groups)


@bp.get("/<slug:slug>")
def role_detail(slug: str):
    role = role_by_slug(slug)
    if role is None:
        abort(404, description=_("We have no page for a role called “%(slug)s”.", slug=slug))
    colleagues = roles_by_slug([link["role"] for link in role.works_with] + role.compare_with)
    charts = [(path, build_chart([path], with_labels=True)) for path in role.training_paths]
    settings = sorted(role.settings, key=lambda member: member.setting.position)
    conditions = sorted(role.conditions_cared_for, key=lambda step: step.condition.name)
    return render_template(
        "roles/detail.html",
        role=role,
        colleagues=colleagues,
        charts=charts,
        settings=settings,
        conditions=conditions,
    )
