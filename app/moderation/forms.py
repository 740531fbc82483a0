"""The moderation form: one agreed rating, reason and cited evidence per benchmark of a domain.

Like the questionnaire's domain form, the class is built afresh for each
request from the round's framework; nothing is added to a shared class.
"""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from app.core.framework import Benchmark, Domain, Framework
from app.core.vocabulary import FLAG_RESPONSE_KINDS
from app.data.models import EvidenceItem
from app.questionnaire.forms import field_key, rating_choices
from app.web.form_fields import RegisterEvidenceField
from app.web.i18n import current_language
from app.web.labels import FLAG_RESPONSE_NAMES

RATIONALE_REQUIRED = _l("Enter the reason the agreed rating for ‘%(benchmark)s’ differs from members’ median")


def build_moderation_form(framework: Framework, domain: Domain, evidence: list[EvidenceItem], rationale_max: int, formdata=None, **kwargs):
    """A new FlaskForm subclass for moderating one domain, instantiated, in the page's language."""
    lang = current_language()
    # WTForms fills in %(max)d itself, so a literal % must be doubled.
    too_long = _("The reason must be %(max)s characters or fewer", max=format_decimal(rationale_max)).replace("%", "%%")
    fields: dict[str, object] = {}
    for benchmark in domain.benchmarks:
        key = field_key(benchmark.id)
        fields[f"{key}-rating"] = RadioField(
            _("Agreed rating for ‘%(benchmark)s’", benchmark=benchmark.title.get(lang)),
            choices=rating_choices(framework, lang),
            widget=GovRadioInput(),
            validators=[Optional()],
        )
        fields[f"{key}-rationale"] = TextAreaField(
            _("Reason for the agreed rating"),
            widget=GovCharacterCount(),
            validators=[Length(max=rationale_max, message=too_long)],
        )
        fields[f"{key}-evidence"] = RegisterEvidenceField(_("Evidence from the register that supports it"), evidence)
        fields[f"{key}-version"] = HiddenField()
    fields["save"] = SubmitField(_("Save agreed ratings"), widget=GovSubmitInput())
    form_class = type(f"ModerationForm_{domain.id}", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


def moderation_fields(form, benchmark: Benchmark):
    key = field_key(benchmark.id)
    return form[f"{key}-rating"], form[f"{key}-rationale"], form[f"{key}-evidence"], form[f"{key}-version"]


REASON_REQUIRED = _l("Enter why the rating stands despite this flag")


def flag_field_key(kind: str, subject: str) -> str:
    """A form-safe name for a flag (``'unevidenced', 'governance.3'`` -> ``'flag-unevidenced-governance_3'``)."""
    return f"flag-{kind}-{field_key(subject)}"


def build_flag_responses_form(keys: list[tuple[str, str]], flag_titles: dict[tuple[str, str], str], reason_max: int, formdata=None, **kwargs):
    """A new FlaskForm subclass with a response, a reason and a version per flag (``(kind, subject)``), instantiated."""
    too_long = _("The reason must be %(max)s characters or fewer", max=format_decimal(reason_max)).replace("%", "%%")
    choices = [(code, str(FLAG_RESPONSE_NAMES[code])) for code in FLAG_RESPONSE_KINDS]
    fields: dict[str, object] = {}
    for kind, subject in keys:
        key = flag_field_key(kind, subject)
        fields[f"{key}-response"] = RadioField(
            _("Response to ‘%(flag)s’", flag=flag_titles[(kind, subject)]),
            choices=choices,
            widget=GovRadioInput(),
            validators=[Optional()],
        )
        fields[f"{key}-reason"] = TextAreaField(
            _("Reason"),
            widget=GovCharacterCount(),
            validators=[Length(max=reason_max, message=too_long)],
        )
        fields[f"{key}-version"] = HiddenField()
    fields["save"] = SubmitField(_("Save responses"), widget=GovSubmitInput())
    form_class = type("FlagResponsesForm", (FlaskForm,), fields)
    return form_class(formdata=formdata, **kwargs)


def flag_response_fields(form, kind: str, subject: str):
    key = flag_field_key(kind, subject)
    return form[f"{key}-response"], form[f"{key}-reason"], form[f"{key}-version"]
