"""The JSON API: the contract's endpoints, error shapes, OpenAPI document, and no cookies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.recommend import load_questionnaire

from .conftest import (
    SPEC_NEW_RED_FLAGS,
    SPEC_ROLE_SLUGS,
    SPEC_SEE_ALSO_WHO,
    answers,
    required_answers,
)

ROUTINE_BACK_PAIN = answers()
ROUTINE_JSON = json.dumps(ROUTINE_BACK_PAIN)  # as text, for bodies json.dumps cannot write
RED_FLAGS = [v for v in load_questionnaire()["red_flags"].values if v != "none"]

# The contract's 1.1 words, written out here so that a slip in the definition or the
# document fails a test instead of changing both sides at once.
NEW_RED_FLAGS = SPEC_NEW_RED_FLAGS
NEW_VALUES = {
    "red_flags": NEW_RED_FLAGS,
    "locations": ["chest", "teeth_or_jaw", "groin_or_genitals"],
    "situation": ["cancer_past"],
    "tried": ["opioid_medicine"],
    "preferences": ["no_procedures", "want_to_reduce_opioids"],
}
FITS = {"strong", "possible", "general"}
TIMINGS = {"now", "today", "within_days", "routine"}
SEE_ALSO_WHO = SPEC_SEE_ALSO_WHO


def post(client, body, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/api/v1/recommendations", data=data, content_type=content_type)


def with_repeated_key(answers: dict[str, Any], key: str, value: Any) -> str:
    """`answers` as JSON text with `key` written once more at the end (json.dumps cannot)."""
    return json.dumps(answers)[:-1] + f", {json.dumps(key)}: {json.dumps(value)}}}"


def check_1_1_fields(body: dict[str, Any]) -> None:
    """The 1.1 response fields, checked against the contract's own words."""
    assert all(item["fit"] in FITS for item in body["recommendations"])
    assert isinstance(body["see_also"], list)
    assert all(isinstance(item, dict) and item["who"] in SEE_ALSO_WHO for item in body["see_also"])
    assert body.get("timing", "routine") in TIMINGS


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
        "/api/v1/glossary",
        "/api/v1/other-clinicians",
        "/api/v1/other-clinicians/{slug}",
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
    from .site_engine import recommend

    response = post(client, ROUTINE_BACK_PAIN)
    assert response.mimetype == "application/json"
    engine_answer = recommend(ROUTINE_BACK_PAIN)
    assert json.loads(response.get_data()) == engine_answer
    sent_order = list(response.get_json())
    assert sent_order == list(engine_answer)
    version_1_fields = ["version", "urgency", "message", "recommendations", "disclaimer"]
    assert [name for name in sent_order if name in version_1_fields] == version_1_fields


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
        ("/api/v1/glossary", "Glossary"),
        ("/api/v1/other-clinicians", "ClinicianList"),
        ("/api/v1/other-clinicians/chiropractor", "Clinician"),
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
        "age_years",
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


def test_questionnaire_endpoint_lists_the_1_1_values(client, openapi):
    fields = {
        field["name"]: field for field in client.get("/api/v1/questionnaire").get_json()["fields"]
    }
    for name, new_values in NEW_VALUES.items():
        listed = [option["value"] for option in fields[name]["options"]]
        assert set(new_values) <= set(listed), name
    age_years = fields["age_years"]
    assert age_years["kind"] == "integer" and age_years["required"] is False
    assert (age_years["minimum"], age_years["maximum"]) == (0, 120)
    assert age_years["within"] == "age_group"
    years = {option["value"]: option["years"] for option in fields["age_group"]["options"]}
    assert years == {"child": [0, 17], "adult": [18, 64], "older_adult": [65, 120]}
    assert all(o.get("group") for o in fields["red_flags"]["options"] if o["value"] != "none")
    # Every key the endpoint sends is described in the document, not merely allowed by it.
    schema = openapi["components"]["schemas"]["Questionnaire"]["properties"]["fields"]["items"]
    assert set().union(*fields.values()) <= set(schema["properties"])
    option_keys = set().union(*(o for f in fields.values() for o in f.get("options", [])))
    assert option_keys <= set(schema["properties"]["options"]["items"]["properties"])


