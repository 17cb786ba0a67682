"""The engine's machinery: the rules file is checked on load, conditions mean what they say,
reasons name the patient's answers, and preferences never overrule safety."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.recommend import InvalidAnswers, parse_answers
from app.recommend.engine import RULES_FILE, RuleError, describe, matches
from app.recommend.questionnaire import load_questionnaire

from .conftest import required_answers
from .site_engine import RULEBOOK, recommend, rulebook_from

# Long-lasting back and neck pain, with no optional answers unless a test gives them.
BASE = required_answers(duration="over_3_months", locations=["back", "neck"], severity=5)


def answers(**changes):
    return parse_answers({**BASE, **changes})


ENGINE_PACKAGE = "app.recommend"
# Plain-Python modules of the app the engine may use (reading a file with its translation).
PLAIN_MODULES = {"app.translation"}
WEB_AND_DATABASE = {"flask", "flask_sqlalchemy", "flask_wtf", "sqlalchemy", "werkzeug", "jinja2"}


def imports_outside_the_engine(source: str) -> list[str]:
    """The modules `source` (a module of app/recommend) imports that the engine must not use:
    the web and database libraries, and any part of the app outside app.recommend, however
    the import is written (`from ..extensions import db` included)."""
    import ast

    imported = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve it against the package, as Python does
                parts = ENGINE_PACKAGE.split(".")
                base = parts[: len(parts) - node.level + 1]
                imported.append(".".join([*base, node.module] if node.module else base))
            else:
                imported.append(node.module)
    return [
        module
        for module in imported
        if module.split(".")[0] in WEB_AND_DATABASE
        or (
            module.split(".")[0] == "app"
            and module not in PLAIN_MODULES
            and module != ENGINE_PACKAGE
            and not module.startswith(ENGINE_PACKAGE + ".")
        )
    ]


def test_engine_module_imports_no_flask():
    import app.recommend

    for path in Path(app.recommend.__file__).parent.glob("*.py"):
        assert not imports_outside_the_engine(path.read_text()), path.name
    for module in PLAIN_MODULES:
        path = Path(app.recommend.__file__).parents[1] / (module.split(".")[1] + ".py")
        assert not imports_outside_the_engine(path.read_text()), path.name


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("import flask", True),
        ("from werkzeug.exceptions import NotFound", True),
        ("from ..extensions import db", True),
        ("from .. import models", True),
        ("from ...app import create_app", True),
        ("from app.models import Role", True),
        ("from app import create_app", True),
        ("from .engine import recommend", False),
        ("from . import questionnaire", False),
        ("from app.recommend.engine import RuleError", False),
        ("import yaml", False),
    ],
)
def test_the_import_check_catches_every_spelling(source, caught):
    assert bool(imports_outside_the_engine(source)) is caught


def test_every_rule_has_sources_and_a_reason_for_each_role():
    book = RULEBOOK
    assert len(book.rules) >= 40
    for rule in book.rules:
        assert rule.sources, rule.id
        assert set(rule.scores) <= set(rule.reasons), rule.id


def _rule(raw: dict, rule_id: str) -> dict:
    return next(rule for rule in raw["rules"] if rule["id"] == rule_id)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r["rules"][0]["scores"].update({"chiropractor": 3}),
            "unknown role 'chiropractor'",
        ),
        (lambda r: r["rules"][0].update(sources=["no-such-source"]), "unknown source"),
        (lambda r: r["rules"][0].update(sources=[]), "at least one source"),
        (lambda r: r["rules"][1]["when"].update(mood=True), "unknown field 'mood'"),
        (lambda r: r["rules"][1]["when"].update(duration=["forever"]), "no option 'forever'"),
        (lambda r: r["rules"][0].update(urgency="whenever"), "unknown urgency"),
        (
            lambda r: r["rules"][1].update(reason="Because of {colour}."),
            "unknown answer '{colour}'",
        ),
        (lambda r: r["tie_break"].append("herbalist"), "tie_break: unknown roles"),
        (lambda r: r["tie_break"].append(r["tie_break"][0]), "tie_break lists a role twice"),
        (
            lambda r: r["rules"][0].update(see_also={"herbalist": "Ask a herbalist."}),
            "unknown clinician 'herbalist'",
        ),
        # A reason that says "today" under a routine headline would contradict it.
        (
            lambda r: _rule(r, "migraine-features").update(reason="Go today: {locations}."),
            "says 'today'",
        ),
        (lambda r: _rule(r, "headache").update(same_day=True), "same_day needs urgency soon"),
        (
            lambda r: r["preferences"][0].update(lead="neurologist"),
            "lead 'neurologist' must also be in scores",
        ),
        (lambda r: r["placements"][0].update(role="herbalist"), "unknown role 'herbalist'"),
        (lambda r: r["crisis"].update(sources=["no-such-source"]), "crisis: needs sources"),
        (lambda r: r["messages"].pop("today"), "messages needs an entry for \\['today'\\]"),
    ],
)
def test_a_mistake_in_the_rules_file_is_named(tmp_path, change, message):
    raw = yaml.safe_load(RULES_FILE.read_text())
    change(raw)
    broken = tmp_path / "rules.yaml"
    broken.write_text(yaml.safe_dump(raw, sort_keys=False))
    pattern = message if "\\[" in message else message.replace("(", r"\(").replace("{", r"\{")
    with pytest.raises(RuleError, match=pattern):
        rulebook_from(broken)


def test_conditions_any_all_none_min_and_any_of():
    a = answers(
        qualities=["burning_or_tingling"], tried=["physical_therapy", "injections"], severity=8
    )
    assert matches({"qualities": {"any": ["burning_or_tingling", "aching_or_stiff"]}}, a)
    assert not matches({"qualities": {"none": ["burning_or_tingling"]}}, a)
    assert matches({"tried": {"all": ["physical_therapy", "injections"]}}, a)
    assert not matches({"tried": {"all": ["physical_therapy", "surgery"]}}, a)
    assert matches({"severity": {"min": 8}}, a) and not matches({"severity": {"max": 7}}, a)
    assert matches({"any_of": [{"duration": ["under_6_weeks"]}, {"severity": {"min": 7}}]}, a)
    assert not matches({"mood_or_sleep_affected": True}, a)


def test_an_optional_number_matches_only_when_given_unless_if_missing():
    without_age = answers()
    with_age = answers(age_years=52)
    assert matches({"age_years": {"min": 50}}, with_age)
    assert not matches({"age_years": {"min": 50}}, without_age)
    assert matches({"age_years": {"max": 44, "if_missing": True}}, without_age)
    assert not matches({"age_years": {"max": 44, "if_missing": True}}, with_age)


def test_an_age_outside_its_age_group_is_refused():
    with pytest.raises(InvalidAnswers) as error:
        parse_answers({**BASE, "age_group": "older_adult", "age_years": 40})
    assert set(error.value.errors) == {"age_years"}
    assert parse_answers({**BASE, "age_group": "older_adult", "age_years": 65}).age_years == 65


def test_placement_keeps_the_psychologist_behind_the_medical_lead():
    # Diabetic nerve pain with low mood (NICE NG193): the doctor who treats the nerve pain
    # leads, psychology is in the top three.
    result = recommend(
        answers(
            locations=["arms_or_legs"],
            qualities=["burning_or_tingling"],
            situation="long_term_condition",
            mood_or_sleep_affected=True,
            tried=["primary_care_visit", "pain_medication", "psychological_support"],
            severity=6,
        )
    )
    roles = [item["role"] for item in result["recommendations"]]
    assert roles[0] != "pain-psychologist" and "pain-psychologist" in roles[:3]


def test_a_preference_lead_puts_the_fitting_surgeon_first_only_after_failed_care():
    wanting = {"preferences": ["want_surgical_opinion"], "locations": ["joints"], "severity": 7}
    after_care = recommend(answers(**wanting, tried=["physical_therapy", "injections"]))
    assert after_care["recommendations"][0]["role"] == "orthopedic-surgeon"
    assert any("surgeon's opinion" in r for r in after_care["recommendations"][0]["reasons"])
    untried = recommend(answers(**wanting, tried=["nothing_yet"]))
    assert untried["recommendations"][0]["role"] != "orthopedic-surgeon"


def test_no_procedures_lowers_procedure_roles_and_says_so():
    sciatica = {"qualities": ["shooting_down_limb"], "tried": ["physical_therapy"], "severity": 7}
    plain = recommend(answers(**sciatica))
    declining = recommend(answers(**sciatica, preferences=["no_procedures"]))
    rank = {item["role"]: item for item in declining["recommendations"]}
    plain_rank = {item["role"]: item["rank"] for item in plain["recommendations"]}
    assert rank["pain-medicine-physician"]["rank"] > plain_rank["pain-medicine-physician"]
    reasons = rank["pain-medicine-physician"]["reasons"]
    assert any("rather not have injections" in reason for reason in reasons)


def test_reasons_name_the_answers_in_plain_words():
    questionnaire = load_questionnaire()
    a = answers(locations=["back", "neck", "joints"])
    assert describe(a, "locations", questionnaire) == "back, neck and joint"
    assert describe(a, "duration", questionnaire) == "more than 3 months"
    assert describe(a, "severity", questionnaire) == "5 out of 10"
    result = recommend(a)
    assert any("more than 3 months" in reason for reason in result["recommendations"][0]["reasons"])


def test_preferences_only_reorder_suitable_roles():
    plain = recommend(answers(duration="under_6_weeks", locations=["back"]))
    wanting = recommend(
        answers(duration="under_6_weeks", locations=["back"], preferences=["want_surgical_opinion"])
    )
    rank = {item["role"]: item["rank"] for item in wanting["recommendations"]}
    assert [i["role"] for i in plain["recommendations"][:3]] == [
        i["role"] for i in wanting["recommendations"][:3]
    ]
    assert rank["orthopedic-surgeon"] > 3 and rank["neurosurgeon"] > 3


def test_preferences_never_move_the_first_role_of_a_soon_case():
    soon = answers(
        qualities=["swollen_warm_joints"],
        locations=["joints"],
        preferences=["prefer_non_drug", "open_to_injections"],
    )
    result = recommend(soon)
    assert result["urgency"] == "soon"
    assert result["recommendations"][0]["role"] == "rheumatologist"


def test_invalid_answers_name_every_bad_field():
    with pytest.raises(InvalidAnswers) as error:
        parse_answers({**BASE, "severity": 99, "locations": [], "extra": 1})
    assert set(error.value.errors) == {"severity", "locations", "extra"}


def test_question_options_with_unquoted_commas_are_refused(tmp_path):
    from app.recommend.questionnaire import QUESTIONS_FILE

    text = QUESTIONS_FILE.read_text().replace('label: "Neck"', "label: Neck, upper back")
    broken = tmp_path / "questions.yaml"
    broken.write_text(text)
    with pytest.raises(ValueError, match="unknown keys"):
        load_questionnaire.__wrapped__(broken)


def test_a_preference_never_takes_first_place_in_a_soon_case_after_the_order_of_care():
    """Found by hypothesis (test_recommend_properties): a child with cancer and low mood, whose
    clinically first role (the psychologist) gives way to the next by the order of care. With
    "prefer_non_drug" that next role was the preference's lead; it is the next clinical one."""
    answers = required_answers(
        age_group="child",
        duration="over_3_months",
        situation="cancer",
        locations=["neck", "chest"],
        severity=7,
        tried=["nothing_yet"],
        mood_or_sleep_affected=True,
    )
    plain = recommend({**answers, "preferences": []})
    wished = recommend({**answers, "preferences": ["prefer_non_drug"]})
    assert plain["urgency"] == wished["urgency"] == "soon"
    first = plain["recommendations"][0]["role"]
    assert first == "palliative-care-physician"
    assert wished["recommendations"][0]["role"] == first
