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

from ..recommend import Answers, load_questionnaire, parse_answers
from ..recommend.questionnaire import Question

STEPS = ["emergency", "about", "preferences"]
BOOLEAN_VALUES = {"true": True, "false": False}

# What to say when a question is left unanswered, in the patient's words.
REQUIRED_MESSAGES = {
    "red_flags": "Tick the signs you have, or tick “None of these”.",
    "age_group": "Choose the age of the person in pain.",
    "duration": "Choose how long you have had the pain.",
    "situation": "Choose the situation that fits best.",
    "locations": "Choose at least one place where it hurts.",
    "severity": "Enter a number from 0 to 10.",
}


class WholeNumberField(IntegerField):
    """An integer field whose parse error speaks to the patient."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a whole number from 0 to 10, like 4.") from error

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
        return WholeNumberField(
            widget=NumberInput(min=question.minimum, max=question.maximum),
            validators=[
                InputRequired(REQUIRED_MESSAGES[question.name]),
                NumberRange(
                    question.minimum,
                    question.maximum,
                    f"Enter a whole number from {question.minimum} to {question.maximum}.",
                ),
            ],
            **kwargs,
        )
    return RadioField(
        choices=[SelectChoice("true", "Yes"), SelectChoice("false", "No")],
        validators=[Optional()],
        **kwargs,
    )


def _build_form_class() -> type[FlaskForm]:
    attributes = {
        question.name: _field_for(question) for question in load_questionnaire().questions
    }
    return type("QuestionnaireForm", (FlaskForm,), attributes)


QuestionnaireForm = _build_form_class()


def questions_in(step: str) -> list[Question]:
    return load_questionnaire().in_step(step)


def validate_steps(form: FlaskForm, steps: list[str]) -> bool:
    """Validate the fields of these steps only; later steps are not asked yet."""
    results = [form[q.name].validate(form) for step in steps for q in questions_in(step)]
    return all(results)


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
