"""The HTML questionnaire: emergency first, steps with answers carried in the form, errors in
the GOV.UK pattern, check-your-answers, results; and that answers are never kept."""

from __future__ import annotations

import copy
import logging
import pickle
import re

import pytest
from bs4 import BeautifulSoup

from app.recommend import load_questionnaire

from . import site_engine
from .conftest import answers, dump_database, form_fields
from .readability import reading_grade


def joint_pain(**changes):
    """The contract's fourth example: long-lasting swollen, stiff joints (rheumatologist)."""
    case = dict(
        duration="over_3_months",
        situation="long_term_condition",
        locations=["joints"],
        qualities=["swollen_warm_joints", "morning_stiffness"],
        severity=6,
        tried=["primary_care_visit", "pain_medication"],
        mood_or_sleep_affected=False,
    )
    return answers(**{**case, **changes})


ABOUT = form_fields(joint_pain(), of_step="about")  # what the "About your pain" step posts


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


RED_FLAGS = load_questionnaire()["red_flags"]
SIGNS = [value for value in RED_FLAGS.values if value != "none"]
CRISIS_FLAG = "self_harm_thoughts"


def test_start_page_asks_emergency_signs_first(client):
    page = BeautifulSoup(client.get("/which-specialist").get_data(as_text=True), "html.parser")
    assert page.find("h1").get_text(strip=True) == "First, check for emergency signs"
    boxes = page.select("input[type=checkbox][name=red_flags]")
    assert [box["value"] for box in boxes][-1] == "none" and len(boxes) == 12
    form = page.find("form", method="post")
    assert form["action"] == "/which-specialist"  # answers go in the body, never the URL
    assert page.find("legend")


def test_emergency_signs_are_grouped_under_headings_in_one_fieldset(client):
    page = BeautifulSoup(client.get("/which-specialist").get_data(as_text=True), "html.parser")
    fieldsets = page.select("#group-red_flags fieldset")
    assert len(fieldsets) == 1 and fieldsets[0].find("legend")
    groups = fieldsets[0].select(".choice-group[role=group]")
    expected = list(dict.fromkeys(o.group for o in RED_FLAGS.options if o.group))
    headings = []
    for group in groups:
        heading = page.find(id=group["aria-labelledby"])
        assert heading and heading.parent is group, "each group is named by its own heading"
        headings.append(heading.get_text(strip=True))
        boxes = group.select("input[type=checkbox]")
        assert boxes and all(box.parent.find("label", attrs={"for": box["id"]}) for box in boxes), (
            "every box keeps its own label"
        )
    assert headings == expected
    grouped = [box["value"] for box in fieldsets[0].select(".choice-group input")]
    assert grouped == SIGNS, "every sign under a heading, in the definition's order"
    divider = fieldsets[0].find(class_="choice-divider")
    assert divider.get_text(strip=True) == "or"
    assert divider.find_next("input")["value"] == "none"
    assert not divider.find_parent(class_="choice-group"), "“None of these” stands apart"


@pytest.mark.parametrize("flag", SIGNS)
def test_any_red_flag_goes_straight_to_the_emergency_page(client, flag):
    response, page = submit(client, "emergency", red_flags=flag)
    assert response.status_code == 200
    assert page.select_one(".urgent-panel").find(["h1", "h2"]).get_text(strip=True) == (
        "Get help now"
    )
    text = page.get_text(" ", strip=True)
    assert "Call your local emergency number now" in text
    shown = page.select(".flag-list li")
    assert len(shown) == 1 and RED_FLAGS.option(flag).why in shown[0].get_text(" ", strip=True)
    assert not page.find("input", attrs={"name": "age_group"}), "no further questions"
    if flag != CRISIS_FLAG:
        assert page.find("h1").get_text(strip=True) == "Get help now"
        assert not page.find(class_="crisis-panel")


