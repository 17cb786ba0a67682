"""The HTML questionnaire: emergency first, steps with answers carried in the form, errors in
the GOV.UK pattern, check-your-answers, results; and that answers are never kept."""

from __future__ import annotations

import logging

import pytest
from bs4 import BeautifulSoup

from .conftest import dump_database

ABOUT = {
    "age_group": "adult",
    "duration": "over_3_months",
    "situation": "long_term_condition",
    "locations": ["joints"],
    "qualities": ["swollen_warm_joints", "morning_stiffness"],
    "severity": "6",
    "tried": ["primary_care_visit", "pain_medication"],
    "mood_or_sleep_affected": "false",
}


def submit(client, step: str, **fields):
    data = {"step": step, **fields}
    response = client.post("/which-specialist", data=data)
    return response, BeautifulSoup(response.get_data(as_text=True), "html.parser")


def carried(page, form_index=0) -> dict[str, list[str]]:
    """The answers a page carries forward in a form's hidden inputs."""
    values: dict[str, list[str]] = {}
    form = page.find_all("form", method="post")[form_index]
    for hidden in form.find_all("input", type="hidden"):
        if hidden["name"] not in ("csrf_token", "step", "change"):
            values.setdefault(hidden["name"], []).append(hidden["value"])
    return values


def through_to_check(client, preferences=()):
    _, page = submit(client, "emergency", red_flags="none")
    data = {**carried(page), **ABOUT}
    _, page = submit(client, "about", **data)
    data = {**carried(page), "preferences": list(preferences)}
    return submit(client, "preferences", **data)


def test_start_page_asks_emergency_signs_first(client):
    page = BeautifulSoup(client.get("/which-specialist").get_data(as_text=True), "html.parser")
    assert page.find("h1").get_text(strip=True) == "First, check for emergency signs"
    boxes = page.select("input[type=checkbox][name=red_flags]")
    assert [box["value"] for box in boxes][-1] == "none" and len(boxes) == 7
    form = page.find("form", method="post")
    assert form["action"] == "/which-specialist"  # answers go in the body, never the URL
    assert page.find("legend")


@pytest.mark.parametrize(
    "flag",
    [
        "chest_pain",
        "sudden_severe_headache",
        "neuro_deficit",
        "bladder_bowel",
        "fever_with_severe_pain",
        "major_injury",
    ],
)
def test_any_red_flag_goes_straight_to_the_emergency_page(client, flag):
    response, page = submit(client, "emergency", red_flags=flag)
    assert response.status_code == 200
    assert page.find("h1").get_text(strip=True) == "Get help now"
    text = page.get_text(" ", strip=True)
    assert "Call your local emergency number now" in text
    assert page.select(".flag-list li"), "the sign ticked is shown, with why it matters"
    assert not page.find("input", attrs={"name": "age_group"}), "no further questions"


def test_none_with_a_red_flag_is_an_error_next_to_the_field(client):
    response, page = submit(client, "emergency", red_flags=["none", "chest_pain"])
    assert page.find("title").get_text().startswith("Error:")
    summary = page.find(class_="error-summary")
    link = summary.find("a")
    assert link["href"] == "#red_flags-0" and page.find(id="red_flags-0")
    assert page.select_one("#group-red_flags .error-message")
    ticked = {box["value"] for box in page.select("input[name=red_flags][checked]")}
    assert ticked == {"none", "chest_pain"}, "the patient's answers are kept"


def test_missing_answers_are_listed_and_other_answers_kept(client):
    _, page = submit(client, "emergency", red_flags="none")
    response, page = submit(
        client, "about", red_flags="none", age_group="older_adult", severity="eleven"
    )
    assert response.status_code == 200
    messages = [a.get_text(strip=True) for a in page.select(".error-summary a")]
    assert messages == [
        "Choose how long you have had the pain.",
        "Choose the situation that fits best.",
        "Choose at least one place where it hurts.",
        "Enter a whole number from 0 to 10, like 4.",
    ]
    assert page.select_one("input[name=age_group][value=older_adult]").has_attr("checked")
    assert page.select_one("input[name=severity]")["value"] == "eleven"
    for anchor in page.select(".error-summary a"):
        assert page.find(id=anchor["href"][1:]), anchor["href"]


def test_severity_out_of_range_is_explained(client):
    _, page = submit(client, "about", red_flags="none", **dict(ABOUT, severity="11"))
    assert "Enter a whole number from 0 to 10." in page.select_one("#group-severity").get_text()


