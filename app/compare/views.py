"""Compare two to four roles side by side, at /compare?roles=a,b[,c,d]."""

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import Role
from ..queries import roles_for_comparison
from ..training.chart import build_chart
from .comparison import CompareError, comparison_rows, parse_role_slugs

bp = Blueprint("compare", __name__, url_prefix="/compare")


def all_roles() -> list[Role]:
    return list(db.session.scalars(select(Role).order_by(Role.name)))


@bp.get("")
def compare_roles():
    values = request.args.getlist("roles")
    picker = all_roles()
    if not values:
        return render_template("compare/picker.html", roles=picker, chosen=[])
    try:
        slugs = parse_role_slugs(values, [role.slug for role in picker])
    except CompareError as error:
        chosen = [part for value in values for part in value.split(",")]
        return render_template(
            "compare/picker.html", roles=picker, chosen=chosen, error=error.message
        ), error.status
    only_differences = request.args.get("show") == "differences"
    if len(values) > 1:
        # The picker sends ?roles=a&roles=b: move to the short address people can share.
        return redirect(
            url_for(
                ".compare_roles",
                roles=",".join(slugs),
                **({"show": "differences"} if only_differences else {}),
            )
        )
    roles = roles_for_comparison(slugs)
    rows = comparison_rows(roles)
    paths = [path for role in roles for path in role.training_paths if path.country.code == "US"]
    return render_template(
        "compare/compare.html",
        roles=roles,
        rows=[row for row in rows if row.differs] if only_differences else rows,
        differing=sum(row.differs for row in rows),
        total_rows=len(rows),
        only_differences=only_differences,
        chart=build_chart(paths),
        picker=picker,
        slugs=slugs,
    )
