"""Forms for inspection findings, recommendations, the import, challenges and publication.

The findings forms are built afresh for each request from the round's
framework (one set of fields per domain or benchmark); nothing is added to a
shared class.
"""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.framework import Domain, Framework
from app.core.text_limits import TEXT_MAX_CHARS
from app.data.models import RECOMMENDATION_PRIORITIES
from app.questionnaire.forms import RatingField, field_key
from app.web.form_fields import GovDateField, NotInFuture
from app.web.i18n import current_language
from app.web.labels import PRIORITY_NAMES

#: Chosen on a benchmark to say the inspectors make no judgement of it.
NO_JUDGEMENT = "none"


class InspectionDateField(GovDateField):
    """The day, month and year boxes; a post without exactly those three is treated as a mistyped date."""

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist) != 3:
            self.raw_data = ["", "", ""]
            self.data = None
            raise ValueError(self.invalid_message)
        super().process_formdata(valuelist)


def level_choices(framework: Framework, lang: str = "en") -> list[tuple[str, str]]:
    """The scale's levels, highest first, as GOV.UK radios list them, labelled in ``lang``."""
    return [(level.id, level.label.get(lang)) for level in reversed(framework.scale.levels)]


def _text_field(label: str, too_long: str, max_chars: int) -> TextAreaField:
    """A text box with a character count; ``too_long`` is its error past ``max_chars``."""
    # WTForms formats the message again with %, so any % in it is doubled.
    return TextAreaField(label, widget=GovCharacterCount(), validators=[Length(max=max_chars, message=too_long.replace("%", "%%"))])


def _date_field() -> InspectionDateField:
    return InspectionDateField(
        _("Date of the inspection"),
        description=_("The last day of the inspection, for example 14 3 2026. Needed before the findings are published."),
        invalid_message=_("Enter the date of the inspection as a real date, like 14 3 2026"),
        validators=[Optional(), NotInFuture(_("The date of the inspection must be today or in the past"))],
    )


