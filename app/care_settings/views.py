"""Care settings: the places where pain is treated, and who works there."""

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import CareSetting, RoleInSetting
from ..queries import setting_by_slug

bp = Blueprint("care_settings", __name__, url_prefix="/care-settings")


@bp.get("")
def setting_index():
    settings = db.session.scalars(
        select(CareSetting)
        .order_by(CareSetting.position, CareSetting.name)
        .options(selectinload(CareSetting.roles).selectinload(RoleInSetting.role))
    ).all()
    return render_template("care_settings/index.html", settings=settings)


@bp.get("/<slug:slug>")
def setting_detail(slug: str):
    setting = setting_by_slug(slug)
    if setting is None:
        abort(
            404, description=_("We have no page for a care setting called “%(slug)s”.", slug=slug)
        )
    members = sorted(setting.roles, key=lambda member: (member.role.position, member.role.name))
    return render_template("care_settings/detail.html", setting=setting, members=members)
