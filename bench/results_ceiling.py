"""The ceiling for the questionnaire results POST, served next to the site by bench/load.py.

The site's own app plus one route that does only what every results POST must do (the CSRF
check, reading and checking the answers, the engine) and draws no page. However fast the
results page becomes, it cannot beat this.
"""

import sys
from pathlib import Path

from flask import request

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.questionnaire.forms import posted_answers  # noqa: E402
from app.recommend import parse_answers, recommend  # noqa: E402
from app.recommendations import current_questionnaire, current_rulebook  # noqa: E402

app = create_app()


@app.post("/bench/results-ceiling")
def results_ceiling() -> str:
    # Read and checked as the results page reads them (a failure is a 500: the bench counts it).
    answers = parse_answers(posted_answers(request.form), current_questionnaire())
    recommend(answers, current_rulebook())
    return "ok"
