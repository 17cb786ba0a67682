"""The questionnaire definition (questions.yaml) and the checking of answers against it.

Plain Python: the JSON API, the HTML form and the engine all use this one definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from ..translation import DEFAULT_LANGUAGE, TranslationError, read_document

QUESTIONS_FILE = Path(__file__).with_name("questions.yaml")
LIST_KINDS = {"multi"}


KINDS = ("single", "multi", "integer", "boolean")
# Question keys a definition may use; anything else is a typo that would vanish silently.
QUESTION_KEYS = {
    "name",
    "kind",
    "required",
    "step",
    "legend",
    "hint",
    "options",
    "exclusive",
    "minimum",
    "maximum",
    "within",
    "default",
    "required_message",
    "exclusive_message",
    "within_message",
    "read_back",
}
STEP_KEYS = {"name", "title", "lead", "button"}
# The form's general messages ({minimum}, {maximum}, {example} for numbers).
FORM_MESSAGES = {"not_a_number", "out_of_range", "exclusive", "check_answer"}
# Words that join answers inside a reason.
WORDS = {"and", "and_before_i", "nothing", "not_given", "yes", "no"}
# The API's messages for answers that break the contract.
ANSWER_ERRORS = {
    "not_an_object",
    "unknown_field",
    "needs_answer",
    "not_a_list",
    "choose_at_least_one",
    "unknown_option",
    "not_combined",
    "choose_one",
    "not_whole_number",
    "out_of_range",
    "not_true_or_false",
    "age_outside_group",
}


class DefinitionError(ValueError):
    """questions.yaml says something the form, the API or the engine cannot use."""


@dataclass(frozen=True)
class Option:
    value: Any
    label: str
    short: str
    why: str | None = None
    group: str | None = None  # a heading the form shows above a run of options
    years: tuple[int, int] | None = None  # ages an age group covers, for `within` checks


@dataclass(frozen=True)
class Step:
    """One page of the form: its title, an optional lead paragraph and its button's words."""

    name: str
    title: str
    button: str
    lead: str | None = None


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
    default: Any = None  # what an unanswered optional question reads as
    # The form's words for the patient (the API's messages are written for developers).
    required_message: str | None = None
    exclusive_message: str | None = None
    within_message: str | None = None
    read_back: str = "{value}"  # how a number is read back: "{value} out of {maximum}"

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

    @property
    def blank(self) -> Any:
        """The answer when nobody answered: the definition's default, or nothing."""
        if self.default is not None:
            return self.default
        return () if self.kind in LIST_KINDS else None

    def say(self, value: Any) -> list[str]:
        """An answer in the patient's words, as the form's labels put it ([] if unanswered)."""
        if value is None or (isinstance(value, list | tuple) and not value):
            return []
        if self.kind == "integer":
            return [self.read_back.format(value=value, maximum=self.maximum)]
        if self.kind in LIST_KINDS:
            return [self.option(item).label for item in value]
        return [self.option(value).label]


@dataclass(frozen=True, eq=False)  # one definition is one object: hashed by identity
class Questionnaire:
    version: int
    steps: tuple[Step, ...]
    questions: tuple[Question, ...]
    messages: Mapping[str, str] = field(default_factory=dict)  # the form's general messages
    words: Mapping[str, str] = field(default_factory=dict)  # WORDS, in this language
    answer_errors: Mapping[str, str] = field(default_factory=dict)  # ANSWER_ERRORS

    @cached_property
    def _by_name(self) -> dict[str, Question]:
        return {question.name: question for question in self.questions}

    def __getitem__(self, name: str) -> Question:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @cached_property
    def names(self) -> list[str]:
        return [question.name for question in self.questions]

    @cached_property
    def step_names(self) -> list[str]:
        return [step.name for step in self.steps]

    def step(self, name: str) -> Step:
        return self.steps[self.step_names.index(name)]

    def in_step(self, step: str) -> list[Question]:
        return [question for question in self.questions if question.step == step]

    def step_of(self, name: str) -> str:
        return self[name].step

    def answers_with(self, **given: Any) -> Answers:
        """Answers with only these given, every other question blank: for what can be said
        before the questions are all answered (the emergency page)."""
        return Answers({q.name: given.get(q.name, q.blank) for q in self.questions})

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
            if question.default is not None:
                item["default"] = question.default
            fields.append(item)
        return {"version": self.version, "fields": fields}


