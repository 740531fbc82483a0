"""The moderation form: one agreed rating, reason and cited evidence per benchmark of a domain.

Like the questionnaire's domain form, the class is built afresh for each
request from the round's framework; nothing is added to a shared class.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovCheckboxesInput, GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from app.framework import Benchmark, Domain, Framework
from app.models import EvidenceItem
from app.questionnaire.forms import field_key, rating_choices
from app.templating import long_date

RATIONALE_REQUIRED = "Enter the reason the agreed rating differs from members’ median"


def evidence_choices(items: list[EvidenceItem]) -> list[tuple[int, str]]:
    return [(item.id, f"{item.title} ({long_date(item.evidence_date)})") for item in items]


def build_moderation_form(framework: Framework, domain: Domain, evidence: list[EvidenceItem], rationale_max: int, formdata=None, **kwargs):
    """A new FlaskForm subclass for moderating one domain, instantiated."""
    fields: dict[str, object] = {}
    for benchmark in domain.benchmarks:
        key = field_key(benchmark.id)
        fields[f"{key}-rating"] = RadioField(
            f"Agreed rating for ‘{benchmark.title}’",
            choices=rating_choices(framework),
            widget=GovRadioInput(),
            validators=[Optional()],
        )
        fields[f"{key}-rationale"] = TextAreaField(
            "Reason for the agreed rating",
            widget=GovCharacterCount(),
            validators=[Length(max=rationale_max, message=f"The reason must be {rationale_max:,} characters or fewer")],
        )
        fields[f"{key}-evidence"] = SelectMultipleField(
            "Evidence from the register that supports it",
            choices=evidence_choices(evidence),
            coerce=int,
            widget=GovCheckboxesInput(),
            validators=[Optional()],
        )
        fields[f"{key}-version"] = HiddenField()
    fields["save"] = SubmitField("Save agreed ratings", widget=GovSubmitInput())
    form_class = type(f"ModerationForm_{domain.id}", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


def moderation_fields(form, benchmark: Benchmark):
    key = field_key(benchmark.id)
    return form[f"{key}-rating"], form[f"{key}-rationale"], form[f"{key}-evidence"], form[f"{key}-version"]
