"""GOV.UK form fields shared by several forms (action plan, evidence register, questionnaire, moderation)."""

from __future__ import annotations

from typing import TypeAlias

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovCheckboxesInput, GovDateInput, GovSelect, GovSubmitInput
from wtforms import DateField, Field, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError

from app.core.email_address import is_email_address
from app.core.text_limits import TEXT_MAX_CHARS
from app.data.models import EvidenceItem
from app.web.agencies import AGENCIES
from app.web.i18n import long_date, today_here


def add_error(field: Field, message: Text) -> None:
    """Show ``message`` on the field (and in the page's error summary) after the form's own checks."""
    field.errors = [*field.errors, message]


def entered(field: Field) -> str:
    """What the person typed in a text field, without surrounding spaces ('' when the field was left out)."""
    return (field.data or "").strip()


# Dates outside these years are typing mistakes (e.g. "2" for "2027").
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class OptionalDate:
    """Like wtforms' Optional, but only when no part of the date was typed.

    Optional looks at the first part alone, so "_ 4 2025" (day left out) would
    be dropped without a word; here a part-typed date keeps its error. For
    the optional parts of a GovDateField.
    """

    field_flags = {"optional": True}

    def __call__(self, form, field):
        if not any((part or "").strip() for part in field.raw_data or ()):
            field.errors[:] = []
            raise StopValidation()


class GovDateField(DateField):
    """A GOV.UK day/month/year date whose error says what to enter."""

    def __init__(self, label=None, validators=None, *, invalid_message: str | LazyString, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        if not valuelist:
            # Not sent at all: treat as empty (the GOV.UK widget expects three parts or none).
            self.raw_data = None
            return
        if not any(part.strip() for part in valuelist):
            self.data = None  # nothing typed: InputRequired/Optional decide
            return
        try:
            super().process_formdata([part.strip() for part in valuelist])
        except ValueError:
            self.data = None
            raise ValueError(str(self.invalid_message)) from None
        if self.data is not None and not (EARLIEST_YEAR <= self.data.year <= LATEST_YEAR):
            self.data = None
            raise ValueError(str(self.invalid_message))


Text: TypeAlias = str | LazyString  # labels and messages: lazy when a form class is defined


def optional_date(label: Text, *, hint: Text, invalid: Text) -> GovDateField:
    """An optional GOV.UK date: left blank it is None, typed in part or wrongly it is an error (``invalid``)."""
    return GovDateField(label, description=hint, invalid_message=invalid, validators=[OptionalDate()])


class EmailAddress:
    """An email address, checked as everywhere else in the product (:mod:`app.core.email_address`). Empty is left to InputRequired."""

    def __init__(self, message: Text):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data and not is_email_address(field.data):
            raise ValidationError(str(self.message))


class NotInFuture:
    """A date that has happened: today (in Wales) or earlier. Empty dates are left to Optional/InputRequired."""

    def __init__(self, message: Text):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data is not None and field.data > today_here():
            raise ValidationError(str(self.message))


def long_text(label: Text, *, required: Text, called: Text, description: Text | None = None) -> TextAreaField:
    """A required text box of up to TEXT_MAX_CHARS characters, with a character count.

    ``required`` is the error when it is empty; ``called`` names it in the
    too-long error ("What will be done must be 2,000 characters or fewer").
    """
    return TextAreaField(
        label,
        widget=GovCharacterCount(),
        description=description or "",
        validators=[
            InputRequired(message=required),
            # Translated, and the number formatted, when the error is shown.
            Length(
                max=TEXT_MAX_CHARS,
                message=_l("%(called)s must be %(max)s characters or fewer", called=called, max=LazyString(format_decimal, TEXT_MAX_CHARS)),
            ),
        ],
    )


def agency_select(label: Text, *, required: Text, description: Text) -> SelectField:
    """A required choice of one partner agency."""
    return SelectField(
        label,
        widget=GovSelect(),
        description=description,
        choices=[("", _l("Choose an agency"))] + [(agency.id, agency.name) for agency in AGENCIES],
        validators=[InputRequired(message=required)],
    )


NOT_IN_REGISTER = _l("Select evidence from the board’s register")


class RegisterEvidenceField(SelectMultipleField):
    """Items from the board's evidence register to cite, as checkboxes; anything else is refused."""

    def __init__(self, label: Text, items: list[EvidenceItem], **kwargs):
        super().__init__(label, choices=register_choices(items), coerce=int, widget=GovCheckboxesInput(), validators=[Optional()], **kwargs)
        #: What each offered item is about (benchmark and domain ids; empty: not tagged), for the hints of
        #: components/register_checkboxes.html. Read from the page's one list of items: no query per benchmark.
        self.item_subjects: dict[int, frozenset[str]] = {item.id: frozenset(item.subject_ids) for item in items}

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = []
            raise ValueError(str(NOT_IN_REGISTER)) from None

    def pre_validate(self, form):
        offered = {value for value, _label in self.choices}
        if any(value not in offered for value in self.data or ()):
            raise ValidationError(str(NOT_IN_REGISTER))


def register_choices(items: list[EvidenceItem]) -> list[tuple[int, str]]:
    """Each register item as "Title (date)", in the page's language."""
    return [(item.id, f"{item.title} ({long_date(item.evidence_date)})") for item in items]


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token and a button, for POST actions (close a round, remove a member)."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())
