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
from app.core.text_limits import MEASURE_VALUE_MAX_CHARS, NAME_MAX_CHARS
from app.web.form_fields import GovDateField, agency_select, long_text, optional_date
from app.web.i18n import current_language
from app.web.labels import ACTION_STATUS_NAMES, MEASURE_ABOUT_NAMES

#: The longest value of a measure (baseline, target, latest reading), as its column holds.

#: A success measure shorter than this cannot say how the board will know the action worked.
SUCCESS_MEASURE_MIN_CHARS = 20


def _benchmark_choices(framework: Framework, lang: str) -> list[tuple[str, str]]:
    return [(b.id, f"{framework.reference(b.id)} {b.title.get(lang)}") for b in framework.benchmarks]


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
    measure_about = RadioField(
        _l("What the measure is about"),
        widget=GovRadioInput(),
        choices=MEASURE_ABOUT_NAMES.choices(),
        validators=[Optional()],
    )
    baseline = StringField(
        _l("Baseline"),
        widget=GovTextInput(),
        description=_l("Where the measure stands now, for example 58%."),
        validators=[Optional(), Length(max=MEASURE_VALUE_MAX_CHARS, message=_l("Baseline must be 200 characters or fewer"))],
    )
    baseline_on = optional_date(
        _l("Date of the baseline"),
        hint=_l("For example, 31 3 2026"),
        invalid=_l("Date of the baseline must be a real date, like 31 3 2026"),
    )
    target = StringField(
        _l("Target"),
        widget=GovTextInput(),
        description=_l("Where the measure should be, for example 80%."),
        validators=[Optional(), Length(max=MEASURE_VALUE_MAX_CHARS, message=_l("Target must be 200 characters or fewer"))],
    )
    target_by = optional_date(
        _l("Date the target is checked by"),
        hint=_l("For example, 31 3 2027"),
        invalid=_l("Date the target is checked by must be a real date, like 31 3 2027"),
    )
    latest = StringField(
        _l("Latest reading (optional)"),
        widget=GovTextInput(),
        description=_l("The measure’s most recent value, to show progress since the baseline."),
        validators=[Optional(), Length(max=MEASURE_VALUE_MAX_CHARS, message=_l("Latest reading must be 200 characters or fewer"))],
    )
    latest_on = optional_date(
        _l("Date of the latest reading"),
        hint=_l("For example, 30 9 2026"),
        invalid=_l("Date of the latest reading must be a real date, like 30 9 2026"),
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
        # str(): a list box's option can hold no lang mark (InEnglish).
        self.domain_id.choices = [("", _("No particular domain"))] + [(d.id, str(d.title.get(lang))) for d in framework.domains]

    def validate_due_date(self, field):
        if self.creating and field.data is not None and field.data <= self.today:
            raise ValidationError(_("The due date must be in the future"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self._check_measure() and valid

    def _refuse(self, field, message: str) -> bool:
        if not field.errors:
            field.errors = [*field.errors, message]
        return False

    def _check_measure(self) -> bool:
        """The measure as baseline -> target by a date: required for a new action, and for an old one once any part is given."""
        values = (self.measure_about, self.baseline, self.baseline_on, self.target, self.target_by, self.latest, self.latest_on)
        given = any(field.data not in (None, "") or field.errors for field in values)
        ok = True
        if self.creating or given:
            required = (
                (self.measure_about, _("Select whether the measure is about children and families or the board’s process")),
                (self.baseline, _("Enter the baseline: where the measure stands now")),
                (self.baseline_on, _("Enter the date of the baseline")),
                (self.target, _("Enter the target: where the measure should be")),
                (self.target_by, _("Enter the date the target is checked by")),
            )
            for field, message in required:
                if field.data in (None, "") or (isinstance(field.data, str) and not field.data.strip()):
                    ok = self._refuse(field, message)
        if (self.latest.data or "").strip() and self.latest_on.data is None:
            ok = self._refuse(self.latest_on, _("Enter the date of the latest reading"))
        if self.latest_on.data is not None and not (self.latest.data or "").strip():
            ok = self._refuse(self.latest, _("Enter the latest reading"))
        start = self.baseline_on.data
        if start is not None and start > self.today:
            ok = self._refuse(self.baseline_on, _("The date of the baseline must be today or in the past"))
        if start is not None and self.target_by.data is not None and self.target_by.data < start:
            ok = self._refuse(self.target_by, _("The date the target is checked by must be on or after the date of the baseline"))
        if self.latest_on.data is not None:
            if self.latest_on.data > self.today:
                ok = self._refuse(self.latest_on, _("The date of the latest reading must be today or in the past"))
            elif start is not None and self.latest_on.data < start:
                ok = self._refuse(self.latest_on, _("The date of the latest reading must be on or after the date of the baseline"))
        return ok

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
