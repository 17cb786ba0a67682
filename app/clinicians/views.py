"""Pages for the clinicians beyond the twelve roles (dentist, urologist, ...)."""

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Clinician
from ..queries import clinician_by_slug, roles_by_slug

bp = Blueprint("clinicians", __name__, url_prefix="/other-clinicians")


@bp.get("")
def clinician_index():
    clinicians = db.session.scalars(select(Clinician).order_by(Clinician.name)).all()
    return render_template("clinicians/index.html", clinicians=clinicians)


@bp.get("/<slug:slug>")
def clinician_detail(slug: str):
    clinician = clinician_by_slug(slug)
    if clinician is None:
        abort(404, description=_("We have no page for a clinician called “%(slug)s”.", slug=slug))
    related = roles_by_slug(clinician.related_roles)
    return render_template(
        "clinicians/detail.html",
        clinician=clinician,
        related=[related[slug] for slug in clinician.related_roles if slug in related],
    )
