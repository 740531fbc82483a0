"""The SMART action form."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.core.framework import Framework
from app.core.text_limits import NAME_MAX_CHARS
from app.web.form_fields import GovDateField, agency_select, long_text
from app.web.i18n import current_language
from app.web.labels import ACTION_STATUS_NAMES

#: A success measure shorter than this cannot say how the board will know the action worked.
SUCCESS_MEASURE_MIN_CHARS = 20


def _benchmark_choices(framework: Framework, lang: str) -> list[tuple[str, str]]:
    return [(b.id, f"{b.id}: {b.title.get(lang)}") for b in framework.benchmarks]


class ActionForm(FlaskForm):
    description = long_text(_l("What will be done"), required=_l("Enter what will be done"), called=_l("What will be done"))
    owner_agency = agency_select(
        _l("Owner agency"),
        required=_l("Select the agency that owns the action"),
        description=_l("The partner agency accountable for the action."),
    )
    lead_person = StringField(
        _l("Lead person"),
        widget=GovTextInput(),
        description=_l("The named person who will make sure it happens."),
        validators=[
            InputRequired(message=_l("Enter the name of the person leading the action")),
            Length(max=NAME_MAX_CHARS, message=_l("Lead person must be 200 characters or fewer")),
        ],
    )
    due_date = GovDateField(
        _l("Due date"),
        description=_l("For example, 31 3 2027"),
        invalid_message=_l("Due date must be a real date, like 31 3 2027"),
        validators=[InputRequired(message=_l("Enter the due date"))],
    )
    success_measure = long_text(
        _l("Success measure"),
        required=_l("Enter the success measure: how the board will know the action worked"),
        called=_l("Success measure"),
        description=_l("How the board will know it worked: what will be different for children, and how it will be measured."),
    )
    status = RadioField(
        _l("Status"),
        widget=GovRadioInput(),
        choices=ACTION_STATUS_NAMES.choices(),
        default="not_started",
        validators=[InputRequired(message=_l("Select the status of the action"))],
    )
    benchmarks = SelectMultipleField(
        _l("Benchmarks this action addresses"),
        widget=GovCheckboxesInput(),
        description=_l("Select all that apply."),
        validators=[InputRequired(message=_l("Select at least one benchmark this action addresses"))],
    )
    domain_id = SelectField(_l("Domain (optional)"), widget=GovSelect(), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Save action"), widget=GovSubmitInput())

    def __init__(self, framework: Framework, *, creating: bool, today: date, **kwargs):
        super().__init__(**kwargs)
        self.creating = creating
        self.today = today
        lang = current_language()
        self.benchmarks.choices = _benchmark_choices(framework, lang)
        self.domain_id.choices = [("", _("No particular domain"))] + [(d.id, d.title.get(lang)) for d in framework.domains]

    def validate_due_date(self, field):
        if self.creating and field.data is not None and field.data <= self.today:
            raise ValidationError(_("The due date must be in the future"))

    def validate_success_measure(self, field):
        # Counted without surrounding spaces, so padding cannot pass for a measure.
        if field.data and len(field.data.strip()) < SUCCESS_MEASURE_MIN_CHARS:
            raise ValidationError(
                _(
                    "Success measure must be at least %(min)s characters: say how the board will know the action worked",
                    min=SUCCESS_MEASURE_MIN_CHARS,
                )
            )


class CarryActionsForm(FlaskForm):
    target_round = RadioField(
        _l("Carry open actions into"),
        widget=GovRadioInput(),
        coerce=int,
        validators=[InputRequired(message=_l("Select the round to carry the open actions into"))],
    )
    submit = SubmitField(_l("Carry open actions forward"), widget=GovSubmitInput())
