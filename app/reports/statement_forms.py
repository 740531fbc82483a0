"""The forms of the board's own words in its report: a statement per subject, and the sign-off."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput, GovTextInput
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.core.text_limits import NAME_MAX_CHARS, STATEMENT_MAX_CHARS
from app.web.form_fields import GovDateField, NotInFuture

__all__ = ["STATEMENT_MAX_CHARS", "SignOffForm", "WithdrawForm", "build_statements_form", "statement_field"]


def statement_field(subject: str) -> str:
    return f"statement-{subject}"


def build_statements_form(labels: dict[str, str], formdata=None, **kwargs):
    """A new form class with a text and a version per subject (``labels``: subject -> question), instantiated."""
    too_long = _("Each statement must be %(max)s characters or fewer", max=format_decimal(STATEMENT_MAX_CHARS)).replace("%", "%%")
    fields: dict[str, object] = {}
    for subject, label in labels.items():
        fields[statement_field(subject)] = TextAreaField(label, widget=GovCharacterCount(), validators=[Length(max=STATEMENT_MAX_CHARS, message=too_long)])
        fields[f"{statement_field(subject)}-version"] = HiddenField()
    fields["save"] = SubmitField(_("Save the board’s statements"), widget=GovSubmitInput())
    return type("StatementsForm", (FlaskForm,), fields)(formdata=formdata, **kwargs)


class SignOffForm(FlaskForm):
    approved_on = GovDateField(
        _l("The date the board approved the report"),
        invalid_message=_l("Enter the date the board approved the report as a real date, like 14 3 2026"),
        validators=[
            InputRequired(_l("Enter the date the board approved the report")),
            NotInFuture(_l("The date the board approved the report must be today or in the past")),
        ],
    )
    chair_name = StringField(
        _l("The chair’s name"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter the name of the chair who signs the report")),
            Length(max=NAME_MAX_CHARS, message=_l("The chair’s name must be 200 characters or fewer")),
        ],
    )
    sign_off = SubmitField(_l("Record the board’s approval"), widget=GovSubmitInput())


class WithdrawForm(FlaskForm):
    withdraw = SubmitField(_l("Withdraw the approval"), widget=GovSubmitInput())
