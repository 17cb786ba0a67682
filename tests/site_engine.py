"""The site's questionnaire and rulebook, checked against the content files as the app checks
them at start-up, for tests and benchmarks that call the engine directly (no Flask app)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.content.loader import read_content, rulebook_for
from app.recommend import engine

CONTENT = read_content()
RULEBOOK = rulebook_for(CONTENT)
QUESTIONNAIRE = RULEBOOK.questionnaire
# What the engine is given of the content: role facts and source titles and addresses.
ROLES = {
    slug: engine.RoleFacts(name, RULEBOOK.role_sources[slug])
    for slug, name in RULEBOOK.role_names.items()
}
SOURCES = RULEBOOK.sources


def rulebook_from(rules_file: Path, questionnaire=None) -> engine.RuleBook:
    """A rulebook from another rules file, against the real content (raises RuleError)."""
    return engine.load_rulebook(ROLES, SOURCES, rules_file, questionnaire or QUESTIONNAIRE)


def recommend(answers: Any, book: engine.RuleBook = RULEBOOK) -> dict:
    return engine.recommend(answers, book)


def advice_for(answers: Any) -> dict:
    return engine.advice_for(answers, RULEBOOK)


def crisis_line(**options: Any) -> dict:
    return engine.crisis_line(RULEBOOK, **options)
