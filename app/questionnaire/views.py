"""The "which specialist?" questionnaire: emergency signs first, then the questions, a
"check your answers" page, and the results. Works without JavaScript.

Answers are health data: they travel only in the POSTed form, are never stored, logged or
put in a URL, and are gone when the response is sent.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from flask import Blueprint, abort, get_template_attribute, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from sqlalchemy import select

from ..caching import cached_fragment, current_content_version
from ..extensions import db
from ..models import Role
from ..recommend import advice_for, crisis_line, load_questionnaire, recommend
from ..recommend.questionnaire import Question
from .forms import (
    STEPS,
    QuestionnaireForm,
    answers_from,
    choice_groups,
    questions_in,
    validate_steps,
)

bp = Blueprint("questionnaire", __name__)
bp.add_app_template_global(choice_groups)

SUBMITTED_STEPS = [*STEPS, "check"]
TOP = 3  # how many recommendations the results page explains in full
MATCHES = ("strong", "possible")  # a "general" role is listed only to place every role
CRISIS_FLAG = "self_harm_thoughts"  # this sign's page leads with the crisis line
# The results headline for each `timing` of the engine's answer.
HEADLINES = {
    "now": "Get help now",
    "today": "Get checked today",
    "within_days": "See someone within days",
    "routine": "A routine appointment is fine",
}
# How a number is read back to the patient; any other number is shown as it is.
NUMBER_READ_BACK = {"severity": "{value} out of {maximum}", "age_years": "{value} years"}


@bp.get("/which-specialist")
def start():
    return render_step("emergency", QuestionnaireForm(formdata=None))


@bp.post("/which-specialist")
def submit():
    form = QuestionnaireForm()
    step = request.form.get("step", "")
    if step not in SUBMITTED_STEPS:
        abort(400)
    change = request.form.get("change")
    if change:
        return render_step(step_of(change), form, focus=change)

    # Re-check every step up to this one: hidden answers may have been changed on the way.
    asked = STEPS[: STEPS.index(step) + 1] if step in STEPS else STEPS
    for earlier in asked:
        if not validate_steps(form, [earlier]):
            return render_step(earlier, form, has_errors=True)
        if earlier == "emergency" and is_emergency(form):
            return emergency(form)

    if step == "emergency":
        return render_step("about", form)
    if step == "about":
        return render_step("preferences", form)
    if step == "preferences":
        return render_template("questionnaire/check.html", form=form, summary=summarize(form))
    return results(form)


def is_emergency(form) -> bool:
    return any(flag != "none" for flag in form.red_flags.data or [])


def step_of(field_name: str) -> str:
    for step in STEPS:
        if any(question.name == field_name for question in questions_in(step)):
            return step
    abort(400)


def render_step(step: str, form, has_errors: bool = False, focus: str | None = None):
    number = STEPS.index(step) + 1
    return render_template(
        "questionnaire/step.html",
        form=form,
        step=step,
        number=number,
        steps_total=len(STEPS),
        questions=questions_in(step),
        carried=[q for q in load_questionnaire().questions if q.step != step],
        has_errors=has_errors,
        focus=focus,
    )


def emergency(form):
    questionnaire = load_questionnaire()
    ticked = [value for value in form.red_flags.data if value != "none"]
    return render_template(
        "questionnaire/emergency.html",
        flags=[questionnaire["red_flags"].option(value) for value in ticked],
        crisis=crisis_line() if CRISIS_FLAG in ticked else None,
    )


def summarize(form) -> list[dict]:
    """Each answer as the patient would read it back: the question, and what they said."""
    rows = []
    for question in load_questionnaire().questions:
        value = form[question.name].data
        if question.kind == "multi":
            said = [question.option(item).label for item in value or []]
        elif question.kind == "boolean":
            said = [{"true": "Yes", "false": "No"}[value]] if value in ("true", "false") else []
        elif question.kind == "integer":
            said = [read_back(question, value)] if value is not None else []
        else:
            said = [question.option(value).label] if value else []
        rows.append({"question": question, "said": said})
    return rows


def read_back(question: Question, value: int) -> str:
    template = NUMBER_READ_BACK.get(question.name, "{value}")
    return template.format(value=value, maximum=question.maximum)


def results(form):
    answers = answers_from(form)
    result = recommend(answers)
    matches = [item for item in result["recommendations"] if item["fit"] in MATCHES]
    # The first three matches are explained in full, the rest get a line each: a fourth
    # "strong" role (common with long-lasting pain) is listed too, never dropped.
    top, others = matches[:TOP], matches[TOP:]
    headline = HEADLINES[result["timing"]]
    sources = {}
    for item in top:
        for source in item["sources"]:
            sources.setdefault(source["url"], source)
    advice = advice_for(answers)
    return render_template(
        "questionnaire/results.html",
        form=form,
        result=result,
        headline=headline,
        message=without_headline(result["message"], headline),
        top=top,
        others=others,
        cards=cached_fragment("results-role-cards", role_cards),
        advice=advice,
        sources=list(sources.values()),
        summary=summarize(form),
        today=dt.date.today(),
        version=current_content_version(),
    )


def without_headline(message: str, headline: str) -> str:
    """The engine's message may open with the headline's words ("Get checked today: call
    ..."): say them once."""
    opening = re.match(rf"{re.escape(headline)}\s*[.:;,!]\s*", message, re.IGNORECASE)
    if not opening:
        return message
    rest = message[opening.end() :]
    return rest[:1].upper() + rest[1:]


class RoleCard(NamedTuple):
    intro: Markup  # name and summary
    details: Markup  # what they do, how to get an appointment, questions to ask


def role_cards() -> dict[str, RoleCard]:
    """Every role's part of a results card: content only, so it can be kept per version."""
    intro = get_template_attribute("questionnaire/_role_card.html", "intro")
    details = get_template_attribute("questionnaire/_role_card.html", "details")
    return {
        role.slug: RoleCard(intro(role), details(role)) for role in db.session.scalars(select(Role))
    }


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    # An expired or missing token: usually a page left open too long. Nothing was kept.
    return render_template("questionnaire/start_again.html"), 400