@pytest.mark.parametrize("flags", [[CRISIS_FLAG], ["chest_pain", CRISIS_FLAG]])
def test_thoughts_of_self_harm_lead_with_the_crisis_line(client, flags):
    response, page = submit(client, "emergency", red_flags=flags)
    assert response.status_code == 200
    main = page.find("main")
    first = next(child for child in main.children if getattr(child, "name", None))
    assert "crisis-panel" in first["class"], "the crisis line comes before anything else"
    assert main.find(["h1", "h2", "h3"]).find_parent(class_="crisis-panel") is first
    assert first.find("h1"), "the crisis line is the page's main heading"
    lead = main.find(["p", "li"])
    assert lead.find_parent(class_="crisis-panel") is first and "988" in lead.get_text()
    said = first.get_text(" ", strip=True)
    for contact in site_engine.crisis_line()["contacts"]:  # the engine's own words
        assert contact["name"] in said and contact["how"] in said
    assert "911" in said
    # Then the rest of the emergency page, as for any sign.
    assert first.find_next(class_="urgent-panel")
    assert len(page.select(".flag-list li")) == len(flags)
    assert page.find("title").get_text().startswith("You are not alone")


def test_every_page_has_a_one_line_crisis_line_in_the_footer(client):
    for path in ["/", "/roles", "/which-specialist", "/no-such-page"]:
        page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
        lines = page.select("footer .footer-crisis")
        assert len(lines) == 1 and "988" in lines[0].get_text(), path


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


@pytest.mark.parametrize(
    ("age_group", "age"), [("adult", "70"), ("child", "18"), ("older_adult", "64")]
)
def test_an_age_outside_the_age_group_is_an_error_next_to_the_age(client, age_group, age):
    response, page = submit(
        client, "about", red_flags="none", **dict(ABOUT, age_group=age_group, age_years=age)
    )
    assert response.status_code == 200
    assert page.find("h1").get_text(strip=True) == "About your pain"
    assert page.find("title").get_text().startswith("Error:")
    [link] = page.select(".error-summary a")
    assert link["href"] == "#age_years" and page.find(id="age_years")["value"] == age
    message = page.select_one("#group-age_years .error-message").get_text(" ", strip=True)
    label = load_questionnaire()["age_group"].option(age_group).label
    assert f"An age of {age} does not fit the age group “{label}”" in message
    assert page.find(id="age_years")["aria-describedby"].endswith("age_years-error")
    assert not page.select("#group-age_group .error-message"), "one message, by the age"


def test_an_age_that_no_longer_fits_is_caught_after_the_about_step(client):
    _, page = through_to_check(client)
    data = dict(carried(page), age_years="12")  # changed on the way: still a form error
    response, page = submit(client, "check", **data)
    assert response.status_code == 200
    assert page.find("h1").get_text(strip=True) == "About your pain"
    assert page.select_one("#group-age_years .error-message")


@pytest.mark.parametrize(
    ("age", "message"),
    [
        ("fifty", "Enter a whole number from 0 to 120, like 48."),
        ("52.5", "Enter a whole number from 0 to 120, like 48."),
        ("121", "Enter a whole number from 0 to 120."),
        ("-1", "Enter a whole number from 0 to 120."),
    ],
)
def test_an_age_that_is_not_a_whole_number_in_range_is_explained(client, age, message):
    response, page = submit(client, "about", red_flags="none", **dict(ABOUT, age_years=age))
    assert response.status_code == 200
    errors = [p.get_text(" ", strip=True) for p in page.select(".error-message")]
    assert errors == [f"Error: {message}"]


def test_the_age_in_years_may_be_left_blank(client):
    _, page = submit(client, "about", red_flags="none", **dict(ABOUT, age_years=""))
    assert page.find("h1").get_text(strip=True) == "What matters to you"


def test_an_age_in_years_is_carried_through_to_the_results(client):
    _, page = submit(client, "emergency", red_flags="none")
    _, page = submit(client, "about", **{**carried(page), **ABOUT, "age_years": "52"})
    assert page.find("h1").get_text(strip=True) == "What matters to you"
    _, page = submit(client, "preferences", **carried(page))
    assert carried(page)["age_years"] == ["52"]
    rows = {
        row.find("dt").get_text(strip=True): row.find("dd").get_text(strip=True)
        for row in page.select(".summary-row")
    }
    questions = load_questionnaire()
    assert rows[questions["age_years"].legend] == "52 years"
    assert rows[questions["severity"].legend] == "6 out of 10"
    response, page = submit(client, "check", **carried(page))
    assert response.status_code == 200
    said = page.select_one(".answers-summary").get_text(" ", strip=True)
    assert "You said: 52 years" in said and "52 out of 10" not in said
    assert "You said: 6 out of 10" in said
    change = page.select_one(".answers-summary form")
    assert change.find("input", attrs={"name": "age_years", "value": "52"})


