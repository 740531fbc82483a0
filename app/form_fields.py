"""GOV.UK form fields shared by the action plan and evidence register forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovDateInput, GovSelect
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.agencies import AGENCIES

TEXT_MAX_CHARS = 2000

# Dates outside these years are typing mistakes (e.g. "2" for "2027").
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class GovDateField(DateField):
    """A GOV.UK day/month/year date whose error says what to enter."""

    def __init__(self, *args, invalid_message: str, **kwargs):
        super().__init__(*args, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        if valuelist and not any(part.strip() for part in valuelist):
            self.data = None  # nothing typed: InputRequired/Optional decide
            return
        try:
            super().process_formdata([part.strip() for part in valuelist])
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None
        if self.data is not None and not (EARLIEST_YEAR <= self.data.year <= LATEST_YEAR):
            self.data = None
            raise ValueError(self.invalid_message)


def long_text(label: str, *, required: str, called: str, description: str | None = None) -> TextAreaField:
    """A required text box of up to TEXT_MAX_CHARS characters, with a character count.

    ``required`` is the error when it is empty; ``called`` names it in the
    too-long error ("What will be done must be 2,000 characters or fewer").
    """
    return TextAreaField(
        label,
        widget=GovCharacterCount(),
        description=description,
        validators=[
            InputRequired(message=required),
            Length(max=TEXT_MAX_CHARS, message=f"{called} must be {TEXT_MAX_CHARS:,} characters or fewer"),
        ],
    )


def agency_select(label: str, *, required: str, description: str) -> SelectField:
    """A required choice of one partner agency."""
    return SelectField(
        label,
        widget=GovSelect(),
        description=description,
        choices=[("", "Choose an agency")] + [(agency.id, agency.name) for agency in AGENCIES],
        validators=[InputRequired(message=required)],
    )
