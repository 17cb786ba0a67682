"""The recommendation engine: answers in, urgency and a ranking of all twelve roles out.

Plain Python and deterministic. Every rule is data in rules.yaml with its sources; this module
only reads the rules, checks them once against the questionnaire and the site's checked
content (roles and sources, handed in by the caller), and applies them. The engine never reads
the content files itself: the app hands it the same checked content that `flask content load`
puts in the database (app/recommendations.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..translation import DEFAULT_LANGUAGE, TranslationError, read_document
from .questionnaire import Answers, Questionnaire, load_questionnaire, parse_answers

RULES_FILE = Path(__file__).with_name("rules.yaml")
# A word that starts with an "i" sound ("inyecciones", "hinchazón", not "hielo"): some
# languages change "and" before it (questions.yaml: words.and_before_i).
I_SOUND = re.compile(r"h?[ií](?![aeiouáéó])", re.IGNORECASE)
URGENCY_ORDER = ["routine", "soon", "emergency"]
RESPONSE_VERSION = 1
# The urgency in finer steps (our optional `timing` field): "today" is a "soon" case that a
# rule says should be seen the same day. Each has its own message in rules.yaml.
TIMINGS = ("now", "today", "within_days", "routine")
# Words that tell a patient to act the same day: a reason may use them only in a rule that
# makes the urgency say so too, so that headline and reasons never disagree.


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
    # Clinicians outside the twelve roles who fit these answers: who -> reason template.
    see_also: Mapping[str, str] = field(default_factory=dict)
    # The case should be seen today (a "soon" urgency whose reasons say "today").
    same_day: bool = False
    # Preferences only: the role this preference puts first when the rule's condition holds.
    lead: str | None = None
    # For each multi-choice answer the condition names: the options it picks out.
    picks: Mapping[str, frozenset] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "picks", _picks(self.when))

    def test(self, answers: Answers) -> bool:
        return matches(self.when, answers)


@dataclass(frozen=True)
class Placement:
    """Where one role may stand in a ranking, whatever its score (guidance on the order of care)."""

    id: str
    role: str
    top3_when: Mapping[str, Any] | None
    first_only_when: Mapping[str, Any] | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CrisisLine:
    when: Mapping[str, Any]
    message: str
    contacts: tuple[Mapping[str, str], ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RoleFacts:
    """What the engine needs of a role from the site's checked content."""

    name: str
    sources: tuple[str, ...]  # source keys, the first two cited when no rule speaks for it


@dataclass(frozen=True, eq=False)  # hashed by identity, so per-rulebook caches work
class RuleBook:
    rules: tuple[Rule, ...]
    preferences: Mapping[str, tuple[Rule, ...]]
    placements: tuple[Placement, ...]
    crisis: CrisisLine
    clinicians: Mapping[str, str]  # see_also `who` -> name
    strong_share: float  # a role scoring at least this share of the top score is a strong fit
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
    questionnaire: Questionnaire
    same_day_words: tuple[str, ...] = ("today",)  # words that mean "be seen today"


@dataclass
class _Standing:
    """What the rules say about one role for one set of answers."""

    clinical: float = 0
    bonus: float = 0
    spoken_for: bool = False
    chosen: bool = False  # brought in by a preference whose clinical criteria hold

    @property
    def total(self) -> float:
        return self.clinical + self.bonus

    @property
    def suits(self) -> bool:
        return self.clinical > 0 or self.chosen

    reasons: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, reason: str, sources: tuple[str, ...]) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        self.sources.extend(key for key in sources if key not in self.sources)


