"""The questionnaire as a Flask-WTF form, built from the same definition as the JSON API.

Each question of the app's questions.yaml becomes one field, with the words (legend, hint,
messages) the definition gives it; `required` is honoured for every kind of question. The form
spans the definition's steps; answers from earlier steps travel in hidden inputs, never in a
server-side store or in the URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from wtforms import Field, IntegerField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from ..recommend import Answers, InvalidAnswers, Questionnaire, parse_answers
from ..recommend.questionnaire import Question
from ..recommendations import current_questionnaire

# A yes/no answer as the form posts it, and as the contract has it.
BOOLEAN_VALUES = {"true": True, "false": False}


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


def _field_for(question: Question, messages: dict[str, str]) -> Field:
    kwargs: dict[str, Any] = {"label": question.legend, "description": question.hint or ""}
    if question.kind == "multi":
        validators: list[Any] = (
            [AtLeastOne(question.required_message)] if question.required else [Optional()]
        )
        if question.exclusive:
            validators.append(
                Exclusive(question.exclusive, question.exclusive_message or messages["exclusive"])
            )
        return MultiCheckboxField(
            choices=[SelectChoice(o.value, o.label) for o in question.options],
            validators=validators,
            **kwargs,
        )
    required = [InputRequired(question.required_message)] if question.required else [Optional()]
    if question.kind == "integer":
        low, high = question.minimum, question.maximum
        example = low + (high - low) * 2 // 5  # an everyday value: 4 out of 10, age 48
        words = {"minimum": low, "maximum": high, "example": example}
        return WholeNumberField(
            widget=NumberInput(min=low, max=high),
            invalid_value_message=messages["not_a_number"].format(**words),
            validators=[
                *required,
                NumberRange(low, high, messages["out_of_range"].format(**words)),
            ],
            **kwargs,
        )
    # single choice, or yes/no (its two options say true and false in the form's words)
    return RadioField(
        choices=[SelectChoice(as_form_text(o.value), o.label) for o in question.options],
        validators=required,
        **kwargs,
    )


def as_form_text(value: Any) -> str:
    """An answer as the form posts it: yes and no as "true" and "false" (BOOLEAN_VALUES)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@cache
def form_class_for(questionnaire: Questionnaire) -> type[FlaskForm]:
    """One form class per definition (an app has one)."""
    attributes = {
        question.name: _field_for(question, questionnaire.messages)
        for question in questionnaire.questions
    }
    return type("QuestionnaireForm", (FlaskForm,), attributes)


def questionnaire_form(from_request: bool = True) -> FlaskForm:
    """The form of the app's questionnaire, filled from the POSTed answers (or empty)."""
    form_class = form_class_for(current_questionnaire())
    return form_class() if from_request else form_class(formdata=None)


def validate_steps(form: FlaskForm, steps: list[str]) -> bool:
    """Validate the fields of these steps only; later steps are not asked yet."""
    questionnaire = current_questionnaire()
    asked = [q for step in steps for q in questionnaire.in_step(step)]
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
    questionnaire = current_questionnaire()
    if question.within and question.within_message:
        group = questionnaire[question.within].option(form[question.within].data)
        return question.within_message.format(value=form[question.name].data, group=group.label)
    return questionnaire.messages["check_answer"]  # the fields' own checks catch the rest first


def answers_from(form: FlaskForm) -> Answers:
    """Turn a validated form into the engine's answers (the contract's check runs too)."""
    return parse_answers(given_in(form), current_questionnaire())


def given_in(form: FlaskForm) -> dict[str, Any]:
    """The answers in a form as the contract has them; unanswered questions left out."""
    given: dict[str, Any] = {}
    for question in current_questionnaire().questions:
        value = form[question.name].data
        if question.kind == "multi":
            if value:
                given[question.name] = list(value)
        elif question.kind == "boolean":
            if value in BOOLEAN_VALUES:
                given[question.name] = BOOLEAN_VALUES[value]
        elif value not in (None, ""):
            given[question.name] = value
    return given


def hidden_inputs(given: Mapping[str, Any]) -> Markup:
    """Answers as hidden inputs, to carry them to the next POST (like a WTForms widget, the
    markup is made here: one join instead of two template expressions per answer)."""
    inputs = []
    for name, value in given.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            text = as_form_text(item)
            inputs.append(f'<input type="hidden" name="{escape(name)}" value="{escape(text)}">')
    return Markup("".join(inputs))


def posted_answers(data: MultiDict) -> dict[str, Any] | None:
    """The answers in a POSTed form as the contract has them (what the API receives), without
    building the form; None if a value cannot even be read as its kind, so that the form can
    explain it. Unanswered questions are left out: the read-back says "You did not say"."""
    given: dict[str, Any] = {}
    for question in current_questionnaire().questions:
        if question.kind == "multi":
            if question.name in data:
                given[question.name] = data.getlist(question.name)
            continue
        raw = data.get(question.name, "")
        if raw == "":
            continue
        if question.kind == "integer":
            # A few digits at most: int() of thousands of digits is slow, then refused.
            if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
                return None
            given[question.name] = int(raw)
        elif question.kind == "boolean":
            if raw not in BOOLEAN_VALUES:
                return None
            given[question.name] = BOOLEAN_VALUES[raw]
        else:
            given[question.name] = raw
    return given


def choice_groups(field: Field, question: Question) -> list[tuple[str | None, list[Field]]]:
    """A field's checkboxes or radios in runs under their option's heading (`group`), in the
    definition's order; options without a group form runs with the heading None."""
    groups: list[tuple[str | None, list[Field]]] = []
    for choice, option in zip(field, question.options, strict=True):
        if not groups or groups[-1][0] != option.group:
            groups.append((option.group, []))
        groups[-1][1].append(choice)
    return groups
