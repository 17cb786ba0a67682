"""Every role's training on one chart, to one scale."""

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Country, Role, TrainingPath
from .chart import build_chart

bp = Blueprint("training", __name__, url_prefix="/training")


@bp.get("")
def training_overview():
    paths = db.session.scalars(
        select(TrainingPath)
        .join(TrainingPath.country)
        .join(TrainingPath.role)
        .where(Country.code == "US")
        .order_by(Role.position, Role.name)
        .options(
            selectinload(TrainingPath.stages),
            selectinload(TrainingPath.role),
            selectinload(TrainingPath.country),
            selectinload(TrainingPath.sources),
        )
    ).all()
    # Longest first, so the chart reads as a ranking of how long each path takes.
    paths = sorted(
        paths, key=lambda path: (-path.total_years, -path.total_max_years, path.role.name)
    )
    pain_path = next((path for path in paths if path.entry_routes), None)
    sources = sorted(
        {source.key: source for path in paths for source in path.sources}.values(),
        key=lambda s: s.title,
    )
    reviewed_on = max((path.reviewed_on for path in paths), default=None)
    return render_template(
        "training/index.html",
        paths=paths,
        chart=build_chart(paths),
        pain_path=pain_path,
        sources=sources,
        reviewed_on=reviewed_on,
    )
