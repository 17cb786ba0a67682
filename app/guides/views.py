"""A page for each shared panel, so pages can link to it instead of repeating it."""

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Panel

bp = Blueprint("guides", __name__, url_prefix="/guides")


@bp.get("/<slug:key>")
def guide(key: str):
    panel = db.session.scalar(
        select(Panel).where(Panel.key == key).options(selectinload(Panel.sources))
    )
    if panel is None:
        abort(404, description=_("We have no guide called “%(key)s”.", key=key))
    return render_template("guides/guide.html", panel=panel)
