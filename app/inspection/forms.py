"""Forms for inspection findings, recommendations, the import, challenges and publication.

The findings forms are built afresh for each request from the round's
framework (one set of fields per domain or benchmark); nothing is added to a
shared class.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import HiddenField, RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.framework import Domain, Framework
from app.models import RECOMMENDATION_PRIORITIES
from app.plan.forms import GovDateField
from app.questionnaire.forms import RatingField, field_key

#: Chosen on a benchmark to say the inspectors make no judgement of it.
NO_JUDGEMENT = "none"
PRIORITY_NAMES: dict[str, str] = {"immediate": "Immediate", "improvement": "Improvement"}
PRIORITY_HINTS: dict[str, str] = {
    "immediate": "Children may be at risk: the board must act now.",
    "improvement": "The board should act to improve, as part of its plan.",
}
assert set(PRIORITY_NAMES) == set(RECOMMENDATION_PRIORITIES)


class InspectionDateField(GovDateField):
    """The day, month and year boxes; a post without exactly those three is treated as a mistyped date."""

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist) != 3:
            self.raw_data = ["", "", ""]
            self.data = None
            raise ValueError(self.invalid_message)
        super().process_formdata(valuelist)


def level_choices(framework: Framework) -> list[tuple[str, str]]:
    """The scale's levels, highest first, as GOV.UK radios list them."""
    return [(level.id, level.label.get()) for level in reversed(framework.scale.levels)]


def _text_field(label: str, max_chars: int, **kwargs) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovCharacterCount(),
        validators=[Length(max=max_chars, message=f"{label} must be {max_chars:,} characters or fewer"), *kwargs.pop("validators", [])],
        **kwargs,
    )


def build_domains_form(framework: Framework, max_chars: int, formdata=None, **kwargs):
    """The inspection date and, per domain, the judgement and summary: a new form class, instantiated."""
    fields: dict[str, object] = {
        "inspected_on": InspectionDateField(
            "Date of the inspection",
            description="The last day of the inspection, for example 14 3 2026. Needed before the findings are published.",
            invalid_message="Enter the date of the inspection as a real date, like 14 3 2026",
            validators=[Optional()],
        ),
        "inspection_version": HiddenField(),
    }
    for domain in framework.domains:
        fields[f"{domain.id}-judgement"] = RatingField(
            f"Judgement for ‘{domain.title.get()}’", choices=level_choices(framework), widget=GovRadioInput(), validators=[Optional()]
        )
        fields[f"{domain.id}-summary"] = _text_field("Summary of the findings", max_chars)
        fields[f"{domain.id}-version"] = HiddenField()
    fields["save"] = SubmitField("Save findings", widget=GovSubmitInput())
    form_class = type("InspectionDomainsForm", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


def build_benchmarks_form(framework: Framework, domain: Domain, max_chars: int, formdata=None, **kwargs):
    """Per benchmark of one domain: an optional judgement and finding: a new form class, instantiated."""
    fields: dict[str, object] = {}
    choices = [*level_choices(framework), (NO_JUDGEMENT, "No judgement of this benchmark")]
    for benchmark in domain.benchmarks:
        key = field_key(benchmark.id)
        fields[f"{key}-judgement"] = RatingField(
            f"Judgement for ‘{benchmark.title.get()}’", choices=choices, widget=GovRadioInput(), validators=[Optional()]
        )
        fields[f"{key}-finding"] = _text_field("Finding", max_chars)
        fields[f"{key}-version"] = HiddenField()
    fields["save"] = SubmitField("Save findings", widget=GovSubmitInput())
    form_class = type(f"InspectionBenchmarksForm_{domain.id}", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


def subject_choices(framework: Framework) -> list[tuple[str, str]]:
    """Every domain, each followed by its benchmarks, for linking a recommendation."""
    choices = []
    for domain in framework.domains:
        choices.append((domain.id, f"{domain.title.get()} (the whole domain)"))
        choices += [(b.id, f"{b.id}: {b.title.get()}") for b in domain.benchmarks]
    return choices


class RecommendationForm(FlaskForm):
    text = TextAreaField(
        "Recommendation",
        widget=GovCharacterCount(),
        description="What the board should do, written for the board.",
        validators=[DataRequired(message="Enter the recommendation"), Length(max=2000, message="Recommendation must be 2,000 characters or fewer")],
    )
    priority = RadioField(
        "Priority",
        widget=GovRadioInput(),
        choices=[(p, PRIORITY_NAMES[p]) for p in RECOMMENDATION_PRIORITIES],
        validators=[InputRequired(message="Select the priority of the recommendation")],
    )
    subjects = SelectMultipleField(
        "What it is about",
        widget=GovCheckboxesInput(),
        description="Select the domains or benchmarks it is about, if any.",
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save recommendation", widget=GovSubmitInput())


class SeenForm(FlaskForm):
    """A button for an action on what the person saw: the findings' stamp (publish) or a recommendation's version (delete)."""

    seen = HiddenField()
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ImportForm(SeenForm):
    """The findings file, with the stamp of the findings the inspector saw (an import replaces them)."""

    findings_file = FileField(
        "Upload a findings file",
        widget=GovFileInput(),
        description="A CSV or JSON file in the findings format. Importing replaces the draft findings of this round.",
        validators=[FileRequired(message="Select a CSV or JSON file of findings")],
    )
    submit = SubmitField("Import findings", widget=GovSubmitInput())


class ChallengeForm(FlaskForm):
    text = TextAreaField(
        "Your comment",
        widget=GovCharacterCount(),
        validators=[DataRequired(message="Enter your comment")],
    )
    submit = SubmitField("Add comment", widget=GovSubmitInput())

    def limit(self, max_chars: int) -> ChallengeForm:
        """Cap the comment's length at ``max_chars`` (the evidence limit) for this request."""
        self.text.validators = [*self.text.validators, Length(max=max_chars, message=f"Your comment must be {max_chars:,} characters or fewer")]
        return self
