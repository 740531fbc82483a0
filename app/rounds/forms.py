"""The form that opens a round."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from app.core.text_limits import NAME_MAX_CHARS
from app.web.form_fields import GovDateField
from app.web.i18n import today_here


class NewRoundForm(FlaskForm):
    title = StringField(
        _l("Title of the round"),
        widget=GovTextInput(),
        description=_l("For example, ‘Self-assessment 2026 to 2027’"),
        validators=[InputRequired(message=_l("Enter a title for the round")), Length(max=NAME_MAX_CHARS, message=_l("Title must be 200 characters or fewer"))],
    )
    title_cy = StringField(
        _l("Title in Welsh (optional)"),
        widget=GovTextInput(),
        description=_l("Welsh pages and the Welsh report use it; without it they show the title above."),
        validators=[Length(max=NAME_MAX_CHARS, message=_l("Title in Welsh must be 200 characters or fewer"))],
    )
    deadline = GovDateField(
        _l("Deadline for members’ responses"),
        description=_l("For example, 27 3 2027"),
        invalid_message=_l("Deadline must be a real date, like 27 3 2027"),
        validators=[InputRequired(message=_l("Enter the deadline for members’ responses"))],
    )
    target_level = RadioField(
        _l("Target level"),
        widget=GovRadioInput(),
        description=_l("The level the board aims for on every benchmark. Gaps are measured against it."),
        validators=[InputRequired(message=_l("Select the target level"))],
        # Checked in validate_target_level, so a level below the framework's target gets its own message.
        validate_choice=False,
    )
    invitees = SelectMultipleField(
        _l("Members invited to respond"),
        widget=GovCheckboxesInput(),
        coerce=int,
        validators=[InputRequired(message=_l("Select at least one member to invite"))],
    )
    carry_forward = BooleanField(
        _l("Start each member from their answers in the board’s last round"),
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(_l("Open the round"), widget=GovSubmitInput())

    def __init__(self, *args, lowest_target: str, allowed_targets: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        #: The framework's target label: a board may aim higher, never lower.
        self.lowest_target = lowest_target
        self.allowed_targets = allowed_targets

    def validate_target_level(self, field):
        if field.data and field.data not in self.allowed_targets:
            raise ValidationError(_("Select a target level of %(level)s or higher", level=self.lowest_target))

    def validate_deadline(self, field):
        if field.data and field.data < today_here():
            raise ValidationError(_("Deadline must be today or in the future"))