# --- loading and checking the rules --------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """How the results page reads the reasons of one language (rules.yaml: action_words,
    action_phrases, filler_words): which sentences say what to do or how soon."""

    action_words: frozenset[str]
    action_phrases: tuple[str, ...]  # padded with spaces, matched inside " word word "
    filler_words: frozenset[str]


@cache
def load_reading(rules_file: Path = RULES_FILE, language: str = DEFAULT_LANGUAGE) -> Reading:
    raw = read_document(rules_file, "rules", language)
    lists = {
        name: [str(item).casefold() for item in raw.get(name) or ()]
        for name in ("action_words", "action_phrases", "filler_words")
    }
    for name, items in lists.items():
        if not items:
            raise RuleError(f"{rules_file.name}: {name}: list the words (see the file's header)")
    return Reading(
        action_words=frozenset(lists["action_words"]),
        action_phrases=tuple(f" {' '.join(item.split())} " for item in lists["action_phrases"]),
        filler_words=frozenset(lists["filler_words"]),
    )


def load_rulebook(
    roles: Mapping[str, RoleFacts],
    sources: Mapping[str, Mapping[str, str]],
    rules_file: Path = RULES_FILE,
    questionnaire: Questionnaire | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> RuleBook:
    """Read rules.yaml and check every rule against the questionnaire and the content's roles
    and sources (source key -> {"title", "url"}). Raises RuleError naming the rule at fault."""
    questionnaire = questionnaire or load_questionnaire(language=language)
    try:
        raw = read_document(rules_file, "rules", language)
    except TranslationError as exc:
        raise RuleError(f"{exc.file.name}: {exc.field}: {exc.message}") from exc
    clinicians = {str(who): str(name) for who, name in (raw.get("clinicians") or {}).items()}
    # "today", "the same day": a reason that says so must come from a same-day rule.
    load_reading(rules_file, language)  # the results page's words, checked with the rules
    same_day_words = tuple(str(word).lower() for word in raw.get("same_day_words") or ())
    if not same_day_words:
        raise RuleError(f"{rules_file.name}: same_day_words: list the words that mean 'today'")

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
            see_also={
                str(who): " ".join(text.split())
                for who, text in (item.get("see_also") or {}).items()
            },
            same_day=bool(item.get("same_day", False)),
            lead=item.get("lead"),
        )
        _check_rule(
            rule,
            questionnaire,
            roles,
            sources,
            clinicians,
            needs_reason=not default_roles,
            same_day_words=same_day_words,
        )
        return rule

    rules = tuple(make(item, f"rules[{index}]") for index, item in enumerate(raw["rules"]))
    preferences: dict[str, list[Rule]] = {}
    for index, item in enumerate(raw["preferences"]):
        preferences.setdefault(item["value"], []).append(make(item, f"preferences[{index}]"))
    preference_values = (
        questionnaire["preferences"].values if "preferences" in questionnaire else []
    )
    unknown_preferences = set(preferences) - set(preference_values)
    if unknown_preferences:
        raise RuleError(f"rules.yaml: preferences: unknown values {sorted(unknown_preferences)}")
    advice = tuple(
        make({**item, "reasons": {"*": item["text"]}}, f"advice[{index}]", ("*",))
        for index, item in enumerate(raw["advice"])
    )
    sooner = raw["seek_care_sooner"]
    for key in sooner["sources"]:
        if key not in sources:
            raise RuleError(f"seek_care_sooner: unknown source {key!r}")
    fallback = " ".join(raw["fallback_reason"].split())
    if _says_today(fallback, same_day_words):
        raise RuleError("rules.yaml: fallback_reason must not tell anyone to act today")
    messages = {key: " ".join(text.split()) for key, text in raw["messages"].items()}
    missing = set(TIMINGS) - set(messages)
    if missing:
        raise RuleError(f"rules.yaml: messages needs an entry for {sorted(missing)}")
    return RuleBook(
        rules=rules,
        preferences={value: tuple(entries) for value, entries in preferences.items()},
        placements=tuple(
            _placement(item, questionnaire, roles, sources) for item in raw.get("placements", [])
        ),
        crisis=_crisis_line(raw["crisis"], questionnaire, sources),
        clinicians=clinicians,
        strong_share=float(raw["fit"]["strong_share"]),
        messages=messages,
        disclaimer=" ".join(raw["disclaimer"].split()),
        fallback_reason=fallback,
        advice=advice,
        seek_care_sooner=tuple(sooner["items"]),
        seek_care_sooner_sources=tuple(sooner["sources"]),
        role_order=_tie_break(raw["tie_break"], roles),
        role_names={slug: role.name for slug, role in roles.items()},
        role_sources={slug: tuple(role.sources) for slug, role in roles.items()},
        sources={key: {"title": s["title"], "url": s["url"]} for key, s in sources.items()},
        questionnaire=questionnaire,
        same_day_words=same_day_words,
    )


def _placement(
    item: Mapping[str, Any],
    questionnaire: Questionnaire,
    roles: Mapping[str, Any],
    sources: Mapping[str, Any],
) -> Placement:
    def fail(message: str) -> None:
        raise RuleError(f"rules.yaml: placement '{item.get('id')}': {message}")

    if item.get("role") not in roles:
        fail(f"unknown role '{item.get('role')}'")
    tests = {}
    for key in ("top3_when", "first_only_when"):
        if key in item:
            _check_condition(item[key], questionnaire, fail)
            tests[key] = item[key]
    if not item.get("sources") or any(key not in sources for key in item["sources"]):
        fail("needs sources, each a known source key")
    return Placement(
        id=str(item["id"]),
        role=item["role"],
        top3_when=tests.get("top3_when"),
        first_only_when=tests.get("first_only_when"),
        sources=tuple(item["sources"]),
    )


def _crisis_line(
    item: Mapping[str, Any], questionnaire: Questionnaire, sources: Mapping[str, Any]
) -> CrisisLine:
    def fail(message: str) -> None:
        raise RuleError(f"rules.yaml: crisis: {message}")

    _check_condition(item["when"], questionnaire, fail)
    if not item.get("sources") or any(key not in sources for key in item["sources"]):
        fail("needs sources, each a known source key")
    contacts = tuple({"name": str(c["name"]), "how": str(c["how"])} for c in item["contacts"])
    if not contacts:
        fail("needs at least one contact")
    return CrisisLine(
        when=item["when"],
        message=" ".join(item["message"].split()),
        contacts=contacts,
        sources=tuple(item["sources"]),
    )


def _says_today(text: str, same_day_words: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in same_day_words)


def _tie_break(order: list[str], roles: Mapping[str, Any]) -> tuple[str, ...]:
    """Every role of the content, in the order ties are broken. A role that tie_break does not
    list (one just added as content) comes after those it lists, in the content's order."""
    unknown = [slug for slug in order if slug not in roles]
    if unknown:
        raise RuleError(f"rules.yaml: tie_break: unknown roles {unknown}")
    if len(set(order)) != len(order):
        raise RuleError("rules.yaml: tie_break lists a role twice")
    return (*order, *(slug for slug in roles if slug not in order))


