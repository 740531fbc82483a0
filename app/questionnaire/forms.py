"""Forms for rounds and for the domain pages of the questionnaire.

A domain page's form class is built afresh for each request from the
framework the round pinned: one set of fields per benchmark. Nothing is ever
added to a shared class.
"""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovSubmitInput,
)
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError

from app.core.framework import Benchmark, Domain, Framework
from app.data.models import EvidenceItem
from app.web.form_fields import RegisterEvidenceField
from app.web.i18n import current_language

NOT_KNOWN = "not_known"
NOT_APPLICABLE = "not_applicable"


class RatingField(RadioField):
    """Radios for a rating, with a GOV.UK message for a value that is not offered."""

    def pre_validate(self, form):
        if self.data and self.data not in {value for value, _ in self.choices}:
            raise ValidationError(_("Select one of the ratings shown"))


#: The largest version a row can have (PostgreSQL's ``integer``).
MAX_VERSION = 2**31 - 1


def version_in_range(value: str | None) -> bool:
    """Whether a form's version is empty, or ASCII digits no larger than MAX_VERSION.

    Checked before ``int()``: a 5,000-digit number is refused by Python and
    one past the integer column by the database (both a 500 otherwise).
    """
    if not value:
        return True
    return value.isascii() and value.isdigit() and len(value) <= len(str(MAX_VERSION)) and int(value) <= MAX_VERSION


class VersionField(HiddenField):
    """The version an answer had when the page was shown: whole digits that fit the database, or empty."""

    def __init__(self, *args, invalid_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        if not version_in_range(self.data):
            raise ValidationError(self.invalid_message)


def without_nul(text):
    """Text without NUL characters, which nobody types and PostgreSQL cannot store in text."""
    return text.replace("\x00", "") if isinstance(text, str) else text


def field_key(benchmark_id: str) -> str:
    """A form-safe name for a benchmark id ('governance.3' -> 'governance_3')."""
    return benchmark_id.replace(".", "_")


def rating_choices(framework: Framework, lang: str = "en") -> list[tuple[str, str]]:
    """The ratings to offer, highest first, then "not known" and "not applicable", labelled in ``lang``."""
    scale = framework.scale
    choices = [(level.id, level.label.get(lang)) for level in reversed(scale.levels)]
    choices.append((NOT_KNOWN, scale.not_known.label.get(lang)))
    choices.append((NOT_APPLICABLE, scale.not_applicable.label.get(lang)))
    return choices


def build_domain_form(framework: Framework, domain: Domain, evidence_max: int, register: list[EvidenceItem], formdata=None, **kwargs):
    """A new FlaskForm subclass for one domain page, instantiated, in the page's language.

    ``register`` is the board's evidence register: each answer can cite its items.
    """
    lang = current_language()
    fields: dict[str, object] = {}
    for benchmark in domain.benchmarks:
        key = field_key(benchmark.id)
        fields[f"{key}-rating"] = RatingField(
            benchmark.question.get(lang),
            choices=rating_choices(framework, lang),
            validators=[Optional()],
        )
        too_long = _(
            "Evidence for ‘%(benchmark)s’ must be %(max)s characters or fewer",
            benchmark=benchmark.title.get(lang),
            max=format_decimal(evidence_max),
        )
        fields[f"{key}-evidence"] = TextAreaField(
            _("Evidence for your rating"),
            widget=GovCharacterCount(),
            filters=[without_nul],
            # WTForms fills in %(max)d itself, so a literal % must be doubled.
            validators=[Length(max=evidence_max, message=too_long.replace("%", "%%"))],
        )
        fields[f"{key}-no_evidence_yet"] = BooleanField(
            _("No evidence yet: I will add it later"),
            widget=GovCheckboxInput(),
        )
        fields[f"{key}-cites"] = RegisterEvidenceField(_("Evidence from the board’s register"), register)
        fields[f"{key}-version"] = VersionField(
            invalid_message=_(
                "Reload the page and try again: the form for ‘%(benchmark)s’ was changed before it was sent",
                benchmark=benchmark.title.get(lang),
            )
        )
    fields["save_continue"] = SubmitField(_("Save and continue"), widget=GovSubmitInput())
    fields["save_later"] = SubmitField(_("Save and come back later"), widget=GovSubmitInput())
    form_class = type(f"DomainForm_{domain.id}", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


class BenchmarkFields(NamedTuple):
    """The fields of one benchmark on a domain form."""

    rating: Field
    evidence: Field
    no_evidence_yet: Field
    cites: Field
    version: Field


def benchmark_fields(form, benchmark: Benchmark) -> BenchmarkFields:
    key = field_key(benchmark.id)
    return BenchmarkFields(
        form[f"{key}-rating"],
        form[f"{key}-evidence"],
        form[f"{key}-no_evidence_yet"],
        form[f"{key}-cites"],
        form[f"{key}-version"],
    )
