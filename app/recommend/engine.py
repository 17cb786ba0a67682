"""The recommendation engine: answers in, urgency and a ranking of all twelve roles out.

Plain Python and deterministic. Every rule is data in rules.yaml with its sources; this module
only reads the rules, checks them once, and applies them. Role names and source titles come
from the site's content files, so the engine and the pages never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .questionnaire import Answers, Questionnaire, load_questionnaire, parse_answers

RULES_FILE = Path(__file__).with_name("rules.yaml")
CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "data"
URGENCY_ORDER = ["routine", "soon", "emergency"]
RESPONSE_VERSION = 1


class RuleError(ValueError):
    """rules.yaml says something the engine cannot apply (a typo in a field, value or slug)."""


@dataclass(frozen=True)
class Rule:
    id: str
    when: Mapping[str, Any]
    scores: Mapping[str, float]
    reasons: Mapping[str, str]  # role -> reason template
    sources: tuple[str, ...]
    urgency: str | None = None
    test: Callable[[Answers], bool] = field(init=False, repr=False, compare=False)
    # For each multi-choice answer the condition names: the options it picks out.
    picks: Mapping[str, frozenset] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Compiled once when the rules are loaded; checked on every request.
        object.__setattr__(self, "test", _compiled(_freeze(self.when)))
        object.__setattr__(self, "picks", _picks(self.when))


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]
    preferences: Mapping[str, Rule]
    messages: Mapping[str, str]
    disclaimer: str
    fallback_reason: str
    advice: tuple[Rule, ...]  # reasons["*"] holds the advice text
    seek_care_sooner: tuple[str, ...]
    seek_care_sooner_sources: tuple[str, ...]
    role_order: tuple[str, ...]
    role_names: Mapping[str, str]
    role_sources: Mapping[str, tuple[str, ...]]
    sources: Mapping[str, Mapping[str, str]]


@dataclass
class _Standing:
    """What the rules say about one role for one set of answers."""

    clinical: float = 0
    bonus: float = 0
    spoken_for: bool = False
    reasons: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, reason: str, sources: tuple[str, ...]) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        self.sources.extend(key for key in sources if key not in self.sources)


# --- loading and checking the rules --------------------------------------------------------


@cache
def load_rulebook(rules_file: Path = RULES_FILE, content_dir: Path = CONTENT_DIR) -> RuleBook:
    questionnaire = load_questionnaire()
    roles = _load_roles(content_dir)
    sources = _load_sources(content_dir)
    raw = yaml.safe_load(rules_file.read_text(encoding="utf-8"))

    def make(item: Mapping[str, Any], where: str, default_roles: tuple[str, ...] = ()) -> Rule:
        rule_id = str(item.get("id") or item.get("value") or where)
        scores = {role: float(points) for role, points in (item.get("scores") or {}).items()}
        reasons = {
            role: " ".join(text.split()) for role, text in (item.get("reasons") or {}).items()
        }
        if item.get("reason"):
            for role in [*scores, *default_roles]:
                reasons.setdefault(role, " ".join(item["reason"].split()))
        rule = Rule(
            id=rule_id,
            when=item.get("when") or {},
            scores=scores,
            reasons=reasons,
            sources=tuple(item.get("sources") or ()),
            urgency=item.get("urgency"),
        )
        _check_rule(rule, questionnaire, roles, sources, needs_reason=not default_roles)
        return rule

    rules = tuple(make(item, f"rules[{index}]") for index, item in enumerate(raw["rules"]))
    preferences = {item["value"]: make(item, "preferences") for item in raw["preferences"]}
    unknown_preferences = set(preferences) - set(questionnaire["preferences"].values)
    if unknown_preferences:
        raise RuleError(f"preferences: unknown values {sorted(unknown_preferences)}")
    advice = tuple(
        make({**item, "reasons": {"*": item["text"]}}, f"advice[{index}]", ("*",))
        for index, item in enumerate(raw["advice"])
    )
    sooner = raw["seek_care_sooner"]
    for key in sooner["sources"]:
        if key not in sources:
            raise RuleError(f"seek_care_sooner: unknown source {key!r}")
    return RuleBook(
        rules=rules,
        preferences=preferences,
        messages={key: " ".join(text.split()) for key, text in raw["messages"].items()},
        disclaimer=" ".join(raw["disclaimer"].split()),
        fallback_reason=" ".join(raw["fallback_reason"].split()),
        advice=advice,
        seek_care_sooner=tuple(sooner["items"]),
        seek_care_sooner_sources=tuple(sooner["sources"]),
        role_order=_tie_break(raw["tie_break"], roles),
        role_names={slug: role["name"] for slug, role in roles.items()},
        role_sources={slug: tuple(role["sources"]) for slug, role in roles.items()},
        sources=sources,
    )


def _load_roles(content_dir: Path) -> dict[str, dict[str, Any]]:
    roles = [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((content_dir / "roles").glob("*.yaml"))
    ]
    return {role["slug"]: role for role in roles}


def _tie_break(order: list[str], roles: Mapping[str, Any]) -> tuple[str, ...]:
    if sorted(order) != sorted(roles) or len(set(order)) != len(order):
        raise RuleError("rules.yaml: tie_break must list every role exactly once")
    return tuple(order)


def _load_sources(content_dir: Path) -> dict[str, dict[str, str]]:
    sources = {}
    for path in sorted((content_dir / "sources").glob("*.yaml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            sources[source["key"]] = {"title": source["title"], "url": source["url"]}
    return sources


def _check_rule(
    rule: Rule,
    questionnaire: Questionnaire,
    roles: Mapping[str, Any],
    sources: Mapping[str, Any],
    needs_reason: bool,
) -> None:
    def fail(message: str) -> None:
        raise RuleError(f"rules.yaml: rule '{rule.id}': {message}")

    _check_condition(rule.when, questionnaire, fail)
    for role in rule.scores:
        if role not in roles:
            fail(f"unknown role '{role}'")
        if needs_reason and role not in rule.reasons:
            fail(f"no reason for role '{role}'")
    if not rule.sources:
        fail("every rule needs at least one source")
    for key in rule.sources:
        if key not in sources:
            fail(f"unknown source '{key}'")
    if rule.urgency not in (None, *URGENCY_ORDER):
        fail(f"unknown urgency '{rule.urgency}'")
    for text in rule.reasons.values():
        for name in _placeholders(text):
            if name not in questionnaire.names:
                fail(f"reason names unknown answer '{{{name}}}'")


def _check_condition(when: Mapping[str, Any], questionnaire: Questionnaire, fail) -> None:
    for name, test in when.items():
        if name == "any_of":
            for option in test:
                _check_condition(option, questionnaire, fail)
            continue
        if name not in questionnaire.names:
            fail(f"condition on unknown field '{name}'")
        question = questionnaire[name]
        if question.kind == "single":
            values = test
        elif question.kind == "multi":
            if set(test) - {"any", "all", "none"}:
                fail(f"'{name}' takes any/all/none")
            values = [value for listed in test.values() for value in listed]
        elif question.kind == "integer":
            if set(test) - {"min", "max"}:
                fail(f"'{name}' takes min/max")
            continue
        else:
            if not isinstance(test, bool):
                fail(f"'{name}' takes true or false")
            continue
        for value in values:
            if value not in question.values:
                fail(f"'{name}' has no option '{value}'")


@cache
def _placeholders(text: str) -> list[str]:
    names, start = [], text.find("{")
    while start != -1:
        end = text.find("}", start)
        names.append(text[start + 1 : end])
        start = text.find("{", end)
    return names


# --- applying the rules --------------------------------------------------------------------


def matches(when: Mapping[str, Any], answers: Answers) -> bool:
    """Whether answers meet a rule's condition (see the header of rules.yaml)."""
    return _compiled(_freeze(when))(answers)


