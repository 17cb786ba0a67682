"""The questionnaire as a Flask-WTF form, built from the same definition as the JSON API.

Each question of questions.yaml becomes one field; every validator carries a message written
for the patient. The form spans three steps; answers from earlier steps travel in hidden
inputs, never in a server-side store or in the URL.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from ..recommend import Answers, InvalidAnswers, load_questionnaire, parse_answers
from ..recommend.questionnaire import Question

STEPS = ["emergency", "about", "preferences"]
BOOLEAN_VALUES = {"true": True, "false": False}

# What to say when a required question is left unanswered, in the patient's words. Optional
# questions need no entry; a required question without one stops the app at start-up.
REQUIRED_MESSAGES = {
    "red_flags": "Tick the signs you have, or tick “None of these”.",
    "age_group": "Choose the age of the person in pain.",
    "duration": "Choose how long you have had the pain.",
    "situation": "Choose the situation that fits best.",
    "locations": "Choose at least one place where it hurts.",
    "severity": "Enter a number from 0 to 10.",
}


class WholeNumberField(IntegerField):
    """An integer field whose parse error speaks to the patient, and that may be left blank
    (whether a blank is allowed is up to its validators: InputRequired or Optional)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and not valuelist[0].strip():
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form: FlaskForm) -> None:
        if self.process_errors:  # one clear message, not a second one from the range check
            raise StopValidation()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne:
    def __init__(self, message: str):
        self.message = message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.data:
            field.errors[:] = []
            raise StopValidation(self.message)


class Exclusive:
    """An option such as “None of these” that cannot be ticked with others."""

    def __init__(self, value: str, message: str):
        self.value, self.message = value, message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data and self.value in field.data and len(field.data) > 1:
            raise ValidationError(self.message)


def _field_for(question: Question) -> Field:
    kwargs: dict[str, Any] = {"label": question.legend, "description": question.hint or ""}
    required = question.required
    if question.kind == "multi":
        validators = [AtLeastOne(REQUIRED_MESSAGES[question.name])] if required else [Optional()]
        if question.exclusive:
            validators.append(
                Exclusive(
                    question.exclusive,
                    "You ticked “None of these” and a sign. Untick one of them.",
                )
            )
        return MultiCheckboxField(
            choices=[SelectChoice(o.value, o.label) for o in question.options],
            validators=validators,
            **kwargs,
        )
    if question.kind == "single":
        return RadioField(
            choices=[SelectChoice(o.value, o.label) for o in question.options],
            validators=[InputRequired(REQUIRED_MESSAGES[question.name])],
            **kwargs,
        )
    if question.kind == "integer":
        low, high = question.minimum, question.maximum
        example = low + (high - low) * 2 // 5  # an everyday value: 4 out of 10, age 48
        return WholeNumberField(
            widget=NumberInput(min=low, max=high),
            invalid_value_message=f"Enter a whole number from {low} to {high}, like {example}.",
            validators=[
                InputRequired(REQUIRED_MESSAGES[question.name]) if required else Optional(),
                NumberRange(low, high, f"Enter a whole number from {low} to {high}."),
            ],
            **kwargs,
        )
    return RadioField(
        choices=[SelectChoice("true", "Yes"), SelectChoice("false", "No")],
        validators=[Optional()],
        **kwargs,
    )


def _build_form_class() -> type[FlaskForm]:
    questions = load_questionnaire().questions
    unworded = [q.name for q in questions if q.required and q.name not in REQUIRED_MESSAGES]
    if unworded:
        raise RuntimeError(f"forms.py: REQUIRED_MESSAGES has no message for {unworded}")
    attributes = {question.name: _field_for(question) for question in questions}
    return type("QuestionnaireForm", (FlaskForm,), attributes)


QuestionnaireForm = _build_form_class()


def questions_in(step: str) -> list[Question]:
    return load_questionnaire().in_step(step)


def validate_steps(form: FlaskForm, steps: list[str]) -> bool:
    """Validate the fields of these steps only; later steps are not asked yet."""
    asked = [q for step in steps for q in questions_in(step)]
    results = [form[q.name].validate(form) for q in asked]
    return all(results) and agrees_with_contract(form, asked)


def agrees_with_contract(form: FlaskForm, asked: list[Question]) -> bool:
    """Checks across questions, such as an exact age inside its age group, are the contract's
    own (parse_answers, as the API runs them); their errors go next to the field they name.
    Unanswered later steps also fail that check, so only the questions asked here count."""
    try:
        answers_from(form)
    except InvalidAnswers as problems:
        bad = [q for q in asked if q.name in problems.errors]
        for question in bad:
            form[question.name].errors.append(_patient_message(form, question))
        return not bad
    return True


def _patient_message(form: FlaskForm, question: Question) -> str:
    if question.within:
        group = load_questionnaire()[question.within].option(form[question.within].data)
        age = form[question.name].data
        return f"An age of {age} does not fit the age group “{group.label}”. Check both answers."
    return "Check this answer."  # the fields' own checks catch everything else first


def answers_from(form: FlaskForm) -> Answers:
    """Turn a fully validated form into the engine's answers (the contract's check runs too)."""
    data: dict[str, Any] = {}
    for question in load_questionnaire().questions:
        value = form[question.name].data
        if question.kind == "multi":
            data[question.name] = list(value or [])
        elif question.kind == "boolean":
            data[question.name] = BOOLEAN_VALUES.get(value or "false", False)
        else:
            data[question.name] = value
    return parse_answers(data)


def choice_groups(field: Field, question: Question) -> list[tuple[str | None, list[Field]]]:
    """A field's checkboxes or radios in runs under their option's heading (`group`), in the
    definition's order; options without a group form runs with the heading None."""
    groups: list[tuple[str | None, list[Field]]] = []
    for choice, option in zip(field, question.options, strict=True):
        if not groups or groups[-1][0] != option.group:
            groups.append((option.group, []))
        groups[-1][1].append(choice)
    return groups