def test_steps_carry_answers_in_hidden_inputs_to_the_check_page(client):
    response, page = through_to_check(client, preferences=["prefer_non_drug"])
    assert page.find("h1").get_text(strip=True) == "Check your answers"
    answers = carried(page)
    assert answers["red_flags"] == ["none"] and answers["locations"] == ["joints"]
    assert answers["preferences"] == ["prefer_non_drug"]
    rows = page.select(".summary-row")
    assert len(rows) == 10
    changes = [button["value"] for button in page.select("button[name=change]")]
    assert changes[0] == "red_flags" and "preferences" in changes


def test_change_link_reopens_the_right_step_with_answers_kept(client):
    _, page = through_to_check(client)
    data = carried(page)
    response, page = submit(client, "check", change="duration", **data)
    assert page.find("h1").get_text(strip=True) == "About your pain"
    assert page.select_one("input[name=duration][value=over_3_months]").has_attr("checked")
    assert not page.find(class_="error-summary")


def test_results_page_explains_the_recommendation(client):
    _, page = through_to_check(client)
    response, page = submit(client, "check", **carried(page))
    assert response.status_code == 200
    text = page.get_text(" ", strip=True)
    assert page.find("h1").get_text(strip=True) == "Which specialist fits what you told us"
    assert "See someone within days" in text  # swollen joints: NICE NG100 says refer urgently
    cards = page.select(".result-card")
    assert len(cards) == 3
    assert cards[0].find("a")["href"] == "/roles/rheumatologist"
    for card in cards:
        headings = [h.get_text(strip=True) for h in card.find_all("h4")]
        assert headings == [
            "Why",
            "What they will likely do",
            "How to get an appointment",
            "Questions to ask them",
        ]
    compare = page.find("a", href=lambda h: h and h.startswith("/compare?roles=rheumatologist,"))
    assert compare
    assert "not a diagnosis" in text and "Nothing you entered was stored" in text
    assert page.select("section.sources li a[href^='https://']")
    assert "Seek care sooner if" in text
    assert page.find(class_="print-only"), "printouts carry the date and content version"
    said = page.select_one(".answers-summary").get_text(" ", strip=True)
    assert "You said: Joints" in said and "You did not say" in said
    change = page.select_one(".answers-summary form")
    assert change.find("input", attrs={"name": "locations", "value": "joints"})


def test_tampered_hidden_answer_is_caught_at_its_step(client):
    _, page = through_to_check(client)
    data = dict(carried(page), age_group="toddler")
    response, page = submit(client, "check", **data)
    assert page.find("h1").get_text(strip=True) == "About your pain"
    assert page.find(class_="error-summary")


def test_hidden_red_flag_added_later_still_leads_to_the_emergency_page(client):
    _, page = through_to_check(client)
    data = dict(carried(page), red_flags=["bladder_bowel"])
    _, page = submit(client, "check", **data)
    assert page.find("h1").get_text(strip=True) == "Get help now"


@pytest.mark.parametrize("fields", [{"step": "nonsense"}, {}, {"step": "about", "change": "nope"}])
def test_odd_posts_are_a_friendly_400(client, fields):
    response = client.post("/which-specialist", data=fields)
    assert response.status_code == 400


def test_answers_are_never_stored_or_logged(app, caplog):
    """Health data: after a run through the form and the API, the database is unchanged and
    the logs hold none of the answers."""
    with app.app_context():
        before = dump_database()
    client = app.test_client()
    marker_answers = {
        **ABOUT,
        "qualities": ["throbbing_with_nausea_or_light_sensitivity"],
        "locations": ["abdomen_or_pelvis"],
        "severity": "7",
    }
    with caplog.at_level(logging.DEBUG):
        _, page = submit(client, "emergency", red_flags="none")
        _, page = submit(client, "about", **{**carried(page), **marker_answers})
        _, page = submit(
            client, "preferences", **carried(page), preferences="want_surgical_opinion"
        )
        response, _ = submit(client, "check", **carried(page))
        assert response.status_code == 200
        api = client.post(
            "/api/v1/recommendations",
            json={
                "red_flags": ["none"],
                "age_group": "older_adult",
                "duration": "over_3_months",
                "situation": "cancer",
                "locations": ["abdomen_or_pelvis"],
                "qualities": ["throbbing_with_nausea_or_light_sensitivity"],
                "severity": 7,
                "preferences": ["want_surgical_opinion"],
            },
        )
        assert api.status_code == 200
    with app.app_context():
        assert dump_database() == before
    logged = caplog.text + " ".join(str(record.args) for record in caplog.records)
    for value in [
        "throbbing_with_nausea",
        "abdomen_or_pelvis",
        "want_surgical_opinion",
        "older_adult",
    ]:
        assert value not in logged


def test_session_cookie_holds_only_the_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        client.get("/which-specialist")
        with client.session_transaction() as session:
            assert set(session) == {"csrf_token"}
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
