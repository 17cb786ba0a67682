"""Properties of the engine that hold for every answer set (contract 1.1), checked on answer
sets that hypothesis draws from the questionnaire definition itself, new values included."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.recommend import load_questionnaire

from .conftest import SPEC_NEW_RED_FLAGS, SPEC_SEE_ALSO_WHO, required_answers
from .site_engine import RULEBOOK, recommend

QUESTIONNAIRE = load_questionnaire()
FLAGS = [value for value in QUESTIONNAIRE["red_flags"].values if value != "none"]
NEW_FLAGS = SPEC_NEW_RED_FLAGS
SEE_ALSO = SPEC_SEE_ALSO_WHO


def _options(name: str) -> list[Any]:
    return QUESTIONNAIRE[name].values


def _some(name: str, at_least: int = 0):
    values = [v for v in _options(name) if v != QUESTIONNAIRE[name].exclusive]
    return st.lists(st.sampled_from(values), min_size=at_least, max_size=4, unique=True)


@st.composite
def answer_sets(draw, red_flags=None) -> dict[str, Any]:
    """One valid request body: every field drawn from the questionnaire's own options."""
    age_group = draw(st.sampled_from(_options("age_group")))
    answers: dict[str, Any] = {
        "red_flags": draw(red_flags) if red_flags is not None else ["none"],
        "age_group": age_group,
        "duration": draw(st.sampled_from(_options("duration"))),
        "situation": draw(st.sampled_from(_options("situation"))),
        "locations": draw(_some("locations", at_least=1)),
        "severity": draw(st.integers(0, 10)),
        "qualities": draw(_some("qualities")),
        "tried": draw(_some("tried")),
        "mood_or_sleep_affected": draw(st.booleans()),
        "preferences": draw(_some("preferences")),
    }
    if draw(st.booleans()):
        low, high = QUESTIONNAIRE["age_group"].option(age_group).years
        answers["age_years"] = draw(st.integers(low, high))
    return required_answers(**answers)  # and any required question not drawn above


WITH_OR_WITHOUT_FLAGS = answer_sets(
    red_flags=st.one_of(
        st.just(["none"]),
        st.lists(st.sampled_from(FLAGS), min_size=1, max_size=2, unique=True),
    )
)


def _says_today(text: str) -> bool:
    return any(word in text.lower() for word in RULEBOOK.same_day_words)


@settings(max_examples=150, deadline=None)
@given(answer_sets(red_flags=st.lists(st.sampled_from(FLAGS), min_size=1, max_size=3, unique=True)))
def test_any_red_flag_is_an_emergency_with_the_emergency_physician_first(answers):
    result = recommend(answers)
    assert result["urgency"] == "emergency" and result["timing"] == "now"
    assert result["recommendations"][0]["role"] == "emergency-physician"
    assert result["recommendations"][0]["fit"] == "strong"


@settings(max_examples=60, deadline=None)
@given(answer_sets(red_flags=st.sampled_from(NEW_FLAGS).map(lambda flag: [flag])))
def test_every_new_red_flag_alone_is_an_emergency(answers):
    result = recommend(answers)
    assert result["urgency"] == "emergency"
    assert result["recommendations"][0]["role"] == "emergency-physician"


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_without_a_red_flag_never_an_emergency(answers):
    assert recommend(answers)["urgency"] != "emergency"


@settings(max_examples=300, deadline=None)
@given(WITH_OR_WITHOUT_FLAGS)
def test_a_general_role_is_never_presented_as_a_match(answers):
    book = RULEBOOK
    result = recommend(answers)
    fits = [entry["fit"] for entry in result["recommendations"]]
    assert set(fits) <= {"strong", "possible", "general"}
    # Matches come first: no general role above a strong or possible one.
    assert fits == sorted(fits, key=lambda fit: fit == "general")
    fallback_start = book.fallback_reason.split("{")[0]
    for entry in result["recommendations"]:
        if entry["fit"] == "general":
            assert len(entry["reasons"]) == 1, entry["role"]
            assert entry["reasons"][0].startswith(fallback_start), entry
        else:
            assert not any(r.startswith(fallback_start) for r in entry["reasons"]), entry


@settings(max_examples=300, deadline=None)
@given(WITH_OR_WITHOUT_FLAGS)
def test_the_headline_never_contradicts_a_reason(answers):
    result = recommend(answers)
    texts = [r for entry in result["recommendations"] for r in entry["reasons"]]
    texts += [item["reason"] for item in result["see_also"]]
    if any(_says_today(text) for text in texts):
        assert result["timing"] in ("now", "today"), result["timing"]
    # The message belongs to the timing: a routine headline never sits over an urgent case.
    messages = RULEBOOK.messages
    assert result["message"] == messages[result["timing"]]
    assert (
        result["timing"]
        in {
            "emergency": ("now",),
            "soon": ("today", "within_days"),
            "routine": ("routine",),
        }[result["urgency"]]
    )


@settings(max_examples=300, deadline=None)
@given(WITH_OR_WITHOUT_FLAGS)
def test_crisis_line_exactly_when_self_harm_or_mood_and_see_also_is_well_formed(answers):
    result = recommend(answers)
    wanted = "self_harm_thoughts" in answers["red_flags"] or answers["mood_or_sleep_affected"]
    assert ("crisis" in result) == wanted
    if wanted:
        hows = " ".join(contact["how"] for contact in result["crisis"]["contacts"])
        assert "988" in hows and result["crisis"]["message"].strip()
    whos = [item["who"] for item in result["see_also"]]
    assert set(whos) <= SEE_ALSO and len(whos) == len(set(whos))
    assert all(item["name"].strip() and item["reason"].strip() for item in result["see_also"])


@settings(max_examples=200, deadline=None)
@given(answer_sets(), st.lists(st.sampled_from(_options("preferences")), max_size=3, unique=True))
def test_preferences_never_change_urgency_or_the_first_role_of_a_soon_case(answers, preferences):
    plain = recommend({**answers, "preferences": []})
    wished = recommend({**answers, "preferences": preferences})
    assert wished["urgency"] == plain["urgency"]
    assert wished["timing"] == plain["timing"]
    if plain["urgency"] == "soon":
        assert wished["recommendations"][0]["role"] == plain["recommendations"][0]["role"]


@settings(max_examples=200, deadline=None)
@given(answer_sets())
def test_the_psychologist_leads_only_when_nothing_medical_is_left_to_assess(answers):
    # NICE NG193/NG59: psychological care alongside medical care, not in front of it.
    result = recommend(answers)
    roles = [entry["role"] for entry in result["recommendations"]]
    if roles[0] == "pain-psychologist":
        assert "widespread" in answers["locations"]
        assert answers["duration"] == "over_3_months"
        assert "primary_care_visit" in answers["tried"]
    if answers["duration"] == "over_3_months" and result["urgency"] != "emergency":
        assert "pain-psychologist" in roles[:3]
