"""The OpenAPI 3.1 description of /api/v1. Option lists come from the questionnaire definition,
and the `timing` steps and `see_also` clinicians from the engine and its rulebook, so the
document cannot drift from what the API accepts and answers."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..models import ACCESS_ROUTES, ROLE_GROUPS, STAGE_KINDS
from ..recommend import Questionnaire, RuleBook
from ..recommend.engine import TIMINGS
from ..translation import LANGUAGES

ERROR_RESPONSE = {"$ref": "#/components/responses/Error"}
# Every operation may be rate limited; reads that need the database may answer 503 while it is
# down (a read this instance answered before is served as it was then, with a 200).
TOO_MANY_REQUESTS = {"$ref": "#/components/responses/TooManyRequests"}
UNAVAILABLE = {"$ref": "#/components/responses/Unavailable"}
RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before asking again",
    "schema": {"type": "integer", "minimum": 1},
}

# The engine works `fit` out in code and keeps no list of the words to read, so they are here.
FITS = ["strong", "possible", "general"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error_to_wait_for(description: str) -> dict[str, Any]:
    """The error shape, with the seconds to wait in Retry-After."""
    return {**_json(_ref("Errors"), description), "headers": {"Retry-After": RETRY_AFTER_HEADER}}


def _answers_schema(questionnaire: Questionnaire) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.kind == "multi":
            schema: dict[str, Any] = {
                "type": "array",
                "items": {"type": "string", "enum": question.values},
                "uniqueItems": False,
            }
            if question.required:
                schema["minItems"] = 1
        elif question.kind == "single":
            schema = {"type": "string", "enum": question.values}
        elif question.kind == "integer":
            schema = {"type": "integer", "minimum": question.minimum, "maximum": question.maximum}
        else:
            schema = {"type": "boolean", "default": False}
        schema["description"] = question.legend
        if question.within:
            schema["description"] += (
                f" It must fall inside the years of the chosen {question.within} (422 otherwise)."
            )
        properties[question.name] = schema
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [q.name for q in questionnaire.questions if q.required],
        "properties": properties,
        "description": "'none' in red_flags cannot be combined with another value.",
    }


@cache  # per questionnaire and rulebook: an app has one of each
def openapi_document(questionnaire: Questionnaire, rulebook: RuleBook) -> dict[str, Any]:
    slug_parameter = {
        "name": "slug",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"},
    }
    source = {
        "type": "object",
        "required": ["title", "url"],
        "properties": {
            "title": {"type": "string"},
            "publisher": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
        },
    }
    string_list = {"type": "array", "items": {"type": "string"}}
    role_summary = {
        "type": "object",
        "required": ["slug", "name", "group", "summary", "access", "prescribes", "url"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "group": {"type": "string", "enum": list(ROLE_GROUPS)},
            "summary": {"type": "string"},
            "access": {"type": "string", "enum": list(ACCESS_ROUTES)},
            "prescribes": {"type": "boolean"},
            "url": {"type": "string"},
        },
    }
    stage = {
        "type": "object",
        "required": ["kind", "name", "years", "max_years", "granted_by"],
        "properties": {
            "kind": {"type": "string", "enum": list(STAGE_KINDS)},
            "name": {"type": "string"},
            "years": {"type": "number", "minimum": 0},
            "max_years": {"type": ["number", "null"], "minimum": 0},
            "granted_by": {"type": ["string", "null"]},
        },
    }
    role = {
        "allOf": [
            _ref("RoleSummary"),
            {
                "type": "object",
                "required": [
                    "also_called",
                    "focus",
                    "conditions",
                    "treatments",
                    "prescribes_note",
                    "access_note",
                    "first_visit",
                    "cost_and_insurance",
                    "telehealth",
                    "how_to_check",
                    "does_procedures",
                    "balance",
                    "questions",
                    "works_with",
                    "care_settings",
                    "training",
                    "sources",
                    "reviewed_on",
                ],
                "properties": {
                    "also_called": string_list,
                    "focus": {"type": "string"},
                    "conditions": string_list,
                    "treatments": string_list,
                    "prescribes_note": {"type": "string"},
                    "access_note": {"type": "string"},
                    "first_visit": {"type": "string"},
                    "cost_and_insurance": {"type": "string"},
                    "telehealth": {"type": "string"},
                    "how_to_check": {"type": "string"},
                    "does_procedures": {"type": "boolean"},
                    "balance": {
                        "type": "object",
                        "required": ["benefits", "limits", "risks", "typical_visits"],
                        "properties": {
                            "benefits": string_list,
                            "limits": string_list,
                            "risks": string_list,
                            "typical_visits": {"type": "string"},
                        },
                    },
                    "questions": string_list,
                    "works_with": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["role", "how"],
                            "properties": {"role": {"type": "string"}, "how": {"type": "string"}},
                        },
                    },
                    "care_settings": {"type": "array", "items": _ref("Membership")},
                    "training": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": [
                                "country",
                                "summary",
                                "total_years",
                                "total_max_years",
                                "stages",
                            ],
                            "properties": {
                                "country": {"type": "string"},
                                "summary": {"type": "string"},
                                "total_years": {"type": "number"},
                                "total_max_years": {"type": "number"},
                                "stages": {"type": "array", "items": stage},
                            },
                        },
                    },
                    "sources": {"type": "array", "items": _ref("Source"), "minItems": 1},
                    "reviewed_on": {"type": "string", "format": "date"},
                },
            },
        ]
    }
    membership = {
        "type": "object",
        "required": ["slug", "name", "does"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "does": {"type": "string"},
        },
    }
    setting_summary = {
        "type": "object",
        "required": ["slug", "name", "summary", "url"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "summary": {"type": "string"},
            "url": {"type": "string"},
        },
    }
    setting = {
        "allOf": [
            _ref("CareSettingSummary"),
            {
                "type": "object",
                "required": [
                    "description",
                    "pain_handled",
                    "how_patients_arrive",
                    "roles",
                    "sources",
                    "reviewed_on",
                ],
                "properties": {
                    "description": {"type": "string"},
                    "pain_handled": {"type": "string"},
                    "how_patients_arrive": {"type": "string"},
                    "roles": {"type": "array", "items": _ref("Membership"), "minItems": 1},
                    "sources": {"type": "array", "items": _ref("Source"), "minItems": 1},
                    "reviewed_on": {"type": "string", "format": "date"},
                },
            },
        ]
    }
    recommendation = {
        "type": "object",
        "required": ["rank", "role", "name", "url", "fit", "reasons", "sources"],
        "properties": {
            "rank": {"type": "integer", "minimum": 1},
            "role": {"type": "string"},
            "name": {"type": "string"},
            "url": {"type": "string"},
            "fit": {
                "type": "string",
                "enum": FITS,
                "description": (
                    "strong: a rule chose this role for these answers; possible: a rule ranked "
                    "it lower; general: no rule chose it, it is listed only so that every role "
                    "has a place and must not be shown as a match."
                ),
            },
            "reasons": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "sources": {"type": "array", "items": _ref("Source"), "minItems": 1},
        },
    }
    see_also = {
        "type": "object",
        "required": ["who", "name", "reason", "url"],
        "description": "A clinician outside the twelve roles who fits these answers as well.",
        "properties": {
            "who": {"type": "string", "enum": list(rulebook.clinicians)},
            "name": {"type": "string"},
            "reason": {"type": "string"},
            "url": {"type": "string", "description": "This site's page about the clinician"},
        },
    }
    crisis = {
        "type": "object",
        "required": ["message", "contacts"],
        "description": (
            "Present only when self_harm_thoughts is ticked or mood_or_sleep_affected is true."
        ),
        "properties": {
            "message": {"type": "string"},
            "contacts": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["name", "how"],
                    "properties": {"name": {"type": "string"}, "how": {"type": "string"}},
                },
            },
        },
    }
    result = {
        "type": "object",
        "required": ["version", "urgency", "message", "recommendations", "see_also", "disclaimer"],
        "properties": {
            "version": {"const": 1},
            "urgency": {"type": "string", "enum": ["emergency", "soon", "routine"]},
            "timing": {
                "type": "string",
                "enum": list(TIMINGS),
                "description": (
                    "Optional, the urgency in finer steps: 'today' is a 'soon' case to be "
                    "seen the same day."
                ),
            },
            "message": {"type": "string"},
            "recommendations": {"type": "array", "items": _ref("Recommendation"), "minItems": 3},
            "see_also": {"type": "array", "items": _ref("SeeAlso")},
            "crisis": _ref("Crisis"),
            "disclaimer": {"type": "string"},
        },
    }
    errors = {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                },
            }
        },
    }
    question_schema = {
        "type": "object",
        "required": ["version", "fields"],
        "properties": {
            "version": {"const": 1},
            "fields": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "kind", "required", "step", "question"],
                    "properties": {
                        "name": {"type": "string"},
                        "kind": {
                            "type": "string",
                            "enum": ["single", "multi", "integer", "boolean"],
                        },
                        "required": {"type": "boolean"},
                        "step": {"type": "string"},
                        "question": {"type": "string"},
                        "hint": {"type": ["string", "null"]},
                        "exclusive": {"type": "string"},
                        "minimum": {"type": "integer"},
                        "maximum": {"type": "integer"},
                        "within": {
                            "type": "string",
                            "description": (
                                "The name of a question whose chosen option's years this "
                                "number must fall inside."
                            ),
                        },
                        "default": {
                            "description": "What an unanswered optional question counts as.",
                        },
                        "options": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["value", "label"],
                                "properties": {
                                    "value": {"type": ["string", "boolean"]},
                                    "label": {"type": "string"},
                                    "why": {"type": "string"},
                                    "group": {
                                        "type": "string",
                                        "description": "A heading shown above a run of options.",
                                    },
                                    "years": {
                                        "type": "array",
                                        "description": "The ages this option covers: [low, high].",
                                        "items": {"type": "integer", "minimum": 0},
                                        "minItems": 2,
                                        "maxItems": 2,
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    }

    def get(
        summary: str, schema_name: str, with_slug: bool = False, reads_database: bool = True
    ) -> dict[str, Any]:
        operation: dict[str, Any] = {
            "summary": summary,
            "responses": {
                "200": _json(_ref(schema_name), "OK"),
                "400": ERROR_RESPONSE,
                "429": TOO_MANY_REQUESTS,
            },
        }
        if with_slug:
            operation["parameters"] = [slug_parameter]
            operation["responses"]["404"] = ERROR_RESPONSE
        if reads_database:
            operation["responses"]["503"] = UNAVAILABLE
        return {"get": operation}

    return _in_every_language(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Pain Care Navigator API",
                "version": "1",
                "description": (
                    "Which kind of specialist fits a pain situation. Recommendations are not a "
                    "diagnosis and give no probabilities. Answers are never stored or logged."
                ),
            },
            "servers": [{"url": "/"}],
            "paths": {
                "/api/v1/recommendations": {
                    "post": {
                        "summary": "Recommend kinds of specialist for a set of answers",
                        "requestBody": {
                            "required": True,
                            "description": "A JSON object that names each key once.",
                            "content": {"application/json": {"schema": _ref("Answers")}},
                        },
                        "responses": {
                            "200": _json(
                                _ref("Recommendations"), "Urgency and a ranking of all roles"
                            ),
                            "400": _json(
                                _ref("Errors"),
                                "The body is not JSON, is not a JSON object, or repeats a key in "
                                "any object (a repeated key never replaces an earlier answer); "
                                "the message is under '_body' and names the repeated key.",
                            ),
                            "413": ERROR_RESPONSE,
                            "422": ERROR_RESPONSE,
                            "429": TOO_MANY_REQUESTS,
                        },
                    }
                },
                "/api/v1/questionnaire": get(
                    "The questions, options and labels", "Questionnaire", reads_database=False
                ),
                "/api/v1/roles": get("All roles", "RoleList"),
                "/api/v1/roles/{slug}": get("One role", "Role", with_slug=True),
                "/api/v1/care-settings": get("All care settings", "CareSettingList"),
                "/api/v1/glossary": get("Plain meanings of the words the site uses", "Glossary"),
                "/api/v1/other-clinicians": get(
                    "Clinicians beyond the twelve roles (see_also)", "ClinicianList"
                ),
                "/api/v1/other-clinicians/{slug}": get(
                    "One clinician beyond the twelve roles", "Clinician", with_slug=True
                ),
                "/api/v1/care-settings/{slug}": get(
                    "One care setting", "CareSetting", with_slug=True
                ),
                "/api/v1/compare": {
                    "get": {
                        "summary": "Two to four roles side by side, and where they differ",
                        "parameters": [
                            {
                                "name": "roles",
                                "in": "query",
                                "required": True,
                                "description": "Two to four role slugs, separated by commas",
                                "schema": {"type": "string", "maxLength": 400},
                            }
                        ],
                        "responses": {
                            "200": _json(
                                _ref("Comparison"),
                                "The facts of each role, and the rows that differ",
                            ),
                            "400": ERROR_RESPONSE,
                            "404": ERROR_RESPONSE,
                            "429": TOO_MANY_REQUESTS,
                            "503": UNAVAILABLE,
                        },
                    }
                },
                "/api/v1/openapi.json": {
                    "get": {
                        "summary": "This document",
                        "responses": {
                            "200": _json({"type": "object"}, "OpenAPI 3.1 document"),
                            "429": TOO_MANY_REQUESTS,
                        },
                    }
                },
            },
            "components": {
                "schemas": {
                    "Answers": _answers_schema(questionnaire),
                    "Recommendations": result,
                    "Recommendation": recommendation,
                    "SeeAlso": see_also,
                    "Crisis": crisis,
                    "Source": source,
                    "Errors": errors,
                    "Questionnaire": question_schema,
                    "RoleSummary": role_summary,
                    "RoleList": {
                        "type": "object",
                        "required": ["roles"],
                        "properties": {"roles": {"type": "array", "items": _ref("RoleSummary")}},
                    },
                    "Role": role,
                    "Membership": membership,
                    "CareSettingSummary": setting_summary,
                    "CareSettingList": {
                        "type": "object",
                        "required": ["care_settings"],
                        "properties": {
                            "care_settings": {"type": "array", "items": _ref("CareSettingSummary")}
                        },
                    },
                    "CareSetting": setting,
                    "Glossary": {
                        "type": "object",
                        "required": ["terms"],
                        "properties": {
                            "terms": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["slug", "term", "definition", "url", "sources"],
                                    "properties": {
                                        "slug": {"type": "string"},
                                        "term": {"type": "string"},
                                        "definition": {"type": "string"},
                                        "url": {"type": "string"},
                                        "sources": {"type": "array", "items": _ref("Source")},
                                    },
                                },
                            }
                        },
                    },
                    "ClinicianSummary": {
                        "type": "object",
                        "required": ["slug", "name", "summary", "url"],
                        "properties": {
                            "slug": {"type": "string"},
                            "name": {"type": "string"},
                            "summary": {"type": "string"},
                            "url": {"type": "string"},
                        },
                    },
                    "ClinicianList": {
                        "type": "object",
                        "required": ["clinicians"],
                        "properties": {
                            "clinicians": {"type": "array", "items": _ref("ClinicianSummary")}
                        },
                    },
                    "Clinician": {
                        "allOf": [
                            _ref("ClinicianSummary"),
                            {
                                "type": "object",
                                "required": [
                                    "what_they_do",
                                    "conditions",
                                    "how_to_reach",
                                    "when_we_point_here",
                                    "related_roles",
                                    "sources",
                                    "reviewed_on",
                                ],
                                "properties": {
                                    "also_called": string_list,
                                    "what_they_do": {"type": "string"},
                                    "conditions": string_list,
                                    "how_to_reach": {"type": "string"},
                                    "when_we_point_here": {"type": "string"},
                                    "related_roles": string_list,
                                    "sources": {"type": "array", "items": _ref("Source")},
                                    "reviewed_on": {"type": "string", "format": "date"},
                                },
                            },
                        ]
                    },
                    "Comparison": {
                        "type": "object",
                        "required": ["roles", "differences"],
                        "properties": {
                            "roles": {
                                "type": "array",
                                "minItems": 2,
                                "maxItems": 4,
                                "items": {
                                    "type": "object",
                                    "required": ["slug", "name", "url", "facts"],
                                    "properties": {
                                        "slug": {"type": "string"},
                                        "name": {"type": "string"},
                                        "url": {"type": "string"},
                                        "facts": {
                                            "type": "object",
                                            "additionalProperties": {
                                                "anyOf": [
                                                    {"type": "string"},
                                                    {"type": "array", "items": {"type": "string"}},
                                                ]
                                            },
                                        },
                                    },
                                },
                            },
                            "differences": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["row", "label"],
                                    "properties": {
                                        "row": {"type": "string"},
                                        "label": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                },
                "responses": {
                    "Error": _json(
                        _ref("Errors"), "The contract's error shape: messages per bad field"
                    ),
                    "TooManyRequests": _error_to_wait_for(
                        "Too many requests from this address: wait the seconds in "
                        "Retry-After (the message is under '_request')."
                    ),
                    "Unavailable": _error_to_wait_for(
                        "The site's database is not answering and this instance has no earlier "
                        "answer to give: try again after Retry-After (the message is under "
                        "'_service'). Recommendations keep working."
                    ),
                },
            },
        }
    )


LANGUAGE_PARAMETERS = [
    {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": (
            "The language of the words in the answer (labels, reasons, messages, errors). "
            "Wins over Accept-Language. Machine words (field names, option values, slugs) are "
            "the same in every language."
        ),
        "schema": {"type": "string", "enum": list(LANGUAGES)},
    },
    {
        "name": "Accept-Language",
        "in": "header",
        "required": False,
        "description": "Used when there is no lang: the best of " + ", ".join(LANGUAGES) + ".",
        "schema": {"type": "string", "maxLength": 200},
    },
]
CONTENT_LANGUAGE_HEADER = {
    "description": "The language of the words in this answer",
    "schema": {"type": "string", "enum": list(LANGUAGES)},
}


def _in_every_language(document: dict[str, Any]) -> dict[str, Any]:
    """Every operation takes lang / Accept-Language and says its language in Content-Language."""
    document["info"]["description"] += (
        " Every endpoint answers in English or Spanish: ?lang=es, or Accept-Language: es; the "
        "answer's Content-Language says which. Only words change between languages, never "
        "field names, option values, slugs or rankings."
    )
    for operations in document["paths"].values():
        for operation in operations.values():
            operation["parameters"] = [*operation.get("parameters", []), *LANGUAGE_PARAMETERS]
            operation["responses"].setdefault("400", ERROR_RESPONSE)
            for response in operation["responses"].values():
                if "$ref" not in response:
                    response["headers"] = {
                        **response.get("headers", {}),
                        "Content-Language": CONTENT_LANGUAGE_HEADER,
                    }
    return document