@cache
def load_questionnaire(
    path: Path = QUESTIONS_FILE, language: str = DEFAULT_LANGUAGE
) -> Questionnaire:
    """Read and check a definition, in `language` (its translation laid over the English
    file). Any mistake stops here, naming the file and the field."""
    try:
        raw = read_document(path, "questions", language)
    except TranslationError as exc:
        raise DefinitionError(f"{exc.file.name}: {exc.field}: {exc.message}") from exc

    def fail(where: str, message: str) -> None:
        raise DefinitionError(f"{path.name}: {where}: {message}")

    steps = []
    for index, item in enumerate(raw.get("steps") or []):
        if set(item) - STEP_KEYS or not all(item.get(key) for key in ("name", "title", "button")):
            fail(
                f"steps[{index}]",
                f"needs name, title and button, and takes only {sorted(STEP_KEYS)}",
            )
        steps.append(
            Step(
                name=item["name"],
                title=_words(item["title"]),
                button=_words(item["button"]),
                lead=_words(item["lead"]) if item.get("lead") else None,
            )
        )
    if not steps:
        fail("steps", "list the form's steps (name, title, button, and optionally lead)")
    step_names = [step.name for step in steps]
    questions = [
        _question(item, index, step_names, fail) for index, item in enumerate(raw["fields"])
    ]
    names = [question.name for question in questions]
    for question in questions:
        if names.count(question.name) > 1:
            fail(question.name, "the name is used twice")
        if question.within and (
            question.within not in names
            or not any(o.years for o in _named(questions, question.within).options)
        ):
            fail(
                question.name,
                f"within: '{question.within}' must be a question whose options give years",
            )
    for step in step_names:
        if not any(question.step == step for question in questions):
            fail(f"steps: {step}", "no question is asked in this step")
    messages = {key: _words(text) for key, text in (raw.get("form_messages") or {}).items()}
    if set(messages) != FORM_MESSAGES:
        fail("form_messages", f"needs exactly {sorted(FORM_MESSAGES)}")
    words = {str(key): _words(text) for key, text in (raw.get("words") or {}).items()}
    if set(words) != WORDS:
        fail("words", f"needs exactly {sorted(WORDS)}")
    answer_errors = {key: _words(text) for key, text in (raw.get("answer_errors") or {}).items()}
    if set(answer_errors) != ANSWER_ERRORS:
        fail("answer_errors", f"needs exactly {sorted(ANSWER_ERRORS)}")
    return Questionnaire(
        version=raw["version"],
        steps=tuple(steps),
        questions=tuple(questions),
        messages=messages,
        words=words,
        answer_errors=answer_errors,
    )


def _named(questions: list[Question], name: str) -> Question:
    return next(question for question in questions if question.name == name)


def _words(text: Any) -> str:
    return " ".join(str(text).split())


def _question(item: Mapping[str, Any], index: int, steps: list[str], fail) -> Question:
    name = str(item.get("name") or f"fields[{index}]")
    unknown = set(item) - QUESTION_KEYS
    if unknown:
        fail(name, f"unknown keys {sorted(unknown)}")
    for key in ("name", "kind", "required", "step", "legend"):
        if key not in item:
            fail(name, f"'{key}' is missing")
    kind = item["kind"]
    if kind not in KINDS:
        fail(name, f"kind must be one of {list(KINDS)}")
    if item["step"] not in steps:
        fail(name, f"step '{item['step']}' is not one of the steps {steps}")
    if item["required"] and not item.get("required_message"):
        fail(name, "a required question needs a required_message, in the patient's words")
    for option in item.get("options", []):
        # An unquoted comma in a YAML flow mapping silently makes a new key: refuse it.
        if set(option) - {"value", "label", "short", "why", "group", "years"}:
            fail(name, f"option {option} has unknown keys")
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
    if kind in ("single", "multi") and not options:
        fail(name, f"a {kind} question needs options")
    if kind == "boolean" and {o.value for o in options} != {True, False}:
        fail(name, "a yes/no question needs two options, with values true and false")
    if kind == "integer" and not (
        isinstance(item.get("minimum"), int) and isinstance(item.get("maximum"), int)
    ):
        fail(name, "a number question needs whole-number minimum and maximum")
    if item.get("exclusive") is not None and (
        kind != "multi" or item["exclusive"] not in {o.value for o in options}
    ):
        fail(name, "exclusive must be one of this multi question's option values")
    return Question(
        name=name,
        kind=kind,
        required=bool(item["required"]),
        step=item["step"],
        legend=_words(item["legend"]),
        hint=_words(item["hint"]) if item.get("hint") else None,
        options=options,
        exclusive=item.get("exclusive"),
        minimum=item.get("minimum"),
        maximum=item.get("maximum"),
        within=item.get("within"),
        default=item.get("default"),
        required_message=item.get("required_message"),
        exclusive_message=item.get("exclusive_message"),
        within_message=item.get("within_message"),
        read_back=item.get("read_back") or "{value}",
    )


