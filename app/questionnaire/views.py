"""The "which specialist?" questionnaire: emergency signs first, then the questions, a
"check your answers" page, and the results. Works without JavaScript.

Answers are health data: they travel only in the POSTed form, are never stored, logged or
put in a URL, and are gone when the response is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_wtf.csrf import CSRFError

from ..recommend import InvalidAnswers, crisis_line, needs_crisis_line, parse_answers
from ..recommendations import current_questionnaire, current_rulebook
from .forms import (
    answers_from,
    choice_groups,
    given_in,
    hidden_inputs,
    posted_answers,
    questionnaire_form,
    validate_steps,
)
from .results import results_page

bp = Blueprint("questionnaire", __name__)
bp.add_app_template_global(choice_groups)
bp.add_app_template_global(hidden_inputs)

CHECK = "check"  # the "check your answers" page, after the definition's steps


@bp.get("/which-specialist")
def start():
    return render_step(current_questionnaire().step_names[0], questionnaire_form(False))


@bp.post("/which-specialist")
def submit():
    step = request.form.get("step", "")
    if step == CHECK and "change" not in request.form:
        # The usual way to the results: answers that pass the contract's check (as the API's
        # do) need no form object; the form is built only to explain a problem.
        posted = posted_answers(request.form)
        try:
            answers = parse_answers(posted, current_questionnaire()) if posted else None
        except InvalidAnswers:
            answers = None
        if answers is not None and not answers.is_emergency:
            given = {name: answers[name] for name in posted}  # as checked: no repeats
            return results_page(answers, given, summarize(given))

    form = questionnaire_form()
    steps = current_questionnaire().step_names
    if step not in steps and step != CHECK:
        abort(400)
    change = request.form.get("change")
    if change:
        return render_step(step_of(change), form, focus=change)

    # Re-check every step up to this one: hidden answers may have been changed on the way.
    asked = steps[: steps.index(step) + 1] if step in steps else steps
    for earlier in asked:
        if not validate_steps(form, [earlier]):
            return render_step(earlier, form, has_errors=True)
        if is_emergency(form, earlier):
            return emergency(form)

    if step == steps[-1]:
        summary = summarize(given_in(form))
        return render_template("questionnaire/check.html", form=form, summary=summary)
    if step in steps:
        return render_step(steps[steps.index(step) + 1], form)
    return results(form)


def is_emergency(form, step: str) -> bool:
    """Emergency signs win as soon as the step that asks about them is answered."""
    questionnaire = current_questionnaire()
    if "red_flags" not in questionnaire or questionnaire["red_flags"].step != step:
        return False
    return any(flag != "none" for flag in form.red_flags.data or [])


def step_of(field_name: str) -> str:
    questionnaire = current_questionnaire()
    if field_name not in questionnaire:
        abort(400)
    return questionnaire.step_of(field_name)


def render_step(step: str, form, has_errors: bool = False, focus: str | None = None):
    questionnaire = current_questionnaire()
    steps = questionnaire.step_names
    number = steps.index(step) + 1
    previous = questionnaire.in_step(steps[number - 2])[0].name if number > 1 else None
    return render_template(
        "questionnaire/step.html",
        form=form,
        step=questionnaire.step(step),
        number=number,
        steps_total=len(steps),
        is_last=number == len(steps),
        back_to=previous,  # "Back" opens the previous step at its first question
        questions=questionnaire.in_step(step),
        carried=[q for q in questionnaire.questions if q.step != step],
        has_errors=has_errors,
        focus=focus,
    )


def emergency(form):
    questionnaire = current_questionnaire()
    ticked = [value for value in form.red_flags.data if value != "none"]
    # The page leads with the crisis line when the rules' crisis condition holds for the
    # signs ticked (thoughts of self-harm), nothing else being known yet.
    book = current_rulebook()
    so_far = questionnaire.answers_with(red_flags=tuple(ticked))
    return render_template(
        "questionnaire/emergency.html",
        flags=[questionnaire["red_flags"].option(value) for value in ticked],
        crisis=crisis_line(book) if needs_crisis_line(so_far, book) else None,
    )


def summarize(given: Mapping[str, Any]) -> list[dict]:
    """Each answer as the patient would read it back: the question, and what they said."""
    return [
        {"question": question, "said": question.say(given.get(question.name))}
        for question in current_questionnaire().questions
    ]


def results(form):
    given = given_in(form)
    return results_page(answers_from(form), given, summarize(given))


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    # An expired or missing token: usually a page left open too long. Nothing was kept.
    return render_template("questionnaire/start_again.html"), 400