def test_openapi_describes_the_1_1_request_and_response(openapi):
    schemas = openapi["components"]["schemas"]
    answers = schemas["Answers"]
    for name, new_values in NEW_VALUES.items():
        enum = (
            answers["properties"][name].get("enum") or answers["properties"][name]["items"]["enum"]
        )
        assert set(new_values) <= set(enum), name
    age_years = answers["properties"]["age_years"]
    assert (age_years["type"], age_years["minimum"], age_years["maximum"]) == ("integer", 0, 120)
    assert "age_years" not in answers["required"]
    assert set(schemas["Recommendation"]["properties"]["fit"]["enum"]) == FITS
    assert set(schemas["SeeAlso"]["properties"]["who"]["enum"]) == SEE_ALSO_WHO
    assert set(schemas["Recommendations"]["properties"]["timing"]["enum"]) == TIMINGS
    assert "crisis" not in schemas["Recommendations"]["required"]
    bad_body = openapi["paths"]["/api/v1/recommendations"]["post"]["responses"]["400"]
    assert "repeats a key" in bad_body["description"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda body: body["recommendations"][0].update(fit="best"), id="fit"),
        pytest.param(lambda body: body.pop("see_also"), id="no-see-also"),
        pytest.param(
            lambda body: body.update(see_also=[{"who": "plumber", "name": "P", "reason": "r"}]),
            id="see-also-who",
        ),
        pytest.param(lambda body: body.update(see_also=["dentist"]), id="see-also-not-object"),
        pytest.param(
            lambda body: body.update(crisis={"message": "m", "contacts": []}),
            id="crisis-without-contact",
        ),
        pytest.param(lambda body: body.update(timing="someday"), id="timing"),
    ],
)
def test_recommendations_schema_rejects_a_broken_response(client, schema_for, change):
    # The schema checks in this file are only worth something if the schema can say no.
    body = post(client, ROUTINE_BACK_PAIN).get_json()
    schema_for("Recommendations").validate(body)
    change(body)
    with pytest.raises(ValidationError):
        schema_for("Recommendations").validate(body)


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
        answers(red_flags=["none", "chest_pain"]),
        422,
        ["red_flags"],
        id="none-with-a-flag",
    ),
    pytest.param(answers(red_flags=[]), 422, ["red_flags"], id="empty-red-flags"),
    pytest.param(answers(locations=[]), 422, ["locations"], id="empty-locations"),
    pytest.param(answers(severity=11), 422, ["severity"], id="severity-11"),
    pytest.param(answers(severity=-1), 422, ["severity"], id="severity-negative"),
    pytest.param(answers(severity=4.5), 422, ["severity"], id="severity-fraction"),
    pytest.param(answers(severity="4"), 422, ["severity"], id="severity-string"),
    pytest.param(answers(severity=True), 422, ["severity"], id="severity-bool"),
    pytest.param(answers(age_group="toddler"), 422, ["age_group"], id="unknown-value"),
    pytest.param(answers(age_group=["adult"]), 422, ["age_group"], id="list-not-one"),
    pytest.param(answers(locations="back"), 422, ["locations"], id="one-not-list"),
    pytest.param(answers(qualities=["itchy"]), 422, ["qualities"], id="unknown-option"),
    pytest.param(
        answers(mood_or_sleep_affected="yes"),
        422,
        ["mood_or_sleep_affected"],
        id="bool-as-string",
    ),
    pytest.param(
        answers(favourite_colour="blue"),
        422,
        ["favourite_colour"],
        id="unknown-field",
    ),
    pytest.param(answers(age_group=None), 422, ["age_group"], id="null-required"),
    pytest.param(answers(age_years=17), 422, ["age_years"], id="age-below-group"),
    pytest.param(answers(age_years=65), 422, ["age_years"], id="age-above-group"),
    pytest.param(
        answers(age_group="child", age_years=18),
        422,
        ["age_years"],
        id="age-above-child",
    ),
    pytest.param(
        answers(age_group="older_adult", age_years=64),
        422,
        ["age_years"],
        id="age-below-older-adult",
    ),
    pytest.param(answers(age_years=121), 422, ["age_years"], id="age-121"),
    pytest.param(answers(age_years="40"), 422, ["age_years"], id="age-string"),
    pytest.param(answers(age_years=40.5), 422, ["age_years"], id="age-fraction"),
    # NaN and Infinity are not JSON, but Python's decoder reads them: they must still be refused
    # per field, never crash.
    pytest.param(
        ROUTINE_JSON[:-1] + ', "age_years": NaN}',
        422,
        ["age_years"],
        id="age-nan",
    ),
    pytest.param(
        ROUTINE_JSON.replace('"severity": 4', '"severity": Infinity'),
        422,
        ["severity"],
        id="severity-infinity",
    ),
    pytest.param(
        ROUTINE_JSON.replace('["back"]', "[-Infinity]"),
        422,
        ["locations"],
        id="locations-minus-infinity",
    ),
    pytest.param("NaN", 400, ["_body"], id="bare-nan"),
    pytest.param("1e999", 400, ["_body"], id="bare-infinity-by-overflow"),
    # A lone surrogate in a field name: valid JSON text, repeated back in the error message.
    pytest.param(
        json.dumps(answers(**{"\ud800": 1})),
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


EMERGENCY_BACK_PAIN = answers(red_flags=["chest_pain"])


@pytest.mark.parametrize(
    ("body", "repeated_key"),
    [
        # Last-one-wins would turn this emergency into a routine answer.
        pytest.param(
            with_repeated_key(EMERGENCY_BACK_PAIN, "red_flags", ["none"]),
            "red_flags",
            id="emergency-then-none",
        ),
        pytest.param(
            with_repeated_key(ROUTINE_BACK_PAIN, "red_flags", ["chest_pain"]),
            "red_flags",
            id="none-then-emergency",
        ),
        pytest.param(
            with_repeated_key(ROUTINE_BACK_PAIN, "severity", 4), "severity", id="same-value-twice"
        ),
        pytest.param(
            with_repeated_key(ROUTINE_BACK_PAIN, "age_years", 40).replace(
                '"severity": 4', '"age_years": 30, "severity": 4'
            ),
            "age_years",
            id="optional-field-twice",
        ),
        pytest.param(
            ROUTINE_JSON[:-1] + ', "red\\u005fflags": ["chest_pain"]}',
            "red_flags",
            id="same-key-spelled-with-an-escape",
        ),
        pytest.param(
            ROUTINE_JSON[:-1] + ', "note": {"where": "back", "where": "neck"}}',
            "where",
            id="nested-object",
        ),
        pytest.param(
            ROUTINE_JSON.replace('["back"]', '[{"part": "back", "part": "neck"}]'),
            "part",
            id="object-inside-a-list",
        ),
        pytest.param('{"a": {"b": {"c": 1, "c": 2}}}', "c", id="deeply-nested"),
    ],
)
def test_a_repeated_key_is_a_400_naming_it(client, schema_for, body, repeated_key):
    response = post(client, body)
    assert response.status_code == 400
    payload = response.get_json()
    schema_for("Errors").validate(payload)
    assert list(payload["errors"]) == ["_body"]
    [message] = payload["errors"]["_body"]
    assert f"'{repeated_key}'" in message and "more than once" in message


def test_odd_numbers_never_cause_a_server_error(client, schema_for):
    huge_integer = "1" + "0" * 5000  # past Python's limit on digits read from text
    for literal in (huge_integer, "1e999", "NaN", "-Infinity", "4.0", "4e0"):
        response = post(client, ROUTINE_JSON.replace('"severity": 4', f'"severity": {literal}'))
        assert response.status_code in (400, 422), literal
        schema_for("Errors").validate(response.get_json())


# --- version 1.1: exact age, new red flags, crisis line, fit and see_also ---------------------


def recommendation_for(client, schema_for, answers: dict[str, Any]) -> dict[str, Any]:
    """A 200 answer, checked against the OpenAPI schema and the 1.1 fields."""
    response = post(client, answers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    schema_for("Recommendations").validate(body)
    check_1_1_fields(body)
    return body


@pytest.mark.parametrize(
    ("age_group", "age_years"),
    [("child", 0), ("child", 17), ("adult", 18), ("adult", 50), ("adult", 64)]
    + [("older_adult", 65), ("older_adult", 120)],
)
def test_an_age_inside_the_age_group_is_accepted(client, schema_for, age_group, age_years):
    body = answers(age_group=age_group, age_years=age_years)
    recommendation_for(client, schema_for, body)


def test_an_age_outside_the_age_group_names_age_years(client):
    response = post(client, answers(age_group="child", age_years=40))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert list(errors) == ["age_years"]
    assert "40" in errors["age_years"][0] and "child" in errors["age_years"][0]


@pytest.mark.parametrize("flag", NEW_RED_FLAGS)
def test_each_new_red_flag_is_an_emergency(client, schema_for, flag):
    body = recommendation_for(client, schema_for, answers(red_flags=[flag]))
    assert body["urgency"] == "emergency"
    assert body["recommendations"][0]["role"] == "emergency-physician"


def has_988_contact(body: dict[str, Any]) -> bool:
    return any("988" in contact["name"] + contact["how"] for contact in body["crisis"]["contacts"])


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"red_flags": ["self_harm_thoughts"]}, id="self-harm"),
        pytest.param(
            {"red_flags": ["self_harm_thoughts", "chest_pain"], "mood_or_sleep_affected": False},
            id="self-harm-with-another-flag",
        ),
        pytest.param({"mood_or_sleep_affected": True}, id="mood-or-sleep"),
    ],
)
def test_crisis_line_is_given_for_self_harm_or_mood(client, schema_for, changes):
    body = recommendation_for(client, schema_for, answers(**changes))
    assert body["crisis"]["message"]
    assert has_988_contact(body)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="routine"),
        pytest.param({"mood_or_sleep_affected": False}, id="mood-false"),
        pytest.param({"red_flags": ["chest_pain"]}, id="other-red-flag"),
    ],
)
def test_no_crisis_field_without_self_harm_or_mood(client, schema_for, changes):
    body = recommendation_for(client, schema_for, answers(**changes))
    assert "crisis" not in body


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="routine"),
        pytest.param({"locations": ["teeth_or_jaw"]}, id="teeth-or-jaw"),
        pytest.param({"locations": ["groin_or_genitals", "abdomen_or_pelvis"]}, id="groin"),
        pytest.param({"situation": "cancer_past", "duration": "over_3_months"}, id="cancer-past"),
        pytest.param(
            {"tried": ["opioid_medicine"], "preferences": ["want_to_reduce_opioids"]},
            id="opioids",
        ),
        pytest.param(
            {"preferences": ["no_procedures"], "locations": ["chest"]}, id="no-procedures"
        ),
        pytest.param({"situation": "after_surgery", "severity": 9}, id="after-surgery"),
    ],
)
def test_every_recommendation_has_a_fit_and_see_also_uses_the_contract_words(
    client, schema_for, changes
):
    recommendation_for(client, schema_for, answers(**changes))


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


def test_api_sets_no_cookie_and_needs_no_csrf_token(csrf_client):
    # A client with CSRF protection on, as in production: the API must still accept a POST.
    response = post(csrf_client, ROUTINE_BACK_PAIN)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


# --- property-based tests --------------------------------------------------------------------

questionnaire = load_questionnaire()


def age_group_for(age_years: int) -> str:
    low_high = {option.value: option.years for option in questionnaire["age_group"].options}
    return next(group for group, (low, high) in low_high.items() if low <= age_years <= high)


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
            "age_years": st.integers(0, 120),
        },
    ).map(
        # An exact age must fit the age group, so the group follows the age when both are sent;
        # any required question not drawn here gets its standard answer.
        lambda drawn: (
            required_answers(**{**drawn, "age_group": age_group_for(drawn["age_years"])})
            if "age_years" in drawn
            else required_answers(**drawn)
        )
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
    check_1_1_fields(body)
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