def _freeze(value: Any) -> Any:
    """A hashable copy of a condition, so that its compiled test can be cached."""
    if isinstance(value, Mapping):
        return tuple(sorted((key, _freeze(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(item) for item in value)
    return value


@cache
def _compiled(frozen: tuple) -> Callable[[Answers], bool]:
    """Turn a condition into one function, once: rules are checked on every request."""
    tests: list[Callable[[Answers], bool]] = []
    for name, test in frozen:
        if name == "any_of":
            options = [_compiled(option) for option in test]
            tests.append(lambda answers, options=options: any(o(answers) for o in options))
            continue
        if isinstance(test, tuple) and test and isinstance(test[0], tuple):  # any/all/none/min/max
            parts = dict(test)
            if "min" in parts or "max" in parts:
                low, high = parts.get("min", float("-inf")), parts.get("max", float("inf"))
                tests.append(lambda a, n=name, lo=low, hi=high: lo <= getattr(a, n) <= hi)
                continue
            if "any" in parts:
                wanted = frozenset(parts["any"])
                tests.append(lambda a, n=name, w=wanted: not w.isdisjoint(getattr(a, n)))
            if "all" in parts:
                wanted_all = frozenset(parts["all"])
                tests.append(lambda a, n=name, w=wanted_all: w.issubset(getattr(a, n)))
            if "none" in parts:
                unwanted = frozenset(parts["none"])
                tests.append(lambda a, n=name, w=unwanted: w.isdisjoint(getattr(a, n)))
        elif isinstance(test, bool):
            tests.append(lambda a, n=name, t=test: getattr(a, n) is t)
        else:
            allowed = frozenset(test)
            tests.append(lambda a, n=name, w=allowed: getattr(a, n) in w)
    if len(tests) == 1:
        return tests[0]

    def every(answers: Answers) -> bool:
        # A plain loop: all() over a generator costs more, and this runs ~50 times a request.
        for check in tests:  # noqa: SIM110
            if not check(answers):
                return False
        return True

    return every


def _picks(when: Mapping[str, Any]) -> dict[str, frozenset]:
    """The options a condition picks out of each multi-choice answer (any/all lists)."""
    picked: dict[str, set[Any]] = {}
    for condition in [when, *when.get("any_of", [])]:
        for name, test in condition.items():
            if name != "any_of" and isinstance(test, Mapping):
                picked.setdefault(name, set()).update(test.get("any", []), test.get("all", []))
    return {name: frozenset(values) for name, values in picked.items()}


def describe(answers: Answers, name: str, questionnaire: Questionnaire) -> str:
    """An answer in plain words, for a reason: 'back and neck', 'less than 6 weeks'."""
    return _describe_value(getattr(answers, name), name, questionnaire)


def _describe_value(value: Any, name: str, questionnaire: Questionnaire) -> str:
    question = questionnaire[name]
    if name == "severity":
        return f"{value} out of 10"
    if isinstance(value, tuple):
        words = [question.option(item).short for item in value]
        if not words:
            return "nothing"
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return question.option(value).short


def _matched(picks: Mapping[str, frozenset], name: str, answers: Answers) -> Any:
    """The answer to `name` narrowed to what a rule's condition picked out, so that a reason
    names only the answers it came from ("burning or tingling", not every quality ticked)."""
    value = getattr(answers, name)
    if not isinstance(value, tuple):
        return value
    wanted = picks.get(name)
    chosen = tuple(item for item in value if not wanted or item in wanted)
    if len(chosen) > 1 and "nothing_yet" in chosen:  # "nothing yet" beside real attempts
        chosen = tuple(item for item in chosen if item != "nothing_yet")
    return chosen


def _fill(
    template: str,
    answers: Answers,
    questionnaire: Questionnaire,
    picks: Mapping[str, frozenset] | None = None,
) -> str:
    names = _placeholders(template)
    if not names:
        return template
    return template.format(
        **{
            name: _describe_value(_matched(picks or {}, name, answers), name, questionnaire)
            for name in names
        }
    )


def recommend(
    answers: Answers | Mapping[str, Any], rulebook: RuleBook | None = None, with_fit: bool = False
) -> dict:
    """The contract's response for one set of answers (raises InvalidAnswers if they break it).

    `with_fit` adds "suitable" to each recommendation: whether any rule spoke for the role (the
    results page explains only those in full; roles after them are the fallback order)."""
    if not isinstance(answers, Answers):
        answers = parse_answers(answers)
    book = rulebook or load_rulebook()
    questionnaire = load_questionnaire()
    standings = {slug: _Standing() for slug in book.role_order}
    urgency = "routine"

    emergency = answers.is_emergency
    for rule in book.rules:
        # With an emergency sign, only the emergency rules speak: no everyday advice then.
        if emergency and "red_flags" not in rule.when:
            continue
        if not rule.test(answers):
            continue
        if rule.urgency and URGENCY_ORDER.index(rule.urgency) > URGENCY_ORDER.index(urgency):
            urgency = rule.urgency
        for role, points in rule.scores.items():
            standing = standings[role]
            standing.clinical += points
            standing.spoken_for = True
            standing.add(
                _fill(rule.reasons[role], answers, questionnaire, rule.picks), rule.sources
            )

    # Emergency signs always win: preferences change nothing then.
    if urgency != "emergency":
        for value in answers.preferences:
            preference = book.preferences[value]
            for role, points in preference.scores.items():
                standing = standings[role]
                if standing.clinical > 0:  # only among roles the rules found suitable
                    standing.bonus += points
                    standing.add(
                        _fill(preference.reasons[role], answers, questionnaire), preference.sources
                    )

    order = {slug: index for index, slug in enumerate(book.role_order)}
    ranked = sorted(
        book.role_order,
        key=lambda slug: (-(standings[slug].clinical + standings[slug].bonus), order[slug]),
    )
    if urgency == "soon":
        # What makes a case urgent is never pushed down by a preference.
        clinical_first = min(
            book.role_order, key=lambda slug: (-standings[slug].clinical, order[slug])
        )
        ranked.remove(clinical_first)
        ranked.insert(0, clinical_first)

    recommendations = []
    for rank, slug in enumerate(ranked, start=1):
        standing = standings[slug]
        if not standing.spoken_for or not standing.reasons:
            standing.add(
                _fill(book.fallback_reason, answers, questionnaire), book.role_sources[slug][:2]
            )
        recommendation = {
            "rank": rank,
            "role": slug,
            "name": book.role_names[slug],
            "url": f"/roles/{slug}",
            "reasons": standing.reasons,
            "sources": [dict(book.sources[key]) for key in standing.sources],
        }
        if with_fit:
            recommendation["suitable"] = standing.clinical > 0
        recommendations.append(recommendation)
    return {
        "version": RESPONSE_VERSION,
        "urgency": urgency,
        "message": book.messages[urgency],
        "recommendations": recommendations,
        "disclaimer": book.disclaimer,
    }


def advice_for(answers: Answers, rulebook: RuleBook | None = None) -> dict[str, Any]:
    """What usually happens while you wait, and when to seek care sooner, with sources."""
    book = rulebook or load_rulebook()
    waiting = [rule for rule in book.advice if rule.test(answers)]
    keys = list(
        dict.fromkeys(
            [key for rule in waiting for key in rule.sources] + list(book.seek_care_sooner_sources)
        )
    )
    return {
        "while_you_wait": [rule.reasons["*"] for rule in waiting],
        "seek_care_sooner": list(book.seek_care_sooner),
        "sources": [dict(book.sources[key]) for key in keys],
    }
