"""The "which specialist?" recommendation engine. Plain Python: no Flask, no database.

book = load_rulebook(roles, sources)   # roles and sources from the site's checked content
result = recommend({"red_flags": ["none"], "age_group": "adult", ...}, book)
"""

from .engine import (
    RoleFacts,
    RuleBook,
    RuleError,
    advice_for,
    crisis_line,
    load_rulebook,
    matches,
    needs_crisis_line,
    recommend,
)
from .questionnaire import (
    Answers,
    DefinitionError,
    InvalidAnswers,
    Questionnaire,
    load_questionnaire,
    parse_answers,
)

__all__ = [
    "Answers",
    "DefinitionError",
    "InvalidAnswers",
    "Questionnaire",
    "RoleFacts",
    "RuleBook",
    "RuleError",
    "advice_for",
    "crisis_line",
    "load_questionnaire",
    "load_rulebook",
    "matches",
    "needs_crisis_line",
    "parse_answers",
    "recommend",
]