def _check_rule(
    rule: Rule,
    questionnaire: Questionnaire,
    roles: Mapping[str, Any],
    sources: Mapping[str, Any],
    clinicians: Mapping[str, str],
    needs_reason: bool,
    same_day_words: tuple[str, ...],
) -> None:
    def fail(message: str) -> None:
        raise RuleError(f"rules.yaml: rule '{rule.id}': {message}")

    for who in rule.see_also:
        if who not in clinicians:
            fail(f"see_also names unknown clinician '{who}'")
    if rule.lead is not None and rule.lead not in rule.scores:
        fail(f"lead '{rule.lead}' must also be in scores")
    texts = [*rule.reasons.values(), *rule.see_also.values()]
    if any(_says_today(text, same_day_words) for text in texts) and not (
        rule.urgency == "emergency" or (rule.urgency == "soon" and rule.same_day)
    ):
        fail("a reason says 'today' or 'the same day': give the rule urgency soon and same_day")
    if rule.same_day and rule.urgency != "soon":
        fail("same_day needs urgency soon")
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
    for text in texts:
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
            if not isinstance(test, list):
                fail(f"'{name}' takes a list of options")
            values = test
        elif question.kind == "multi":
            if set(test) - {"any", "all", "none"}:
                fail(f"'{name}' takes any/all/none")
            values = [value for listed in test.values() for value in listed]
        elif question.kind == "integer":
            if set(test) - {"min", "max", "if_missing"}:
                fail(f"'{name}' takes min/max (and if_missing for an optional number)")
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
    """Whether answers meet a rule's condition (see the header of rules.yaml): every entry
    must hold; `any_of` holds when one of its conditions does."""
    for name, test in when.items():
        if name == "any_of":
            if not any(matches(option, answers) for option in test):
                return False
        elif not _holds(test, answers[name]):
            return False
    return True


def _holds(test: Any, value: Any) -> bool:
    """One entry of a condition against one answer."""
    if isinstance(test, bool):  # a yes/no question
        return value is test
    if isinstance(test, list):  # a single choice: one of these options
        return value in test
    if "min" in test or "max" in test or "if_missing" in test:  # a number
        if value is None:  # an optional number not given
            return bool(test.get("if_missing", False))
        return test.get("min", value) <= value <= test.get("max", value)
    # A multi choice: any of these ticked, all of them ticked, none of them ticked.
    return (
        ("any" not in test or any(option in value for option in test["any"]))
        and ("all" not in test or all(option in value for option in test["all"]))
        and ("none" not in test or not any(option in value for option in test["none"]))
    )


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
    return _describe_value(answers[name], name, questionnaire)


