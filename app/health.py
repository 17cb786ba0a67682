"""/healthz for load balancers: is the database reachable and is content loaded?"""

from flask import Blueprint, jsonify
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .models import ContentRelease

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        release = db.session.scalar(select(ContentRelease))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "error", "database": "unreachable"}), 503
    if release is None:
        return jsonify({"status": "error", "content": "not loaded"}), 503
    return jsonify({"status": "ok", "content_version": release.version})