def test_steps_carry_answers_in_hidden_inputs_to_the_check_page(client):
    response, page = through_to_check(client, preferences=["prefer_non_drug"])
    assert page.find("h1").get_text(strip=True) == "Check your answers"
    answers = carried(page)
    assert answers["red_flags"] == ["none"] and answers["locations"] == ["joints"]
    assert answers["preferences"] == ["prefer_non_drug"]
    rows = page.select(".summary-row")
    assert len(rows) == len(load_questionnaire().questions)
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
    # Swollen joints: NICE NG100 says refer urgently.
    urgency = page.select_one(".start-here .urgency-line").get_text(" ", strip=True)
    assert urgency.startswith("See a clinician within the next few days")
    cards = page.select(".result-card")
    assert len(cards) == 3
    assert cards[0].find("a")["href"] == "/roles/rheumatologist"
    for card in cards:
        headings = [h.get_text(strip=True) for h in card.find_all(["h4", "strong"])]
        assert headings[0] == "Why" and "Questions to ask them" in headings
        assert "What they will likely do" in headings and "Sources" in headings
        assert {"How to get an appointment", "How to get an appointment:"} & set(headings)
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


def results_page(client, **changes):
    """The results page for ABOUT with these answers changed."""
    data = {"step": "check", **form_fields(joint_pain()), **changes}
    response, page = submit(client, **data)
    assert response.status_code == 200
    return page


def answer_with(timing="routine", fits=(), see_also=(), crisis=None, message=None):
    """The engine's real answer for ABOUT, reshaped: its roles given these fits in rank order."""
    from .site_engine import recommend

    answers = joint_pain()
    result = recommend(answers)
    for item, fit in zip(result["recommendations"], fits, strict=False):
        item["fit"] = fit
    result.update(timing=timing, see_also=list(see_also))
    result["message"] = message or result["message"]
    result.pop("crisis", None)
    if crisis:
        result["crisis"] = crisis
    return result


def test_results_explain_strong_and_possible_roles_and_never_general_ones(client, monkeypatch):
    fits = ["strong", "general", "possible", "general", "strong", "possible", "general", "strong"]
    answer = answer_with(fits=fits + ["general"] * 12)
    monkeypatch.setattr("app.questionnaire.results.recommend", lambda *args: answer)
    page = results_page(client)
    roles = [item["role"] for item in answer["recommendations"]]
    explained = [card.find("h3").a["href"] for card in page.select(".result-card")]
    assert explained == [f"/roles/{roles[index]}" for index in (0, 2, 4)]
    others = [a["href"] for a in page.select(".others-list li a")]
    assert others == [f"/roles/{roles[5]}", f"/roles/{roles[7]}"], "the other matches, in order"
    general = {roles[index] for index, fit in enumerate(fits) if fit == "general"}
    linked = {a["href"].removeprefix("/roles/") for a in page.select("main a[href^='/roles/']")}
    assert not general & linked, "a general role is never shown as a match"
    compare = page.find("a", href=lambda h: h and h.startswith("/compare?"))
    assert compare["href"] == f"/compare?roles={roles[0]},{roles[2]},{roles[4]}"


@pytest.mark.parametrize("timing", ["now", "today", "within_days", "routine"])
def test_results_urgency_is_the_engine_message_said_once(client, monkeypatch, timing):
    message = "Get checked today: call your doctor's office now. Go sooner if it gets worse."
    answer = answer_with(timing=timing, fits=["strong"], message=message)
    monkeypatch.setattr("app.questionnaire.results.recommend", lambda *args: answer)
    page = results_page(client)
    line = page.select_one(".start-here .urgency-line")
    assert line.find("strong").get_text(strip=True) == "Get checked today:"
    assert line.get_text(" ", strip=True) == message
    assert page.get_text().count("Get checked today") == 1


