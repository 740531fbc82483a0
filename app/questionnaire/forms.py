"""Forms for rounds and for the domain pages of the questionnaire.

A domain page's form class is built afresh for each request from the
framework the round pinned: one set of fields per benchmark. Nothing is ever
added to a shared class.
"""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.framework import Benchmark, Domain, Framework

NOT_KNOWN = "not_known"
NOT_APPLICABLE = "not_applicable"


class RatingField(RadioField):
    """Radios for a rating, with a GOV.UK message for a value that is not offered."""

    def pre_validate(self, form):
        if self.data and self.data not in {value for value, _ in self.choices}:
            raise ValidationError("Select one of the ratings shown")


def field_key(benchmark_id: str) -> str:
    """A form-safe name for a benchmark id ('governance.3' -> 'governance_3')."""
    return benchmark_id.replace(".", "_")


def rating_choices(framework: Framework) -> list[tuple[str, str]]:
    choices = [(level.id, str(level.label)) for level in reversed(framework.scale.levels)]
    choices.append((NOT_KNOWN, str(framework.scale.not_known.label)))
    choices.append((NOT_APPLICABLE, str(framework.scale.not_applicable.label)))
    return choices


def build_domain_form(framework: Framework, domain: Domain, evidence_max: int, formdata=None, **kwargs):
    """A new FlaskForm subclass for one domain page, instantiated."""

    fields: dict[str, object] = {}
    for benchmark in domain.benchmarks:
        key = field_key(benchmark.id)
        fields[f"{key}-rating"] = RatingField(
            benchmark.question.get(),
            choices=rating_choices(framework),
            validators=[Optional()],
        )
        fields[f"{key}-evidence"] = TextAreaField(
            "Evidence for your rating",
            widget=GovCharacterCount(),
            validators=[
                Length(max=evidence_max, message=f"Evidence for ‘{benchmark.title}’ must be {evidence_max:,} characters or fewer"),
            ],
        )
        fields[f"{key}-no_evidence_yet"] = BooleanField(
            "No evidence yet: I will add it later",
            widget=GovCheckboxInput(),
        )
        fields[f"{key}-version"] = HiddenField()
    fields["save_continue"] = SubmitField("Save and continue", widget=GovSubmitInput())
    fields["save_later"] = SubmitField("Save and come back later", widget=GovSubmitInput())
    form_class = type(f"DomainForm_{domain.id}", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


def benchmark_fields(form, benchmark: Benchmark):
    key = field_key(benchmark.id)
    return (
        form[f"{key}-rating"],
        form[f"{key}-evidence"],
        form[f"{key}-no_evidence_yet"],
        form[f"{key}-version"],
    )


class NewRoundForm(FlaskForm):
    title = StringField(
        "Title of the round",
        widget=GovTextInput(),
        description="For example, ‘Self-assessment 2026 to 2027’",
        validators=[InputRequired(message="Enter a title for the round"), Length(max=200, message="Title must be 200 characters or fewer")],
    )
    deadline = DateField(
        "Deadline for members’ responses",
        widget=GovDateInput(),
        format="%d %m %Y",
        description="For example, 27 3 2027",
        validators=[InputRequired(message="Enter the deadline as a date, like 27 3 2027")],
    )
    target_level = RadioField(
        "Target level",
        widget=GovRadioInput(),
        description="The level the board aims for on every benchmark. Gaps are measured against it.",
        validators=[InputRequired(message="Select the target level")],
    )
    invitees = SelectMultipleField(
        "Members invited to respond",
        widget=GovCheckboxesInput(),
        coerce=int,
        validators=[InputRequired(message="Select at least one member to invite")],
    )
    carry_forward = BooleanField(
        "Start each member from their answers in the board’s last round",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Open the round", widget=GovSubmitInput())

    def validate_deadline(self, field):
        if field.data and field.data < date.today():
            raise ValidationError("The deadline must be today or in the future")


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token and a button, for POST actions."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