# --- answers -------------------------------------------------------------------------------


class Answers:
    """One person's checked answers, by question name: `answers["duration"]` or
    `answers.duration`. Every question of the definition has a value; an unanswered one reads
    as its blank (its default, () for a multi-choice question, or None)."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]):
        object.__setattr__(self, "_values", dict(values))

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not an answer (copy and pickle look for such names)
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("answers cannot be changed")

    def __reduce__(self) -> tuple:  # copy and pickle rebuild it from its values
        return (Answers, (self._values,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Answers) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items())))

    def __repr__(self) -> str:
        # Health data: never in a log line or an error message, even by accident.
        return f"<Answers: {len(self._values)} questions, not shown>"

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    @property
    def is_emergency(self) -> bool:
        # Contract words: any red flag other than "none" is an emergency.
        return any(flag != "none" for flag in self._values.get("red_flags", ()))


@dataclass
class InvalidAnswers(Exception):
    """Answers that break the contract: one list of messages per bad field."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def parse_answers(data: Any, questionnaire: Questionnaire | None = None) -> Answers:
    """Check raw answers (decoded JSON, or form data turned into a dict) against the contract."""
    questionnaire = questionnaire or load_questionnaire()
    say = questionnaire.answer_errors
    problems = InvalidAnswers()
    if not isinstance(data, Mapping):
        problems.add("_body", say["not_an_object"])
        raise problems
    for name in data:
        if name not in questionnaire.names:
            problems.add(str(name)[:100], say["unknown_field"])
    values: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.name not in data or data[question.name] is None:
            if question.required:
                problems.add(question.name, say["needs_answer"])
            continue
        value = _check(question, data[question.name], problems, say)
        if value is not None:
            values[question.name] = value
    for question in questionnaire.questions:
        if question.within and question.name in values and question.within in values:
            _check_within(question, values, questionnaire, problems)
    if problems.errors:
        raise problems
    return Answers({q.name: values.get(q.name, q.blank) for q in questionnaire.questions})


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
            questionnaire.answer_errors["age_outside_group"].format(
                value=values[question.name], group=group.value, low=low, high=high
            ),
        )


def _check(question: Question, raw: Any, problems: InvalidAnswers, say: Mapping[str, str]) -> Any:
    name = question.name
    if question.kind == "multi":
        if not isinstance(raw, list):
            problems.add(name, say["not_a_list"])
            return None
        if question.required and not raw:
            problems.add(name, say["choose_at_least_one"])
            return None
        unknown = [item for item in raw if not isinstance(item, str) or item not in question.values]
        if unknown:
            shown = ", ".join(repr(item)[:40] for item in unknown[:5])
            problems.add(
                name, say["unknown_option"].format(shown=shown, choices=", ".join(question.values))
            )
            return None
        chosen = tuple(dict.fromkeys(raw))  # drop repeats, keep order
        if question.exclusive in chosen and len(chosen) > 1:
            problems.add(name, say["not_combined"].format(exclusive=question.exclusive))
            return None
        return chosen
    if question.kind == "single":
        if not isinstance(raw, str) or raw not in question.values:
            problems.add(name, say["choose_one"].format(choices=", ".join(question.values)))
            return None
        return raw
    if question.kind == "integer":
        # bool is an int in Python; true/false is not a severity.
        if isinstance(raw, bool) or not isinstance(raw, int):
            problems.add(name, say["not_whole_number"])
            return None
        if not question.minimum <= raw <= question.maximum:
            problems.add(
                name,
                say["out_of_range"].format(minimum=question.minimum, maximum=question.maximum),
            )
            return None
        return raw
    if question.kind == "boolean":
        if not isinstance(raw, bool):
            problems.add(name, say["not_true_or_false"])
            return None
        return raw
    raise ValueError(f"unknown question kind {question.kind!r}")
