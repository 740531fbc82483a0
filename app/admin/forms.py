"""Forms for boards, board members, invitations and the audit trail filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from app.auth.forms import strip
from app.core.text_limits import EMAIL_MAX_CHARS, NAME_MAX_CHARS
from app.web.agencies import AGENCIES
from app.web.form_fields import EmailAddress
from app.web.labels import ROLE_NAMES

# Member first: it is what most invitations are for.
ROLE_CHOICES = ROLE_NAMES.choices(("member", "business_manager", "inspector"))
AGENCY_CHOICES = [("", _l("Select an agency"))] + [(agency.id, agency.name) for agency in AGENCIES]


def _name_field(label: LazyString, required: LazyString) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired(message=required), Length(max=NAME_MAX_CHARS, message=_l("Name must be 200 characters or fewer"))],
    )


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter an email address")),
            EmailAddress(message=_l("Enter an email address in the correct format, like name@example.com")),
            Length(max=EMAIL_MAX_CHARS, message=_l("Email address must be 254 characters or fewer")),
        ],
    )


def _agency_field() -> SelectField:
    return SelectField(
        _l("Agency"),
        widget=GovSelect(),
        choices=AGENCY_CHOICES,
        description=_l("The partner agency the person speaks for on the board."),
        validators=[InputRequired(message=_l("Select an agency"))],
    )


def _role_field() -> RadioField:
    return RadioField(
        _l("Role on the board"),
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        description=_l(
            "A member rates the board for their agency. A business manager runs rounds, "
            "invites people and records the agreed ratings. An inspector reads the "
            "self-assessment and records findings."
        ),
        validators=[InputRequired(message=_l("Select a role"))],
    )


class BoardForm(FlaskForm):
    name = StringField(
        _l("Board name"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the board’s name")),
            Length(max=NAME_MAX_CHARS, message=_l("Board name must be 200 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Create board"), widget=GovSubmitInput())


class BusinessManagerForm(FlaskForm):
    name = _name_field(_l("Full name"), _l("Enter their full name"))
    email = _email_field()
    agency = _agency_field()
    submit = SubmitField(_l("Add business manager"), widget=GovSubmitInput())


class InviteForm(FlaskForm):
    name = _name_field(_l("Full name"), _l("Enter their full name"))
    email = _email_field()
    role = _role_field()
    agency = _agency_field()
    submit = SubmitField(_l("Send invitation"), widget=GovSubmitInput())


class MemberForm(FlaskForm):
    role = _role_field()
    agency = _agency_field()
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())


class AuditFilterForm(FlaskForm):
    """Read from the query string, so it changes nothing and needs no CSRF token."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), widget=GovSelect(), choices=[("", _l("All actions"))])
    submit = SubmitField(_l("Filter"), widget=GovSubmitInput())
