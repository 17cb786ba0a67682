"""The questionnaire's results page, written so that a worried patient reads it in a minute:
"start here" first (how soon, whom to see first and why, what to do next), then the best
matches with their reasons said once, then the others in a line each.

This module only chooses, orders and de-duplicates; every word a patient reads comes from the
engine's rules, the content files or the templates (questionnaire/results.html and
_role_card.html).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from flask import current_app, get_template_attribute, has_app_context, render_template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..caching import cached_fragment, current_content_version, is_outage, note_database_failure
from ..content.schema import RoleIn
from ..extensions import db
from ..i18n import current_language
from ..models import Role
from ..page_aids import fold_opioid_panel, mentions_opioids
from ..recommend import advice_for, recommend
from ..recommend.engine import Reading, load_reading
from ..recommendations import checked_roles, current_questionnaire, current_rulebook, with_site_urls

TOP = 3  # how many matches the page explains in full
MATCHES = ("strong", "possible")  # a "general" role is listed by the engine only to place it
SOON = ("today", "within_days")  # timings that ask the patient to act within days
MAX_REASONS = 3  # per explained role, after merging the ones that say the same thing
# A reason adds something only if at least this share of its words is new for its role;
# otherwise it repeats facts already given (the rules often restate duration and severity).
MIN_NEW_WORDS = 0.5
# A sentence that tells the patient to act, or how soon, is never merged away or cut by the
# three-reason limit ("call 911 if it does not stop", "contact your cancer team within days").
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-záéíóúüñ])")
# Punctuation becomes a space, so a sentence splits into its words (faster than a regex).
NOT_WORDS = str.maketrans(dict.fromkeys(string.punctuation + "‘’“”–—…¿¡«»", " "))


def results_page(answers, given: Mapping[str, Any], summary: list[dict]):
    """The results for checked `answers`; `given` is what was answered (carried by "change
    your answers"), and `summary` reads it back."""
    result, advice = ask_engine(answers)
    page = plan_page(result, role_cards())
    # Open when the patient's own answers are about opioids; folded when only a role's
    # description mentions them (the page keeps to its word and print budgets).
    if not any(mentions_opioids(str(item["said"])) for item in summary):
        fold_opioid_panel()
    return render_template(
        "questionnaire/results.html",
        given=given,
        change_from=first_question_after_screening(),
        result=result,
        page=page,
        advice=advice,
        summary=summary,
        today=dt.date.today(),
        version=current_content_version(),
    )


def first_question_after_screening() -> str:
    """Where "change your answers" opens: the first question after the emergency signs."""
    questionnaire = current_questionnaire()
    steps = questionnaire.step_names
    return questionnaire.in_step(steps[min(1, len(steps) - 1)])[0].name


def ask_engine(answers) -> tuple[dict[str, Any], dict[str, Any]]:
    """The one place this page calls the engine: its answer and the waiting advice."""
    rulebook = current_rulebook()
    return with_site_urls(recommend(answers, rulebook)), advice_for(answers, rulebook)


class Phrase(NamedTuple):
    """A sentence, with what comparing it to others needs worked out once."""

    text: str
    key: str  # case and spacing aside
    words: frozenset[str]  # the words that carry meaning
    acts: bool  # tells the patient what to do or how soon (rules.yaml: action_words...)


class RoleContent(NamedTuple):
    """A role's part of the results page: content only, the same for every patient, so it is
    drawn once per content version (the page needs no SQL then). Only the questions to ask are
    de-duplicated per page (two roles may share one); tests/test_results_page.py checks that
    no two roles share any other sentence the page shows."""

    slug: str
    name: str
    summary: str
    access: str  # referral, direct, assigned or walk_in: picks the "what to do next" line
    access_first: str  # the access note's first sentence: how to get an appointment
    access_rest: str
    intro: Markup  # name (linked) and summary
    treatments: Markup  # what they will likely do
    line: Markup  # name (linked) and summary on one line, for "others who may help later"
    questions: tuple[Phrase, ...]  # questions to ask them


def role_cards() -> dict[str, RoleContent]:
    """Every role's part of the page, from the database once per content version. While the
    database is down: as last drawn, or from the roles the engine checked at start-up, so that
    a patient still gets their results."""
    from_checked_content = partial(role_contents, checked_roles)
    try:
        return cached_fragment(
            "results-roles", partial(role_contents, all_roles), offline=from_checked_content
        )
    except SQLAlchemyError as error:
        if not is_outage(error):
            raise
        db.session.rollback()
        note_database_failure(error)
        return from_checked_content()


def all_roles() -> Iterable[Role]:
    return db.session.scalars(select(Role))


def role_contents(roles: Callable[[], Iterable[Role | RoleIn]]) -> dict[str, RoleContent]:
    macros = {
        name: get_template_attribute("questionnaire/_role_card.html", name)
        for name in ("intro", "treatments", "line")
    }
    contents = {}
    for role in roles():
        first, *rest = sentences(role.access_note) or [f"{role.access_label}."]
        contents[role.slug] = RoleContent(
            slug=role.slug,
            name=role.name,
            summary=role.summary,
            access=role.access,
            access_first=first,
            access_rest=" ".join(rest),
            questions=tuple(phrase(text) for text in role.questions[:3]),
            **{name: macro(role) for name, macro in macros.items()},
        )
    return contents


@dataclass
class Match:
    """One explained role: its content, with reasons and questions not said earlier."""

    role: RoleContent
    fit: str
    reasons: list[str]
    questions: list[str]
    sources: list[dict[str, str]]


@dataclass
class ResultsPage:
    urgency: str  # the engine's message, its first sentence or clause set apart
    urgency_rest: str
    first: Match | None  # whom to see first
    why: str  # one sentence on why
    top: list[Match] = field(default_factory=list)
    others: list[RoleContent] = field(default_factory=list)  # a line each: name and summary


def plan_page(result: Mapping[str, Any], roles: Mapping[str, RoleContent]) -> ResultsPage:
    # A role the loaded content lacks (content and rules deployed out of step) is left out,
    # never a failed page.
    matches = [
        item
        for item in result["recommendations"]
        if item["fit"] in MATCHES and item["role"] in roles
    ]
    top, rest = matches[:TOP], matches[TOP:]
    said = Said()
    # Several roles often share a reason (one rule speaks for them all): split each text once.
    # Kept for this request only, like everything else drawn from the answers.
    split: dict[str, list[Phrase]] = {}

    def phrases_of(text: str) -> list[Phrase]:
        if text not in split:
            split[text] = phrases(text)
        return split[text]

    urgency, urgency_rest = lead_clause(result["message"])
    said.add(phrases_of(result["message"]))
    why = None
    if top:
        first = top[0]
        # When the case is urgent, why is the first sentence that says what to do and how soon
        # ("Tell your cancer team within days, ..."); otherwise what this role does for them.
        urgent = [
            sentence
            for reason in first["reasons"]
            for sentence in phrases_of(reason)
            if sentence.acts and result["timing"] in SOON
        ]
        if urgent:
            why = urgent[0]
        else:
            why = telling_sentence(phrases_of(first["reasons"][0]), roles[first["role"]].name)
        said.add([why])
    explained = []
    for item in top:
        known = why.words if why and not explained else frozenset()
        role = roles[item["role"]]
        chosen = reasons(item, said, known, phrases_of)
        explained.append(
            Match(role, item["fit"], chosen, said.take(role.questions), item["sources"])
        )
    return ResultsPage(
        urgency=urgency,
        urgency_rest=urgency_rest,
        first=explained[0] if explained else None,
        why=why.text if why else "",
        top=explained,
        # A fourth "strong" role (common with long-lasting pain) is listed too, never dropped.
        others=[roles[item["role"]] for item in rest],
    )


def reasons(
    item: Mapping[str, Any],
    said: Said,
    known: frozenset[str],
    phrases_of: Callable[[str], list[Phrase]],
) -> list[str]:
    """At most MAX_REASONS of a role's reasons, each adding facts the ones before did not give
    (`known` words), and no sentence that the page says elsewhere. A reason that says what to
    do or how soon (Phrase.acts) comes first and is never merged away or cut."""
    chosen: list[str] = []
    acting = {reason: any(s.acts for s in phrases_of(reason)) for reason in item["reasons"]}
    for reason in sorted(item["reasons"], key=lambda reason: not acting[reason]):
        acts = acting[reason]
        if len(chosen) >= MAX_REASONS and not acts:
            break
        fresh = said.fresh(phrases_of(reason))
        if not fresh:
            continue  # every sentence of it is on the page already
        new = frozenset().union(*(sentence.words for sentence in fresh))
        if not acts and len(new - known) < MIN_NEW_WORDS * len(new):
            continue  # says what an earlier reason said: merged into it
        chosen.append(" ".join(sentence.text for sentence in fresh))
        said.add(fresh)
        known = known | new
    return chosen


def telling_sentence(candidates: list[Phrase], role_name: str) -> Phrase | None:
    """The sentence that names the role (what it does for this patient), else the first one,
    which states the patient's facts."""
    name = words(role_name)
    return max(candidates, key=lambda sentence: len(name & sentence.words), default=None)


def lead_clause(message: str) -> tuple[str, str]:
    """The engine's message split after its first clause ("Get checked today:") or sentence,
    so the page can set the urgency apart without saying it twice."""
    match = re.search(r"[:.!?](\s+|$)", message)
    if not match:
        return message, ""
    return message[: match.start() + 1], message[match.end() :]


class Said:
    """The sentences already on the page. A sentence counts as said if the page has it (case
    and spacing aside) or has one that holds all its words ("Your back pain has lasted more
    than 3 months." after "Your back pain has lasted more than 3 months and gets in the way
    of daily life.")."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._words: list[frozenset[str]] = []

    def has(self, sentence: Phrase) -> bool:
        if sentence.key in self._keys:
            return True
        return bool(sentence.words) and any(sentence.words <= said for said in self._words)

    def fresh(self, candidates: Iterable[Phrase]) -> list[Phrase]:
        return [sentence for sentence in candidates if not self.has(sentence)]

    def add(self, sentences: Iterable[Phrase]) -> None:
        for sentence in sentences:
            self._keys.add(sentence.key)
            self._words.append(sentence.words)

    def take(self, candidates: Iterable[Phrase]) -> list[str]:
        """The texts of those not said yet, now said."""
        fresh = []
        for sentence in candidates:
            if not self.has(sentence):
                self.add([sentence])
                fresh.append(sentence.text)
        return fresh


def phrases(text: str, reading: Reading | None = None) -> list[Phrase]:
    reading = reading or current_reading()
    return [phrase(part, reading) for part in sentences(text)]


def phrase(text: str, reading: Reading | None = None) -> Phrase:
    reading = reading or current_reading()
    folded = text.casefold()
    words = folded.translate(NOT_WORDS).split()
    padded = f" {' '.join(words)} "
    acts = not reading.action_words.isdisjoint(words) or any(
        p in padded for p in reading.action_phrases
    )
    return Phrase(text, " ".join(folded.split()), frozenset(words) - reading.filler_words, acts)


def current_reading() -> Reading:
    """The words that tell what a sentence asks of the patient, in the request's language
    (English outside an app, as in the engine's own tests)."""
    if not has_app_context():
        return load_reading()
    return load_reading(current_app.config["RULES_FILE"], current_language())


def says_to_act(text: str, reading: Reading | None = None) -> bool:
    """Whether any sentence of `text` tells the patient what to do or how soon (read with the
    words of the request's language, or of `reading`)."""
    return any(sentence.acts for sentence in phrases(text, reading))


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(text.strip()) if part]


def words(text: str) -> frozenset[str]:
    return phrase(text).words
