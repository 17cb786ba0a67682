"""The JSON API: the contract's endpoints, error shapes, OpenAPI document, and no cookies."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.recommend import load_questionnaire

from .conftest import SPEC_ROLE_SLUGS

ROUTINE_BACK_PAIN = {
    "red_flags": ["none"],
    "age_group": "adult",
    "duration": "under_6_weeks",
    "situation": "no_clear_cause",
    "locations": ["back"],
    "qualities": ["aching_or_stiff"],
    "severity": 4,
    "tried": ["nothing_yet"],
}
RED_FLAGS = [v for v in load_questionnaire()["red_flags"].values if v != "none"]


def post(client, body, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/api/v1/recommendations", data=data, content_type=content_type)


@pytest.fixture(scope="module")
def openapi(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


@pytest.fixture(scope="module")
def schema_for(openapi):
    """A JSON Schema validator for any component of the OpenAPI document (3.1 = 2020-12)."""
    document = Resource.from_contents(openapi, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", document)

    def validator(name: str) -> Draft202012Validator:
        schema = {"$ref": f"urn:openapi#/components/schemas/{name}"}
        return Draft202012Validator(schema, registry=registry)

    return validator


def test_openapi_document_is_valid_openapi_3_1(openapi):
    assert openapi["openapi"].startswith("3.1")
    validate_openapi(openapi)
    assert set(openapi["paths"]) == {
        "/api/v1/recommendations",
        "/api/v1/questionnaire",
        "/api/v1/roles",
        "/api/v1/roles/{slug}",
        "/api/v1/care-settings",
        "/api/v1/care-settings/{slug}",
        "/api/v1/openapi.json",
        "/api/v1/compare",
    }


def test_recommendation_matches_contract_and_schema(client, schema_for):
    response = post(client, ROUTINE_BACK_PAIN)
    assert response.status_code == 200
    body = response.get_json()
    schema_for("Recommendations").validate(body)
    assert body["urgency"] == "routine"
    assert body["recommendations"][0]["role"] == "primary-care-physician"
    assert {item["role"] for item in body["recommendations"]} == SPEC_ROLE_SLUGS
    assert "not a diagnosis" in body["disclaimer"]


def test_json_keeps_the_engines_answer_and_field_order(client):
    from app.recommend import recommend

    response = post(client, ROUTINE_BACK_PAIN)
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data()) == recommend(ROUTINE_BACK_PAIN)
    assert list(response.get_json()) == [
        "version",
        "urgency",
        "message",
        "recommendations",
        "disclaimer",
    ]


def test_json_is_pretty_printed_in_debug_mode(app):
    with app.test_request_context():
        app.debug = True
        try:
            text = app.json.response({"b": 1, "a": "é"}).get_data(as_text=True)
        finally:
            app.debug = False
    assert text.startswith('{\n  "b": 1') and json.loads(text) == {"b": 1, "a": "é"}


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/api/v1/questionnaire", "Questionnaire"),
        ("/api/v1/roles", "RoleList"),
        ("/api/v1/roles/pain-medicine-physician", "Role"),
        ("/api/v1/care-settings", "CareSettingList"),
        ("/api/v1/care-settings/acute-pain-service", "CareSetting"),
    ],
)
def test_read_endpoints_match_their_schemas(client, schema_for, path, schema):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/json"
    schema_for(schema).validate(response.get_json())


def test_every_role_and_setting_is_served(client, role_slugs, setting_slugs, schema_for):
    listed = {role["slug"] for role in client.get("/api/v1/roles").get_json()["roles"]}
    assert listed == SPEC_ROLE_SLUGS
    for slug in role_slugs:
        schema_for("Role").validate(client.get(f"/api/v1/roles/{slug}").get_json())
    for slug in setting_slugs:
        schema_for("CareSetting").validate(client.get(f"/api/v1/care-settings/{slug}").get_json())


def test_questionnaire_endpoint_lists_the_contract_fields(client):
    body = client.get("/api/v1/questionnaire").get_json()
    names = [field["name"] for field in body["fields"]]
    assert names == [
        "red_flags",
        "age_group",
        "duration",
        "situation",
        "locations",
        "qualities",
        "severity",
        "tried",
        "mood_or_sleep_affected",
        "preferences",
    ]
    red_flags = body["fields"][0]
    assert red_flags["exclusive"] == "none"
    assert all(option.get("why") for option in red_flags["options"] if option["value"] != "none")


BAD_REQUESTS = [
    pytest.param("not json", 400, ["_body"], id="not-json"),
    pytest.param("[1, 2]", 400, ["_body"], id="json-array"),
    pytest.param('"text"', 400, ["_body"], id="json-string"),
    pytest.param("", 400, ["_body"], id="empty-body"),
    pytest.param("[" * 50_000, 400, ["_body"], id="deeply-nested"),
    pytest.param(b"\xff\xfe\x00garbage", 400, ["_body"], id="broken-utf8"),
    pytest.param(
        {},
        422,
        ["red_flags", "age_group", "duration", "situation", "locations", "severity"],
        id="empty-object",
    ),
    pytest.param(
        dict(ROUTINE_BACK_PAIN, red_flags=["none", "chest_pain"]),
        422,
        ["red_flags"],
        id="none-with-a-flag",
    ),
    pytest.param(dict(ROUTINE_BACK_PAIN, red_flags=[]), 422, ["red_flags"], id="empty-red-flags"),
    pytest.param(dict(ROUTINE_BACK_PAIN, locations=[]), 422, ["locations"], id="empty-locations"),
    pytest.param(dict(ROUTINE_BACK_PAIN, severity=11), 422, ["severity"], id="severity-11"),
    pytest.param(dict(ROUTINE_BACK_PAIN, severity=-1), 422, ["severity"], id="severity-negative"),
    pytest.param(dict(ROUTINE_BACK_PAIN, severity=4.5), 422, ["severity"], id="severity-fraction"),
    pytest.param(dict(ROUTINE_BACK_PAIN, severity="4"), 422, ["severity"], id="severity-string"),
    pytest.param(dict(ROUTINE_BACK_PAIN, severity=True), 422, ["severity"], id="severity-bool"),
    pytest.param(
        dict(ROUTINE_BACK_PAIN, age_group="toddler"), 422, ["age_group"], id="unknown-value"
    ),
    pytest.param(
        dict(ROUTINE_BACK_PAIN, age_group=["adult"]), 422, ["age_group"], id="list-not-one"
    ),
    pytest.param(dict(ROUTINE_BACK_PAIN, locations="back"), 422, ["locations"], id="one-not-list"),
    pytest.param(
        dict(ROUTINE_BACK_PAIN, qualities=["itchy"]), 422, ["qualities"], id="unknown-option"
    ),
    pytest.param(
        dict(ROUTINE_BACK_PAIN, mood_or_sleep_affected="yes"),
        422,
        ["mood_or_sleep_affected"],
        id="bool-as-string",
    ),
    pytest.param(
        dict(ROUTINE_BACK_PAIN, favourite_colour="blue"),
        422,
        ["favourite_colour"],
        id="unknown-field",
    ),
    pytest.param(dict(ROUTINE_BACK_PAIN, age_group=None), 422, ["age_group"], id="null-required"),
    # A lone surrogate in a field name: valid JSON text, repeated back in the error message.
    pytest.param(
        json.dumps(dict(ROUTINE_BACK_PAIN, **{"\ud800": 1})),
        422,
        ["\ud800"],
        id="lone-surrogate-field",
    ),
]


@pytest.mark.parametrize(("body", "status", "fields"), BAD_REQUESTS)
def test_bad_input_gets_the_contract_error_shape(client, schema_for, body, status, fields):
    response = post(client, body)
    assert response.status_code == status
    errors = response.get_json()["errors"]
    schema_for("Errors").validate({"errors": errors})
    assert sorted(errors) == sorted(fields)
    assert all(
        messages and all(isinstance(m, str) and m for m in messages) for messages in errors.values()
    )


def test_huge_body_is_refused_with_the_error_shape(client):
    response = post(client, json.dumps({"red_flags": ["none"] * 200_000}))
    assert response.status_code == 413
    assert response.get_json() == {"errors": {"_body": ["The request body is too large."]}}


def test_form_encoded_body_is_a_400_not_a_500(client):
    response = post(client, "red_flags=none", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "path", "status", "field"),
    [
        ("get", "/api/v1/recommendations", 405, "_method"),
        ("delete", "/api/v1/roles", 405, "_method"),
        ("get", "/api/v1/roles/no-such-role", 404, "slug"),
        ("get", "/api/v1/care-settings/nowhere", 404, "slug"),
        ("get", "/api/v1/roles/" + "x" * 3000, 404, "_path"),
        ("get", "/api/v1/roles/Bad%00Slug", 404, "_path"),
        ("get", "/api/v1/nothing-here", 404, "_path"),
    ],
)
def test_api_errors_are_json(client, method, path, status, field):
    response = getattr(client, method)(path)
    assert response.status_code == status and response.mimetype == "application/json"
    assert list(response.get_json()["errors"]) == [field]


def test_api_sets_no_cookie_and_needs_no_csrf_token(app):
    # A client with CSRF protection on, as in production: the API must still accept a POST.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = post(app.test_client(), ROUTINE_BACK_PAIN)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


# --- property-based tests --------------------------------------------------------------------

questionnaire = load_questionnaire()


def valid_answers() -> st.SearchStrategy[dict]:
    def subset(name: str, minimum: int = 0) -> st.SearchStrategy[list]:
        values = [v for v in questionnaire[name].values if v not in ("none",)]
        return st.lists(
            st.sampled_from(values), min_size=minimum, max_size=len(values), unique=True
        )

    return st.fixed_dictionaries(
        {
            "red_flags": st.one_of(st.just(["none"]), subset("red_flags", 1)),
            "age_group": st.sampled_from(questionnaire["age_group"].values),
            "duration": st.sampled_from(questionnaire["duration"].values),
            "situation": st.sampled_from(questionnaire["situation"].values),
            "locations": subset("locations", 1),
            "severity": st.integers(0, 10),
        },
        optional={
            "qualities": subset("qualities"),
            "tried": subset("tried"),
            "mood_or_sleep_affected": st.booleans(),
            "preferences": subset("preferences"),
        },
    )


@settings(
    max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(answers=valid_answers(), flags=st.lists(st.sampled_from(RED_FLAGS), min_size=1, unique=True))
def test_any_red_flag_with_any_other_answers_is_an_emergency(client, answers, flags):
    body = post(client, dict(answers, red_flags=flags)).get_json()
    assert body["urgency"] == "emergency"
    assert body["recommendations"][0]["role"] == "emergency-physician"


@settings(
    max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(answers=valid_answers())
def test_every_valid_answer_set_gets_a_full_ranking(client, schema_for, answers):
    response = post(client, answers)
    assert response.status_code == 200
    body = response.get_json()
    schema_for("Recommendations").validate(body)
    assert [item["rank"] for item in body["recommendations"]] == list(range(1, 13))
    assert (body["urgency"] == "emergency") == (answers["red_flags"] != ["none"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(
    body=st.one_of(
        json_values,
        st.fixed_dictionaries({}, optional={name: json_values for name in questionnaire.names}),
        valid_answers().flatmap(
            lambda good: st.sampled_from(sorted(good)).flatmap(
                lambda key: json_values.map(lambda bad: {**good, key: bad})
            )
        ),
    )
)
def test_no_body_ever_causes_a_server_error(client, schema_for, body):
    response = post(client, json.dumps(body, allow_nan=True))
    assert response.status_code in (200, 400, 422)
    payload = response.get_json()
    if response.status_code == 200:
        schema_for("Recommendations").validate(payload)
    else:
        schema_for("Errors").validate(payload)


@settings(
    max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(raw=st.binary(max_size=300))
def test_random_bytes_never_cause_a_server_error(client, raw):
    assert post(client, raw).status_code in (200, 400, 422)