def build_domains_form(framework: Framework, max_chars: int, formdata=None, **kwargs):
    """The inspection date and, per domain, the judgement and summary: a new form class, instantiated.

    Built during a request, so its wording is in the page's language.
    """
    lang = current_language()
    fields: dict[str, object] = {"inspected_on": _date_field(), "inspection_version": HiddenField()}
    for domain in framework.domains:
        fields[f"{domain.id}-judgement"] = RatingField(
            _("Judgement for ‘%(domain)s’", domain=domain.title.get(lang)),
            choices=level_choices(framework, lang),
            widget=GovRadioInput(),
            validators=[Optional()],
        )
        fields[f"{domain.id}-summary"] = _text_field(
            _("Summary of the findings"), _("Summary of the findings must be %(max)s characters or fewer", max=format_decimal(max_chars)), max_chars
        )
        fields[f"{domain.id}-version"] = HiddenField()
    fields["save"] = SubmitField(_("Save findings"), widget=GovSubmitInput())
    form_class = type("InspectionDomainsForm", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


def build_overall_form(framework: Framework, max_chars: int, formdata=None, **kwargs):
    """The inspection date, the overall judgement, its summary and the inspectors' reasons: a new form class, instantiated.

    The judgement is optional while the findings are a draft; publishing needs it
    (``missing_for_publication`` in routes.py says so, naming the field).
    """
    lang = current_language()
    most = format_decimal(max_chars)
    fields: dict[str, object] = {
        "inspected_on": _date_field(),
        "inspection_version": HiddenField(),
        "overall-judgement": RatingField(
            _("Overall judgement of the board"), choices=level_choices(framework, lang), widget=GovRadioInput(), validators=[Optional()]
        ),
        "overall-summary": _text_field(
            _("Summary of the overall judgement"), _("Summary of the overall judgement must be %(max)s characters or fewer", max=most), max_chars
        ),
        "overall-reasons": _text_field(_("Reasons for the judgement"), _("Reasons for the judgement must be %(max)s characters or fewer", max=most), max_chars),
        "overall-version": HiddenField(),
        "overall_reasons-version": HiddenField(),
        "save": SubmitField(_("Save findings"), widget=GovSubmitInput()),
    }
    form_class = type("InspectionOverallForm", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


def build_benchmarks_form(framework: Framework, domain: Domain, max_chars: int, formdata=None, **kwargs):
    """Per benchmark of one domain: an optional judgement and finding: a new form class, instantiated."""
    lang = current_language()
    fields: dict[str, object] = {}
    choices = [*level_choices(framework, lang), (NO_JUDGEMENT, _("No judgement of this benchmark"))]
    for benchmark in domain.benchmarks:
        key = field_key(benchmark.id)
        fields[f"{key}-judgement"] = RatingField(
            _("Judgement for ‘%(benchmark)s’", benchmark=benchmark.title.get(lang)), choices=choices, widget=GovRadioInput(), validators=[Optional()]
        )
        fields[f"{key}-finding"] = _text_field(_("Finding"), _("Finding must be %(max)s characters or fewer", max=format_decimal(max_chars)), max_chars)
        fields[f"{key}-version"] = HiddenField()
    fields["save"] = SubmitField(_("Save findings"), widget=GovSubmitInput())
    form_class = type(f"InspectionBenchmarksForm_{domain.id}", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


def subject_choices(framework: Framework) -> list[tuple[str, str]]:
    """Every domain, each followed by its benchmarks, for linking a recommendation (in the page's language)."""
    lang = current_language()
    choices = []
    for domain in framework.domains:
        choices.append((domain.id, _("%(domain)s (the whole domain)", domain=domain.title.get(lang))))
        choices += [(b.id, f"{framework.reference(b.id)} {b.title.get(lang)}") for b in domain.benchmarks]
    return choices


class RecommendationForm(FlaskForm):
    text = TextAreaField(
        _l("Recommendation"),
        widget=GovCharacterCount(),
        description=_l("What the board should do, written for the board."),
        validators=[
            DataRequired(message=_l("Enter the recommendation")),
            Length(max=TEXT_MAX_CHARS, message=_l("Recommendation must be %(max)s characters or fewer", max=LazyString(format_decimal, TEXT_MAX_CHARS))),
        ],
    )
    priority = RadioField(
        _l("Priority"),
        widget=GovRadioInput(),
        choices=PRIORITY_NAMES.choices(RECOMMENDATION_PRIORITIES),
        validators=[InputRequired(message=_l("Select the priority of the recommendation"))],
    )
    subjects = SelectMultipleField(
        _l("What it is about"),
        widget=GovCheckboxesInput(),
        description=_l("Select the domains or benchmarks it is about, if any."),
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField(_l("Save recommendation"), widget=GovSubmitInput())


class SeenForm(FlaskForm):
    """A button for an action on what the person saw: the findings' stamp (publish) or a recommendation's version (delete)."""

    seen = HiddenField()
    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class ImportForm(SeenForm):
    """The findings file, with the stamp of the findings the inspector saw (an import replaces them)."""

    findings_file = FileField(
        _l("Upload a findings file"),
        widget=GovFileInput(),
        description=_l("A CSV or JSON file in the findings format. Importing replaces the draft findings of this round."),
        validators=[FileRequired(message=_l("Select a CSV or JSON file of findings"))],
    )
    submit = SubmitField(_l("Import findings"), widget=GovSubmitInput())


class ChallengeForm(FlaskForm):
    text = TextAreaField(
        _l("Your comment"),
        widget=GovCharacterCount(),
        validators=[DataRequired(message=_l("Enter your comment"))],
    )
    submit = SubmitField(_l("Add comment"), widget=GovSubmitInput())

    def limit(self, max_chars: int) -> ChallengeForm:
        """Cap the comment's length at ``max_chars`` (the evidence limit) for this request."""
        message = _("Your comment must be %(max)s characters or fewer", max=format_decimal(max_chars)).replace("%", "%%")
        self.text.validators = [*self.text.validators, Length(max=max_chars, message=message)]
        return self
