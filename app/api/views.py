"""The JSON API, version 1 (shared/spec/questionnaire-v1.md).

It takes no CSRF token and sets no cookie. Every error has the contract's shape,
{"errors": {"<field>": ["<message>"]}}, and no input gives a 500. Answers are used to compute
the response and then dropped: never stored and never logged.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from ..compare.comparison import CompareError, comparison_rows, parse_role_slugs
from ..extensions import csrf, db
from ..models import CareSetting, Clinician, Role
from ..page_aids import glossary_href
from ..queries import (
    clinician_by_slug,
    glossary_terms,
    role_by_slug,
    roles_for_comparison,
    setting_by_slug,
)
from ..rate_limits import seconds_until_retry
from ..recommend import InvalidAnswers, parse_answers, recommend
from ..recommendations import current_questionnaire, current_rulebook, with_site_urls
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def error_response(status: int, errors: dict[str, list[str]]):
    return jsonify({"errors": errors}), status


def is_api_request() -> bool:
    return request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/")


def api_error(error: HTTPException):
    """Any HTTP error under /api/v1, including routing 404s and 405s, in the contract's shape."""
    code = error.code or 500
    field = getattr(error, "field", None) or {
        404: "_path",
        405: "_method",
        413: "_body",
        503: "_service",
    }.get(code, "_request")
    messages = {
        404: _("There is no such API endpoint."),
        405: _("This endpoint does not accept %(method)s.", method=request.method),
        413: _("The request body is too large."),
        429: ngettext(
            "Too many requests from your address. Please try again in %(num)s second.",
            "Too many requests from your address. Please try again in %(num)s seconds.",
            seconds_until_retry(),
        ),
        500: _("Something went wrong on our side. Please try again later."),
        503: _(
            "This part of the API is not available for a short while: the site's database is "
            "not answering. Try again in a few seconds. Recommendations still work."
        ),
    }
    message = messages.get(code, error.description or _("Bad request."))
    response, status = error_response(code, {field: [message]})
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response, status


class RepeatedKeyError(ValueError):
    """A JSON object names the same key twice (contract 1.1: a 400, never last-one-wins)."""

    def __init__(self, key: str):
        super().__init__(
            _(
                "The key '%(key)s' appears more than once in the same object. "
                "Send each key once, so that no answer replaces another.",
                key=key[:100],
            )
        )


