"""The SMART action form."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.form_fields import GovDateField, agency_select, long_text
from app.framework import Framework

#: A success measure shorter than this cannot say how the board will know the action worked.
SUCCESS_MEASURE_MIN_CHARS = 20
STATUS_NAMES: dict[str, str] = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "done": "Done",
}
STATUS_CLASSES: dict[str, str] = {
    "not_started": "govuk-tag--grey",
    "on_track": "govuk-tag--green",
    "at_risk": "govuk-tag--orange",
    "done": "govuk-tag--blue",
}


def _benchmark_choices(framework: Framework) -> list[tuple[str, str]]:
    return [(b.id, f"{b.id}: {b.title.get()}") for b in framework.benchmarks]


class ActionForm(FlaskForm):
    description = long_text("What will be done", required="Enter what will be done", called="What will be done")
    owner_agency = agency_select("Owner agency", required="Select the agency that owns the action", description="The partner agency accountable for the action.")
    lead_person = StringField(
        "Lead person",
        widget=GovTextInput(),
        description="The named person who will make sure it happens.",
        validators=[
            InputRequired(message="Enter the name of the person leading the action"),
            Length(max=200, message="Lead person must be 200 characters or fewer"),
        ],
    )
    due_date = GovDateField(
        "Due date",
        description="For example, 31 3 2027",
        invalid_message="Due date must be a real date, like 31 3 2027",
        validators=[InputRequired(message="Enter the due date")],
    )
    success_measure = long_text(
        "Success measure",
        required="Enter the success measure: how the board will know the action worked",
        called="Success measure",
        description="How the board will know it worked: what will be different for children, and how it will be measured.",
    )
    status = RadioField(
        "Status",
        widget=GovRadioInput(),
        choices=list(STATUS_NAMES.items()),
        default="not_started",
        validators=[InputRequired(message="Select the status of the action")],
    )
    benchmarks = SelectMultipleField(
        "Benchmarks this action addresses",
        widget=GovCheckboxesInput(),
        description="Select all that apply.",
        validators=[InputRequired(message="Select at least one benchmark this action addresses")],
    )
    domain_id = SelectField("Domain (optional)", widget=GovSelect(), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField("Save action", widget=GovSubmitInput())

    def __init__(self, framework: Framework, *, creating: bool, today: date, **kwargs):
        super().__init__(**kwargs)
        self.creating = creating
        self.today = today
        self.benchmarks.choices = _benchmark_choices(framework)
        self.domain_id.choices = [("", "No particular domain")] + [(d.id, d.title.get()) for d in framework.domains]

    def validate_due_date(self, field):
        if self.creating and field.data is not None and field.data <= self.today:
            raise ValidationError("The due date must be in the future")

    def validate_success_measure(self, field):
        # Counted without surrounding spaces, so padding cannot pass for a measure.
        if field.data and len(field.data.strip()) < SUCCESS_MEASURE_MIN_CHARS:
            raise ValidationError(
                f"Success measure must be at least {SUCCESS_MEASURE_MIN_CHARS} characters: say how the board will know the action worked"
            )


class CarryActionsForm(FlaskForm):
    target_round = RadioField(
        "Carry open actions into",
        widget=GovRadioInput(),
        coerce=int,
        validators=[InputRequired(message="Select the round to carry the open actions into")],
    )
    submit = SubmitField("Carry open actions forward", widget=GovSubmitInput())