def _describe_value(value: Any, name: str, questionnaire: Questionnaire) -> str:
    question, say = questionnaire[name], questionnaire.words
    if question.kind == "integer":
        return question.say(value)[0] if value is not None else say["not_given"]
    if isinstance(value, tuple):
        words = [question.option(item).short for item in value]
        if not words:
            return say["nothing"]
        if len(words) == 1:
            return words[0]
        joiner = say["and_before_i"] if I_SOUND.match(words[-1]) else say["and"]
        return f"{', '.join(words[:-1])} {joiner} {words[-1]}"
    if isinstance(value, bool):
        return say["yes"] if value else say["no"]
    return question.option(value).short


def _matched(picks: Mapping[str, frozenset], name: str, answers: Answers) -> Any:
    """The answer to `name` narrowed to what a rule's condition picked out, so that a reason
    names only the answers it came from ("burning or tingling", not every quality ticked)."""
    value = answers[name]
    if not isinstance(value, tuple):
        return value
    wanted = picks.get(name)
    chosen = tuple(item for item in value if not wanted or item in wanted)
    if len(chosen) > 1 and "nothing_yet" in chosen:  # "nothing yet" beside real attempts
        chosen = tuple(item for item in chosen if item != "nothing_yet")
    return chosen


class _Words:
    """Fills reason templates with one person's answers in plain words. Many reasons name the
    same answers, so each is put into words once per request (and forgotten with it)."""

    def __init__(self, answers: Answers, questionnaire: Questionnaire):
        self.answers, self.questionnaire = answers, questionnaire
        self._said: dict[tuple[str, Any], str] = {}

    def fill(self, template: str, picks: Mapping[str, frozenset] | None = None) -> str:
        names = _placeholders(template)
        if not names:
            return template
        values = {}
        for name in names:
            value = _matched(picks or {}, name, self.answers)
            key = (name, value)
            if key not in self._said:
                self._said[key] = _describe_value(value, name, self.questionnaire)
            values[name] = self._said[key]
        return template.format(**values)


def recommend(answers: Answers | Mapping[str, Any], book: RuleBook) -> dict:
    """The contract's response (version 1 with its 1.1 fields) for one set of answers.

    Raises InvalidAnswers if the answers break the contract."""
    questionnaire = book.questionnaire
    if not isinstance(answers, Answers):
        answers = parse_answers(answers, questionnaire)
    standings = {slug: _Standing() for slug in book.role_order}
    words = _Words(answers, questionnaire)
    see_also: dict[str, str] = {}
    urgency, same_day = "routine", False

    def note_see_also(rule: Rule) -> None:
        for who, text in rule.see_also.items():
            see_also.setdefault(who, words.fill(text, rule.picks))

    emergency = answers.is_emergency
    for rule in book.rules:
        # With an emergency sign, only the emergency rules speak: no everyday advice then.
        if emergency and "red_flags" not in rule.when:
            continue
        if not rule.test(answers):
            continue
        if rule.urgency and URGENCY_ORDER.index(rule.urgency) > URGENCY_ORDER.index(urgency):
            urgency = rule.urgency
        same_day = same_day or rule.same_day
        note_see_also(rule)
        for role, points in rule.scores.items():
            standing = standings[role]
            standing.clinical += points
            standing.spoken_for = True
            standing.add(words.fill(rule.reasons[role], rule.picks), rule.sources)

    lead = None
    # Emergency signs always win: preferences change nothing then.
    if urgency != "emergency":
        lead = _apply_preferences(answers, book, standings, words, note_see_also)

    order = {slug: index for index, slug in enumerate(book.role_order)}
    # Roles that suit the answers come first, whatever a preference took off their score.
    ranked = sorted(
        book.role_order,
        key=lambda slug: (not standings[slug].suits, -standings[slug].total, order[slug]),
    )
    if urgency != "emergency":
        if lead is not None:
            ranked.remove(lead)
            ranked.insert(0, lead)
        if urgency == "soon":
            # What makes a case urgent is never pushed down by a preference: first comes the
            # role the clinical scores put first once the guidance on the order of care is
            # applied to them (so a placement that moves a role out of first place hands it
            # to the next clinical role, never to a preference's lead).
            clinical = sorted(
                book.role_order, key=lambda slug: (-standings[slug].clinical, order[slug])
            )
            _apply_placements(answers, book, standings, clinical, questionnaire)
            ranked.remove(clinical[0])
            ranked.insert(0, clinical[0])
        _apply_placements(answers, book, standings, ranked, questionnaire)

    top_score = standings[ranked[0]].total or 1
    recommendations = []
    for rank, slug in enumerate(ranked, start=1):
        standing = standings[slug]
        if standing.suits:
            strong = rank == 1 or standing.total >= book.strong_share * top_score
            fit = "strong" if strong else "possible"
            reasons, keys = standing.reasons, standing.sources
        else:
            # Listed only so that every role has a place: never described as a match.
            fit = "general"
            reasons = [words.fill(book.fallback_reason)]
            keys = list(book.role_sources[slug][:2])
        recommendations.append(
            {
                "rank": rank,
                "role": slug,
                "name": book.role_names[slug],
                "url": f"/roles/{slug}",
                "fit": fit,
                "reasons": reasons,
                "sources": [dict(book.sources[key]) for key in keys],
            }
        )
    if urgency == "soon":
        timing = "today" if same_day else "within_days"
    else:
        timing = {"emergency": "now", "routine": "routine"}[urgency]
    result = {
        "version": RESPONSE_VERSION,
        "urgency": urgency,
        "timing": timing,
        "message": book.messages[timing],
        "recommendations": recommendations,
        "see_also": [
            {"who": who, "name": book.clinicians[who], "reason": text}
            for who, text in see_also.items()
        ],
    }
    if needs_crisis_line(answers, book):
        result["crisis"] = crisis_line(book, with_sources=False)
    result["disclaimer"] = book.disclaimer
    return result