def object_without_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`object_pairs_hook` for json.loads: plain json.loads keeps the last of two equal keys,
    so {"red_flags": ["chest_pain"], "red_flags": ["none"]} would silently drop an emergency."""
    decoded = dict(pairs)
    if len(decoded) != len(pairs):  # only a body with a repeat pays for finding which key
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise RepeatedKeyError(key)
            seen.add(key)
    return decoded


@bp.post("/recommendations")
def create_recommendation():
    body = request.get_data(cache=False)  # MAX_CONTENT_LENGTH turns a huge body into a 413
    try:
        data = json.loads(body, object_pairs_hook=object_without_repeated_keys)
    except RepeatedKeyError as repeated:
        return error_response(400, {"_body": [str(repeated)]})
    except (ValueError, RecursionError):
        return error_response(400, {"_body": [_("The request body must be a JSON object.")]})
    if not isinstance(data, dict):
        return error_response(400, {"_body": [_("The request body must be a JSON object.")]})
    try:
        answers = parse_answers(data, current_questionnaire())
    except InvalidAnswers as invalid:
        return error_response(422, invalid.errors)
    return jsonify(with_site_urls(recommend(answers, current_rulebook())))


@bp.get("/questionnaire")
def questionnaire():
    return jsonify(current_questionnaire().as_dict())


@bp.get("/roles")
def role_list():
    roles = db.session.scalars(select(Role).order_by(Role.group, Role.position, Role.name))
    return jsonify({"roles": [role_summary(role) for role in roles]})


@bp.get("/roles/<slug:slug>")
def role_item(slug: str):
    role = role_by_slug(slug)
    if role is None:
        return error_response(404, {"slug": [_("There is no role called '%(slug)s'.", slug=slug)]})
    return jsonify(role_detail(role))


@bp.get("/care-settings")
def setting_list():
    settings = db.session.scalars(select(CareSetting).order_by(CareSetting.position))
    return jsonify({"care_settings": [setting_summary(setting) for setting in settings]})


@bp.get("/care-settings/<slug:slug>")
def setting_item(slug: str):
    setting = setting_by_slug(slug)
    if setting is None:
        return error_response(
            404, {"slug": [_("There is no care setting called '%(slug)s'.", slug=slug)]}
        )
    return jsonify(setting_detail(setting))


@bp.get("/glossary")
def glossary():
    return jsonify(
        {
            "terms": [
                {
                    "slug": term.slug,
                    "term": term.term,
                    "definition": term.definition,
                    "url": glossary_href(term.slug),
                    "sources": [source_dict(source) for source in term.sources],
                }
                for term in glossary_terms()
            ]
        }
    )


@bp.get("/other-clinicians")
def clinician_list():
    clinicians = db.session.scalars(select(Clinician).order_by(Clinician.name))
    return jsonify({"clinicians": [clinician_summary(clinician) for clinician in clinicians]})


@bp.get("/other-clinicians/<slug:slug>")
def clinician_item(slug: str):
    clinician = clinician_by_slug(slug)
    if clinician is None:
        return error_response(
            404, {"slug": [_("There is no clinician page called '%(slug)s'.", slug=slug)]}
        )
    return jsonify(
        {
            **clinician_summary(clinician),
            "also_called": clinician.also_called,
            "what_they_do": clinician.what_they_do,
            "conditions": clinician.conditions,
            "how_to_reach": clinician.how_to_reach,
            "when_we_point_here": clinician.when_we_point_here,
            "related_roles": clinician.related_roles,
            "sources": [source_dict(source) for source in clinician.sources],
            "reviewed_on": clinician.reviewed_on.isoformat(),
        }
    )


@bp.get("/compare")
def compare():
    known = db.session.scalars(select(Role.slug)).all()
    try:
        slugs = parse_role_slugs(request.args.getlist("roles"), known)
    except CompareError as error:
        return error_response(error.status, {"roles": [error.message]})
    roles = roles_for_comparison(slugs)
    rows = comparison_rows(roles)
    return jsonify(
        {
            "roles": [
                {
                    "slug": role.slug,
                    "name": role.name,
                    "url": url_for("roles.role_detail", slug=role.slug),
                    "facts": {row.key: row.values[index] for row in rows},
                }
                for index, role in enumerate(roles)
            ],
            "differences": [{"row": row.key, "label": row.label} for row in rows if row.differs],
        }
    )


@bp.get("/openapi.json")
def openapi():
    document = openapi_document(current_questionnaire(), current_rulebook())
    # Its paths start at the site's root, which a reverse proxy may mount under a path.
    return jsonify({**document, "servers": [{"url": request.script_root or "/"}]})


# --- representations -----------------------------------------------------------------------


def source_dict(source) -> dict[str, str]:
    return {"title": source.title, "publisher": source.publisher, "url": source.url}


def role_summary(role: Role) -> dict[str, Any]:
    return {
        "slug": role.slug,
        "name": role.name,
        "group": role.group,
        "summary": role.summary,
        "access": role.access,
        "prescribes": role.prescribes,
        "url": url_for("roles.role_detail", slug=role.slug),
    }


def role_detail(role: Role) -> dict[str, Any]:
    return {
        **role_summary(role),
        "also_called": role.also_called,
        "focus": role.focus,
        "conditions": role.conditions,
        "treatments": role.treatments,
        "prescribes_note": role.prescribes_note,
        "access_note": role.access_note,
        "first_visit": role.first_visit,
        "cost_and_insurance": role.cost_and_insurance,
        "telehealth": role.telehealth,
        "how_to_check": role.how_to_check,
        "does_procedures": role.does_procedures,
        "balance": role.balance,
        "questions": role.questions,
        "works_with": role.works_with,
        "care_settings": [
            {"slug": m.setting.slug, "name": m.setting.name, "does": m.does}
            for m in sorted(role.settings, key=lambda m: m.setting.position)
        ],
        "training": [
            {
                "country": path.country.code,
                "summary": path.summary,
                "total_years": path.total_years,
                "total_max_years": path.total_max_years,
                "stages": [
                    {
                        "kind": stage.kind,
                        "name": stage.name,
                        "years": stage.years,
                        "max_years": stage.max_years,
                        "granted_by": stage.granted_by,
                    }
                    for stage in path.stages
                ],
            }
            for path in role.training_paths
        ],
        "sources": [source_dict(source) for source in role.sources],
        "reviewed_on": role.reviewed_on.isoformat(),
    }


def clinician_summary(clinician: Clinician) -> dict[str, Any]:
    return {
        "slug": clinician.slug,
        "name": clinician.name,
        "summary": clinician.summary,
        "url": url_for("clinicians.clinician_detail", slug=clinician.slug),
    }


def setting_summary(setting: CareSetting) -> dict[str, Any]:
    return {
        "slug": setting.slug,
        "name": setting.name,
        "summary": setting.summary,
        "url": url_for("care_settings.setting_detail", slug=setting.slug),
    }


def setting_detail(setting: CareSetting) -> dict[str, Any]:
    return {
        **setting_summary(setting),
        "description": setting.description,
        "pain_handled": setting.pain_handled,
        "how_patients_arrive": setting.how_patients_arrive,
        "roles": [
            {"slug": m.role.slug, "name": m.role.name, "does": m.does}
            for m in sorted(setting.roles, key=lambda m: (m.role.position, m.role.name))
        ],
        "sources": [source_dict(source) for source in setting.sources],
        "reviewed_on": setting.reviewed_on.isoformat(),
    }
