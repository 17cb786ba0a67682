"""The questionnaire is one definition, and roles are content: a new optional question of any
kind is one edit to (a copy of) questions.yaml, a new role is content only (its file, the care
setting that lists it, its training path), and neither needs a code change or can make a
request fail. Rules that do not fit the content are refused
when content is loaded and when the app starts, never found by a patient's request."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from app.content.loader import ContentError, load_content
from app.extensions import db
from app.recommend.engine import RULES_FILE
from app.recommend.questionnaire import QUESTIONS_FILE
from app.translation import write_missing_translations

from .conftest import (
    TEST_DATABASE_URL,
    answers,
    copy_of_content,
    copy_with_translations,
    edit_translations,
    edit_yaml,
    form_fields,
    make_app,
    migrate_database,
    scratch_database_url,
    untranslated,
    wiped,
)

# Four optional questions, one of each kind, as a content editor would add them.
NEW_QUESTIONS = [
    {
        "name": "pain_side",
        "kind": "single",
        "required": False,
        "step": "about",
        "legend": "Which side hurts most? (optional)",
        "options": [
            {"value": "left", "label": "The left side", "short": "left"},
            {"value": "right", "label": "The right side", "short": "right"},
        ],
    },
    {
        "name": "worse_with",
        "kind": "multi",
        "required": False,
        "step": "about",
        "legend": "What makes it worse? (optional)",
        "options": [
            {"value": "sitting", "label": "Sitting"},
            {"value": "walking", "label": "Walking"},
        ],
    },
    {
        "name": "wakes_at_night",
        "kind": "boolean",
        "required": False,
        "step": "about",
        "legend": "Does the pain wake you at night? (optional)",
        "options": [{"value": True, "label": "Yes"}, {"value": False, "label": "No"}],
    },
    {
        "name": "hours_standing",
        "kind": "integer",
        "required": False,
        "step": "about",
        "minimum": 0,
        "maximum": 24,
        "legend": "How many hours a day are you on your feet? (optional)",
    },
]
# A rule that uses the new questions, so the engine is seen to receive them.
NEW_RULE = {
    "id": "test-new-questions",
    "when": {
        "pain_side": ["left"],
        "worse_with": {"any": ["walking"]},
        "wakes_at_night": True,
        "hours_standing": {"min": 8},
    },
    "scores": {"physiatrist": 1},
    "reason": "Test reason: {pain_side} side, worse with {worse_with}.",
    "sources": ["nice-ng59"],
}


def _database(tmp_path: Path):
    return wiped(scratch_database_url()) if TEST_DATABASE_URL else tmp_path / "site.db"


@pytest.fixture()
def site_with(tmp_path, app):  # after `app`: on PostgreSQL both must exist at once
    """Start a site on its own database with these config overrides, content loaded."""
    made = []

    def start(**config):
        site = make_app(_database(tmp_path), **config)
        migrate_database(site)
        with site.app_context():
            load_content(
                db.session,
                Path(site.config["CONTENT_DIR"]),
                rules_file=Path(site.config["RULES_FILE"]),
                questions_file=Path(site.config["QUESTIONS_FILE"]),
            )
        made.append(site)
        return site

    yield start
    for site in made:
        with site.app_context():
            db.engine.dispose()


def _definition_with_new_questions(tmp_path: Path, required: str | None = None) -> Path:
    path = copy_with_translations(QUESTIONS_FILE, tmp_path / "questions.yaml")
    questions = [dict(question) for question in NEW_QUESTIONS]
    for question in questions:
        if question["name"] == required:
            question.update(required=True, required_message="Answer this one, please.")
    edit_yaml(path, lambda data: data["fields"].extend(questions))
    # Every language asks them (here with the English words, before translation).
    edit_translations(
        path,
        lambda data: data["fields"].extend(
            untranslated("questions", "fields", question) for question in questions
        ),
    )
    return path


def _rules_with_new_rule(tmp_path: Path) -> Path:
    path = copy_with_translations(RULES_FILE, tmp_path / "rules.yaml")
    edit_yaml(path, lambda data: data["rules"].append(NEW_RULE))
    edit_translations(
        path, lambda data: data["rules"].append(untranslated("rules", "rules", NEW_RULE))
    )
    return path


NEW_ANSWERS = {
    "pain_side": "left",
    "worse_with": ["walking"],
    "wakes_at_night": True,
    "hours_standing": 9,
}


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_optional_questions_of_every_kind_are_one_edit_to_the_definition(site_with, tmp_path):
    site = site_with(
        QUESTIONS_FILE=_definition_with_new_questions(tmp_path),
        RULES_FILE=_rules_with_new_rule(tmp_path),
    )
    client = site.test_client()

    # The API lists them, with their kinds, and the OpenAPI document describes them.
    fields = {f["name"]: f for f in client.get("/api/v1/questionnaire").get_json()["fields"]}
    for question in NEW_QUESTIONS:
        listed = fields[question["name"]]
        assert (listed["kind"], listed["required"]) == (question["kind"], False)
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Answers"]
    assert {q["name"] for q in NEW_QUESTIONS} <= set(schema["properties"])

    # The engine receives them: the new rule speaks, with the answers in its reason.
    response = client.post("/api/v1/recommendations", json=answers(**NEW_ANSWERS))
    assert response.status_code == 200
    reasons = [r for item in response.get_json()["recommendations"] for r in item["reasons"]]
    assert "Test reason: left side, worse with walking." in reasons
    # Left out, they are simply not answered.
    assert client.post("/api/v1/recommendations", json=answers()).status_code == 200
    # And they are checked like every other answer.
    bad = {
        "pain_side": "middle",
        "worse_with": "walking",
        "wakes_at_night": "yes",
        "hours_standing": 25,
    }
    response = client.post("/api/v1/recommendations", json=answers(**bad))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == set(bad)

    # The form's step shows them, and carries them through to the results.
    page = _page(client.post("/which-specialist", data={"step": "emergency", "red_flags": "none"}))
    legends = page.get_text(" ", strip=True)
    assert all(q["legend"] in legends for q in NEW_QUESTIONS)
    posted = {"step": "check", **form_fields(answers(**NEW_ANSWERS))}
    response = client.post("/which-specialist", data=posted)
    assert response.status_code == 200
    assert "The left side" in response.get_data(as_text=True)  # read back in the summary
    # Optional means optional in the form too: every kind may be left blank.
    response = client.post("/which-specialist", data={"step": "check", **form_fields(answers())})
    assert response.status_code == 200 and "There is a problem" not in response.get_data(
        as_text=True
    )
    bad_form = {
        "step": "about",
        **form_fields(answers()),
        "hours_standing": "30",
        "pain_side": "middle",
    }
    response = client.post("/which-specialist", data=bad_form)
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", [question["name"] for question in NEW_QUESTIONS])
def test_required_is_honoured_for_every_kind_of_question(site_with, tmp_path, name):
    site = site_with(QUESTIONS_FILE=_definition_with_new_questions(tmp_path, required=name))
    client = site.test_client()
    response = client.post("/api/v1/recommendations", json=answers())
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {name}
    page = _page(client.post("/which-specialist", data={"step": "about", **form_fields(answers())}))
    summary = page.find(class_="error-summary")
    assert summary and "Answer this one, please." in summary.get_text()
    answered = {"step": "about", **form_fields(answers(**{name: NEW_ANSWERS[name]}))}
    assert "error-summary" not in client.post("/which-specialist", data=answered).get_data(
        as_text=True
    )


def test_a_required_question_without_its_message_stops_the_app(tmp_path):
    path = tmp_path / "questions.yaml"
    shutil.copy(QUESTIONS_FILE, path)
    edit_yaml(path, lambda d: d["fields"][1].pop("required_message"))
    with pytest.raises(ContentError, match="questions.yaml: age_group: a required question"):
        make_app(tmp_path / "never.db", QUESTIONS_FILE=path)


def _content_with_a_new_role(tmp_path: Path) -> Path:
    content = copy_of_content(tmp_path / "content")
    role = yaml.safe_load((content / "roles/physical-therapist.yaml").read_text())
    role.update(
        slug="occupational-therapist",
        name="Occupational therapist",
        also_called=["OT"],
        order=9,
        summary="Helps you do everyday tasks at home and at work despite pain.",
        search_terms=[],
        compare_with=[],
    )
    (content / "roles/occupational-therapist.yaml").write_text(
        yaml.safe_dump(role, sort_keys=False, allow_unicode=True)
    )
    # Content also says where a role works and how it is trained: those are content files too.
    setting = content / "settings/physical-therapy-clinic.yaml"
    works_here = {"role": "occupational-therapist", "does": "Everyday tasks."}
    edit_yaml(setting, lambda d: d["roles"].append(works_here))
    edit_translations(
        setting, lambda d: d["roles"].append(untranslated("settings", "roles", works_here))
    )

    def add_path(data: dict) -> None:
        path = next(p for p in data["paths"] if p["role"] == "physical-therapist")
        data["paths"].append({**path, "role": "occupational-therapist"})

    edit_yaml(content / "training/us.yaml", add_path)
    edit_translations(content / "training/us.yaml", add_path)
    # And each language has its page (written as `flask content start-translation` does).
    write_missing_translations("es", content, QUESTIONS_FILE, RULES_FILE)
    return content


def test_a_new_role_is_one_content_file_and_never_fails_a_request(site_with, tmp_path):
    content = _content_with_a_new_role(tmp_path)
    site = site_with(CONTENT_DIR=content)
    client = site.test_client()
    assert client.get("/roles/occupational-therapist").status_code == 200

    # No rule speaks for it yet: it is ranked last, as a general fit, and never shown as a match.
    response = client.post("/api/v1/recommendations", json=answers())
    assert response.status_code == 200
    last = response.get_json()["recommendations"][-1]
    assert (last["role"], last["fit"]) == ("occupational-therapist", "general")
    assert last["name"] == "Occupational therapist"
    page = client.post("/which-specialist", data={"step": "check", **form_fields(answers())})
    assert page.status_code == 200
    assert "Occupational therapist" not in _page(page).find("main").get_text()
    emergency = answers(red_flags=["chest_pain"])
    assert client.post("/api/v1/recommendations", json=emergency).status_code == 200


def test_rules_that_name_a_role_the_content_lacks_are_refused_at_load_and_start(
    empty_app, tmp_path
):
    rules = tmp_path / "rules.yaml"
    shutil.copy(RULES_FILE, rules)
    edit_yaml(rules, lambda d: d["rules"][0]["scores"].update({"occupational-therapist": 2}))

    with empty_app.app_context(), pytest.raises(ContentError) as error:
        load_content(db.session, rules_file=rules)
    assert str(error.value).startswith("rules.yaml")
    assert "unknown role 'occupational-therapist'" in str(error.value)

    empty_app.config["RULES_FILE"] = rules
    result = empty_app.test_cli_runner().invoke(args=["content", "load"])
    assert result.exit_code != 0 and "unknown role 'occupational-therapist'" in result.output
    with pytest.raises(ContentError, match="unknown role 'occupational-therapist'"):
        make_app(tmp_path / "never.db", RULES_FILE=rules)


def test_a_rule_can_then_recommend_the_new_role(site_with, tmp_path):
    """Once content has the role, a rule may name it: its card, next step and compare link
    come from the content alone."""
    rules = copy_with_translations(RULES_FILE, tmp_path / "rules.yaml")
    new_rule = {
        "id": "test-occupational-therapy",
        "when": {"duration": ["over_3_months"]},
        "scores": {"occupational-therapist": 9},
        "reason": "Test reason: an occupational therapist helps with daily tasks.",
        "sources": ["nice-ng59"],
    }
    edit_yaml(rules, lambda data: data["rules"].append(new_rule))
    edit_translations(
        rules, lambda data: data["rules"].append(untranslated("rules", "rules", new_rule))
    )
    site = site_with(CONTENT_DIR=_content_with_a_new_role(tmp_path), RULES_FILE=rules)
    client = site.test_client()
    body = answers(duration="over_3_months")
    first = client.post("/api/v1/recommendations", json=body).get_json()["recommendations"][0]
    assert (first["role"], first["fit"]) == ("occupational-therapist", "strong")
    response = client.post("/which-specialist", data={"step": "check", **form_fields(body)})
    assert response.status_code == 200
    page = _page(response)
    assert "occupational therapist" in page.select_one(".start-here").get_text().lower()
    assert page.select_one("#role-occupational-therapist")
    compare = page.find("a", href=lambda href: href and "/compare?roles=" in href)
    assert compare and "occupational-therapist" in compare["href"]
    assert client.get(compare["href"]).status_code == 200
