"""Forms for boards, board members, invitations and the audit trail filter."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from app.agencies import AGENCIES
from app.auth.forms import strip
from app.models.accounts import ROLE_NAMES

# Member first: it is what most invitations are for.
ROLE_CHOICES = [(role, ROLE_NAMES[role]) for role in ("member", "business_manager", "inspector")]
AGENCY_CHOICES = [("", "Select an agency")] + [(agency.id, agency.name) for agency in AGENCIES]


def _name_field(label: str, required: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired(message=required), Length(max=200, message="Name must be 200 characters or fewer")],
    )


def _email_field() -> EmailField:
    return EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter an email address"),
            Email(message="Enter an email address in the correct format, like name@example.com", check_deliverability=False),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )


def _agency_field() -> SelectField:
    return SelectField(
        "Agency",
        widget=GovSelect(),
        choices=AGENCY_CHOICES,
        description="The partner agency the person speaks for on the board.",
        validators=[InputRequired(message="Select an agency")],
    )


def _role_field() -> RadioField:
    return RadioField(
        "Role on the board",
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        description=(
            "A member rates the board for their agency. A business manager runs rounds, "
            "invites people and records the agreed ratings. An inspector reads the "
            "self-assessment and records findings."
        ),
        validators=[InputRequired(message="Select a role")],
    )


class BoardForm(FlaskForm):
    name = StringField(
        "Board name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter the board’s name"),
            Length(max=200, message="Board name must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Create board", widget=GovSubmitInput())


class BusinessManagerForm(FlaskForm):
    name = _name_field("Full name", "Enter their full name")
    email = _email_field()
    agency = _agency_field()
    submit = SubmitField("Add business manager", widget=GovSubmitInput())


class InviteForm(FlaskForm):
    name = _name_field("Full name", "Enter their full name")
    email = _email_field()
    role = _role_field()
    agency = _agency_field()
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class MemberForm(FlaskForm):
    role = _role_field()
    agency = _agency_field()
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A confirmation that only needs the CSRF token (removing a member)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class AuditFilterForm(FlaskForm):
    """Read from the query string, so it changes nothing and needs no CSRF token."""

    class Meta:
        csrf = False

    action = SelectField("Action", widget=GovSelect(), choices=[("", "All actions")])
    submit = SubmitField("Filter", widget=GovSubmitInput())
