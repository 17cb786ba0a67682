"""The questionnaire definition (questions.yaml) and the checking of answers against it.

Plain Python: the JSON API, the HTML form and the engine all use this one definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

QUESTIONS_FILE = Path(__file__).with_name("questions.yaml")
LIST_KINDS = {"multi"}


@dataclass(frozen=True)
class Option:
    value: Any
    label: str
    short: str
    why: str | None = None
    group: str | None = None  # a heading the form shows above a run of options
    years: tuple[int, int] | None = None  # ages an age group covers, for `within` checks


@dataclass(frozen=True)
class Question:
    name: str
    kind: str  # single | multi | integer | boolean
    required: bool
    step: str
    legend: str
    hint: str | None = None
    options: tuple[Option, ...] = ()
    exclusive: str | None = None  # a multi option that cannot be combined with others
    minimum: int | None = None
    maximum: int | None = None
    within: str | None = None  # an integer that must fit the `years` of this question's answer

    @cached_property
    def values(self) -> list[Any]:
        return [option.value for option in self.options]

    @cached_property
    def real_options(self) -> list[Option]:
        """The options other than the exclusive one (such as "None of these")."""
        return [option for option in self.options if option.value != self.exclusive]

    @cached_property
    def _by_value(self) -> dict[Any, Option]:
        return {option.value: option for option in self.options}

    def option(self, value: Any) -> Option:
        return self._by_value[value]


@dataclass(frozen=True)
class Questionnaire:
    version: int
    questions: tuple[Question, ...]

    @cached_property
    def _by_name(self) -> dict[str, Question]:
        return {question.name: question for question in self.questions}

    def __getitem__(self, name: str) -> Question:
        return self._by_name[name]

    @cached_property
    def names(self) -> list[str]:
        return [question.name for question in self.questions]

    def in_step(self, step: str) -> list[Question]:
        return [question for question in self.questions if question.step == step]

    def as_dict(self) -> dict[str, Any]:
        """The public form of the definition, for GET /api/v1/questionnaire."""
        fields = []
        for question in self.questions:
            item: dict[str, Any] = {
                "name": question.name,
                "kind": question.kind,
                "required": question.required,
                "step": question.step,
                "question": question.legend,
                "hint": question.hint,
            }
            if question.options:
                item["options"] = [
                    {
                        "value": o.value,
                        "label": o.label,
                        **({"why": o.why} if o.why else {}),
                        **({"group": o.group} if o.group else {}),
                        **({"years": list(o.years)} if o.years else {}),
                    }
                    for o in question.options
                ]
            if question.exclusive:
                item["exclusive"] = question.exclusive
            if question.kind == "integer":
                item["minimum"], item["maximum"] = question.minimum, question.maximum
            if question.within:
                item["within"] = question.within
            fields.append(item)
        return {"version": self.version, "fields": fields}


@cache
def load_questionnaire(path: Path = QUESTIONS_FILE) -> Questionnaire:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = []
    for item in raw["fields"]:
        for option in item.get("options", []):
            # An unquoted comma in a YAML flow mapping silently makes a new key: refuse it.
            if set(option) - {"value", "label", "short", "why", "group", "years"}:
                raise ValueError(f"{path.name}: {item['name']}: option {option} has unknown keys")
        options = tuple(
            Option(
                value=option["value"],
                label=str(option["label"]),
                short=str(option.get("short") or str(option["label"]).lower()),
                why=option.get("why"),
                group=option.get("group"),
                years=tuple(option["years"]) if "years" in option else None,
            )
            for option in item.get("options", [])
        )
        questions.append(
            Question(
                name=item["name"],
                kind=item["kind"],
                required=item["required"],
                step=item["step"],
                legend=item["legend"],
                hint=item.get("hint"),
                options=options,
                exclusive=item.get("exclusive"),
                minimum=item.get("minimum"),
                maximum=item.get("maximum"),
                within=item.get("within"),
            )
        )
    return Questionnaire(version=raw["version"], questions=tuple(questions))


# --- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    red_flags: tuple[str, ...]
    age_group: str
    duration: str
    situation: str
    locations: tuple[str, ...]
    severity: int
    qualities: tuple[str, ...] = ()
    tried: tuple[str, ...] = ()
    mood_or_sleep_affected: bool = False
    preferences: tuple[str, ...] = ()
    age_years: int | None = None  # contract 1.1: optional exact age inside age_group

    @property
    def is_emergency(self) -> bool:
        return any(flag != "none" for flag in self.red_flags)


@dataclass
class InvalidAnswers(Exception):
    """Answers that break the contract: one list of messages per bad field."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def parse_answers(data: Any, questionnaire: Questionnaire | None = None) -> Answers:
    """Check raw answers (decoded JSON, or form data turned into a dict) against the contract."""
    questionnaire = questionnaire or load_questionnaire()
    problems = InvalidAnswers()
    if not isinstance(data, Mapping):
        problems.add("_body", "The answers must be a JSON object.")
        raise problems
    for name in data:
        if name not in questionnaire.names:
            problems.add(str(name)[:100], "Unknown field.")
    values: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.name not in data or data[question.name] is None:
            if question.required:
                problems.add(question.name, "This question needs an answer.")
            continue
        value = _check(question, data[question.name], problems)
        if value is not None:
            values[question.name] = value
    for question in questionnaire.questions:
        if question.within and question.name in values and question.within in values:
            _check_within(question, values, questionnaire, problems)
    if problems.errors:
        raise problems
    return Answers(**values)


def _check_within(
    question: Question,
    values: Mapping[str, Any],
    questionnaire: Questionnaire,
    problems: InvalidAnswers,
) -> None:
    """An exact age must agree with the age group (contract 1.1: 422 otherwise)."""
    group = questionnaire[question.within].option(values[question.within])
    if group.years is None:
        return
    low, high = group.years
    if not low <= values[question.name] <= high:
        problems.add(
            question.name,
            f"An age of {values[question.name]} does not fit the age group "
            f"'{group.value}' ({low} to {high}). Check both answers.",
        )


def _check(question: Question, raw: Any, problems: InvalidAnswers) -> Any:
    name = question.name
    if question.kind == "multi":
        if not isinstance(raw, list):
            problems.add(name, "Must be a list of options.")
            return None
        if question.required and not raw:
            problems.add(name, "Choose at least one option.")
            return None
        unknown = [item for item in raw if not isinstance(item, str) or item not in question.values]
        if unknown:
            shown = ", ".join(repr(item)[:40] for item in unknown[:5])
            problems.add(
                name, f"Unknown option {shown}. Choose from: {', '.join(question.values)}."
            )
            return None
        chosen = tuple(dict.fromkeys(raw))  # drop repeats, keep order
        if question.exclusive in chosen and len(chosen) > 1:
            problems.add(name, f"'{question.exclusive}' cannot be combined with other options.")
            return None
        return chosen
    if question.kind == "single":
        if not isinstance(raw, str) or raw not in question.values:
            problems.add(name, f"Choose one of: {', '.join(question.values)}.")
            return None
        return raw
    if question.kind == "integer":
        # bool is an int in Python; true/false is not a severity.
        if isinstance(raw, bool) or not isinstance(raw, int):
            problems.add(name, "Must be a whole number.")
            return None
        if not question.minimum <= raw <= question.maximum:
            problems.add(name, f"Must be from {question.minimum} to {question.maximum}.")
            return None
        return raw
    if question.kind == "boolean":
        if not isinstance(raw, bool):
            problems.add(name, "Must be true or false.")
            return None
        return raw
    raise ValueError(f"unknown question kind {question.kind!r}")
