"""Health checks for load balancers and process supervisors (docs/deploy.md):

- /healthz/live: the process answers requests. Restart it when this fails.
- /healthz/ready: the database answers and content is loaded. Send it traffic when this
  passes. A database outage makes every instance not ready at once, yet each keeps serving
  what it can (app/faults.py), so a load balancer that routes to all when none is ready
  ("fail open") keeps the site up.
- /healthz: the same answer as /healthz/ready, kept for existing checks.
"""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from .caching import is_outage
from .extensions import db
from .models import ContentRelease

bp = Blueprint("health", __name__)


@bp.get("/healthz/live")
def live():
    return jsonify({"status": "ok"})


@bp.get("/healthz")
@bp.get("/healthz/ready")
def ready():
    # Asks the database itself every time, unlike pages, which trust the content version for
    # CONTENT_VERSION_TTL seconds: a check must see a recovery at once.
    try:
        db.session.execute(text("SELECT 1"))
        release = db.session.scalar(select(ContentRelease))
    except SQLAlchemyError as error:
        db.session.rollback()
        if is_outage(error):
            current_app.extensions["version_clock"].failed(error)
        return not_ready({"status": "error", "database": "unreachable"})
    if release is None:
        return not_ready({"status": "error", "content": "not loaded"})
    return jsonify({"status": "ok", "content_version": release.version})


def not_ready(body: dict[str, str]):
    response = jsonify(body)
    response.status_code = 503
    response.headers["Retry-After"] = str(current_app.config["DATABASE_RETRY_AFTER"])
    return response
