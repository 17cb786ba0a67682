"""The one place test data for the questionnaire is written out: a standard answer set and the
factories that change it, for the tests (through conftest.py) and the benchmarks in bench/.

Every required question gets a value from the questionnaire definition itself, so a new
required question in questions.yaml needs no edit here (give it a standard value below only
if its first option is not a sensible one).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from app.recommend import load_questionnaire

# The contract's first example (shared/spec/questionnaire-v1.md): new low back pain with no
# red flag, which is routine with primary care first.
STANDARD = {
    "red_flags": ["none"],
    "age_group": "adult",
    "duration": "under_6_weeks",
    "situation": "no_clear_cause",
    "locations": ["back"],
    "qualities": ["aching_or_stiff"],
    "severity": 4,
    "tried": ["nothing_yet"],
}


def _first_valid_value(question) -> Any:
    if question.kind == "multi":
        return [question.exclusive or question.values[0]]
    if question.kind == "single":
        return question.values[0]
    if question.kind == "integer":
        return question.minimum
    if question.kind == "boolean":
        return False
    raise ValueError(f"no test value for a {question.kind!r} question ({question.name})")


def required_answers(**overrides: Any) -> dict[str, Any]:
    """A fresh request body with only the required questions (standard values), then
    `overrides`: for tests that must say exactly which optional answers they give."""
    body = {}
    for question in load_questionnaire().questions:
        if question.required:
            standard = STANDARD.get(question.name)
            body[question.name] = (
                copy.deepcopy(standard) if standard is not None else _first_valid_value(question)
            )
    return {**body, **overrides}


def answers(**overrides: Any) -> dict[str, Any]:
    """A fresh request body: the standard answer set with `overrides` applied."""
    return required_answers(**{**copy.deepcopy(STANDARD), **overrides})


def form_fields(body: Mapping[str, Any], of_step: str | None = None) -> dict[str, Any]:
    """`body` as the HTML form posts it: a list as a repeated field, numbers and booleans as
    text. With `of_step`, only the answers that step of the form asks for."""
    asked = None if of_step is None else {q.name for q in load_questionnaire().in_step(of_step)}
    fields: dict[str, Any] = {}
    for name, value in body.items():
        if asked is not None and name not in asked:
            continue
        if isinstance(value, list | tuple):
            fields[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            fields[name] = "true" if value else "false"
        else:
            fields[name] = str(value)
    return fields


# The results page's budget case (issue 11): long-lasting back pain shooting down a leg, where
# many rules speak at once and restate each other.
CHRONIC_BACK_AND_LEG = answers(
    duration="over_3_months",
    locations=["back", "arms_or_legs"],
    qualities=["burning_or_tingling", "shooting_down_limb"],
    severity=6,
    tried=["physical_therapy", "pain_medication"],
    mood_or_sleep_affected=True,
)
