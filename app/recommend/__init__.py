"""The "which specialist?" recommendation engine. Plain Python: no Flask, no database.

from app.recommend import recommend
result = recommend({"red_flags": ["none"], "age_group": "adult", ...})
"""

from .engine import RuleError, advice_for, crisis_line, load_rulebook, recommend
from .questionnaire import Answers, InvalidAnswers, load_questionnaire, parse_answers

__all__ = [
    "Answers",
    "InvalidAnswers",
    "RuleError",
    "advice_for",
    "crisis_line",
    "load_questionnaire",
    "load_rulebook",
    "parse_answers",
    "recommend",
]