def _apply_preferences(answers, book, standings, words, note_see_also) -> str | None:
    """What matters to the patient reorders roles that suit them; returns the role to put
    first, if a preference says so. A preference entry without a condition only adjusts roles
    that some rule already found suitable; one with a condition (its clinical criteria, such as
    failed conservative care before a surgical opinion) may also bring its roles in."""
    lead = None
    for value in answers.get("preferences", ()):
        for entry in book.preferences.get(value, ()):
            if entry.when and not entry.test(answers):
                continue
            note_see_also(entry)
            for role, points in entry.scores.items():
                standing = standings[role]
                if standing.clinical <= 0 and not entry.when:
                    continue
                if standing.clinical <= 0 and points <= 0:
                    continue
                standing.bonus += points
                standing.chosen = standing.chosen or points > 0
                standing.add(words.fill(entry.reasons[role]), entry.sources)
            if lead is None and entry.lead is not None:
                lead = entry.lead
    return lead


def _apply_placements(answers, book, standings, ranked, questionnaire) -> None:
    """Guidance on the order of care, whatever the scores: for example psychological care
    alongside medical care, not in front of the first medical assessment."""
    for placement in book.placements:
        role = placement.role
        if not standings[role].suits:
            continue
        position = ranked.index(role)
        first_only = placement.first_only_when
        if position == 0 and first_only and not matches(first_only, answers):
            ranked[0], ranked[1] = ranked[1], ranked[0]
            position = 1
        if position > 2 and placement.top3_when and matches(placement.top3_when, answers):
            ranked.remove(role)
            ranked.insert(2, role)


def needs_crisis_line(answers: Answers, book: RuleBook) -> bool:
    """Whether these answers call for the crisis line (rules.yaml `crisis.when`)."""
    return matches(book.crisis.when, answers)


def crisis_line(book: RuleBook, with_sources: bool = True) -> dict[str, Any]:
    """The crisis line (988 in the US), as the JSON answer and the pages show it."""
    line: dict[str, Any] = {
        "message": book.crisis.message,
        "contacts": [dict(contact) for contact in book.crisis.contacts],
    }
    if with_sources:
        line["sources"] = [dict(book.sources[key]) for key in book.crisis.sources]
    return line


def advice_for(answers: Answers, book: RuleBook) -> dict[str, Any]:
    """What usually happens while you wait, and when to seek care sooner, with sources."""
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