def test_results_show_other_clinicians_and_the_crisis_line_when_given(client, monkeypatch):
    see_also = [
        {"who": "dentist", "name": "Dentist", "reason": "A dentist checks tooth pain first."},
        {"who": "urologist", "name": "Urologist", "reason": "A urologist treats the bladder."},
    ]
    crisis = {
        "message": "You do not have to face this alone.",
        "contacts": [{"name": "988 Suicide & Crisis Lifeline", "how": "Call or text 988 (US)"}],
    }
    answer = answer_with(fits=["strong"] * 3, see_also=see_also, crisis=crisis)
    monkeypatch.setattr("app.questionnaire.results.recommend", lambda *args: answer)
    page = results_page(client)
    heading = page.find(id="see-also-heading")
    assert heading.get_text(strip=True) == "Other clinicians who may help"
    items = [li.get_text(" ", strip=True) for li in heading.find_next("ul").find_all("li")]
    assert items == [
        "Dentist : A dentist checks tooth pain first.",
        "Urologist : A urologist treats the bladder.",
    ]
    panel = page.select_one(".crisis-panel")
    assert "Call or text 988 (US)" in panel.get_text() and crisis["message"] in panel.get_text()
    # Near the top: before the first specialist.
    assert panel.find_next(class_="result-card")
    assert not panel.find_previous(class_="result-card")


def test_results_without_other_clinicians_or_crisis_leave_them_out(client, monkeypatch):
    answer = answer_with(fits=["strong"] * 3)
    monkeypatch.setattr("app.questionnaire.results.recommend", lambda *args: answer)
    page = results_page(client)
    assert not page.find(id="see-also-heading") and not page.find(class_="crisis-panel")


def test_results_from_the_engine_name_a_dentist_and_the_crisis_line(client):
    page = results_page(client, locations=["teeth_or_jaw"], mood_or_sleep_affected="true")
    see_also = page.find(id="see-also-heading").find_next("ul").get_text(" ", strip=True)
    assert "Dentist" in see_also
    assert "988" in page.select_one(".crisis-panel").get_text()
    assert not page.select(".result-card h3 a[href='/roles/emergency-physician']")


def test_new_pages_read_at_grade_8_or_below(client, monkeypatch):
    pages = {"start": client.get("/which-specialist").get_data(as_text=True)}
    pages["crisis"] = client.post(
        "/which-specialist", data={"step": "emergency", "red_flags": CRISIS_FLAG}
    ).get_data(as_text=True)
    results = results_page(client, locations=["teeth_or_jaw"], mood_or_sleep_affected="true")
    pages["results with crisis and see also"] = str(results)
    grades = {name: round(reading_grade(html), 1) for name, html in pages.items()}
    assert all(grade <= 8.0 for grade in grades.values()), grades


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
    marker_answers = form_fields(
        joint_pain(
            qualities=["throbbing_with_nausea_or_light_sensitivity"],
            locations=["abdomen_or_pelvis"],
            severity=7,
        ),
        of_step="about",
    )
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
            json=answers(
                age_group="older_adult",
                duration="over_3_months",
                situation="cancer",
                locations=["abdomen_or_pelvis"],
                qualities=["throbbing_with_nausea_or_light_sensitivity"],
                severity=7,
                preferences=["want_surgical_opinion"],
            ),
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


def test_session_cookie_holds_only_the_csrf_token(csrf_client):
    csrf_client.get("/which-specialist")
    with csrf_client.session_transaction() as session:
        assert set(session) == {"csrf_token"}


@pytest.mark.parametrize("field", ["severity", "age_years"])
def test_an_overlong_number_sent_straight_to_the_results_is_explained_not_a_500(client, field):
    data = {"step": "check", **form_fields(answers()), field: "9" * 5000}
    response = client.post("/which-specialist", data=data)
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find(class_="error-summary"), "the form explains the number"


def test_repeated_answers_sent_straight_to_the_results_are_read_back_once(client):
    data = {"step": "check", **form_fields(answers(locations=["back", "back"]))}
    page = BeautifulSoup(
        client.post("/which-specialist", data=data).get_data(as_text=True), "html.parser"
    )
    said = [dd.get_text(" ", strip=True) for dd in page.select(".answers-details dd")]
    assert "You said: Back" in said
    carried = page.select('input[type=hidden][name="locations"]')
    assert [i["value"] for i in carried] == ["back"]


def test_answers_never_show_in_a_log_line_or_error_message():
    from app.recommend import parse_answers

    checked = parse_answers(answers(locations=["back"], severity=7))
    assert re.fullmatch(r"<Answers: \d+ questions, not shown>", repr(checked))
    assert "back" not in str(checked)

    assert copy.copy(checked) == checked and pickle.loads(pickle.dumps(checked)) == checked
