"""The evidence item form, with the rule for references (web addresses are http or https only)."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from app.core.framework import Framework
from app.core.text_limits import NAME_MAX_CHARS, REFERENCE_MAX_CHARS
from app.core.vocabulary import EVIDENCE_KINDS
from app.web.form_fields import GovDateField, agency_select, long_text, optional_date
from app.web.labels import EVIDENCE_KIND_NAMES

# A scheme followed by "//", or one of these schemes, makes a reference a web address.
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*)\s*:")
_ADDRESS_SCHEMES = {"javascript", "vbscript", "data", "file", "blob", "about", "ftp", "mailto", "http", "https"}
REFERENCE_ERROR = _l(
    "Enter a web address that starts with http:// or https://, or a document reference such as ‘Board minutes, 12 March 2026, item 4’"
)


def reference_problem(reference: str) -> str | None:
    """Why a reference is refused (in the page's language), or None if it is fine.

    A reference is either a document reference (any text) or a web address.
    Anything that looks like a web address (``scheme://...`` or a known
    scheme such as ``javascript:``) must be an http or https address with a
    host. Where one is shown, a whole http(s) address is a link and anything else
    is text (app/core/links.py, web_address).
    """
    text = reference.strip()
    if not text:
        return None
    if any(ord(char) < 32 for char in text):
        return str(REFERENCE_ERROR)
    match = _SCHEME.match(text)
    if match is None:
        return None
    scheme = match.group(1).lower()
    rest = text[match.end():]
    if not rest.startswith("//") and scheme not in _ADDRESS_SCHEMES:
        return None  # "Ref: QA/2026/4" is a document reference, not an address
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in text):
        return str(REFERENCE_ERROR)
    return None


def subject_ids(framework: Framework) -> list[str]:
    """Every domain id followed by its benchmark ids, in the framework's order."""
    return [subject for domain in framework.domains for subject in (domain.id, *(b.id for b in domain.benchmarks))]


def subject_groups(framework: Framework, lang: str) -> list[dict]:
    """The domains in order, each with its title and its benchmarks labelled "1.3 Title" (for the form's checkboxes)."""
    return [
        {
            "id": domain.id,
            "title": f"{n}. {domain.title.get(lang)}",
            "benchmarks": [(b.id, f"{n}.{b.number} {b.title.get(lang)}") for b in domain.benchmarks],
        }
        for n, domain in enumerate(framework.domains, start=1)
    ]


def subject_labels(framework: Framework, lang: str) -> dict[str, str]:
    """What the register shows for each subject id: "1.3 Title" for a benchmark, "1. Title: the whole domain" for a domain."""
    labels: dict[str, str] = {}
    for group in subject_groups(framework, lang):
        labels[group["id"]] = _("%(domain)s: the whole domain", domain=group["title"])
        labels.update(group["benchmarks"])
    return labels


class EvidenceForm(FlaskForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        description=_l("For example, ‘Multi-agency audit of neglect cases, March 2026’"),
        validators=[
            InputRequired(message=_l("Enter a title for the evidence")),
            Length(max=NAME_MAX_CHARS, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    source_agency = agency_select(
        _l("Source agency"), required=_l("Select the agency the evidence comes from"), description=_l("The agency the evidence comes from.")
    )
    evidence_date = GovDateField(
        _l("Date of the evidence"),
        description=_l("For example, 12 3 2026"),
        invalid_message=_l("Date of the evidence must be a real date, like 12 3 2026"),
        validators=[InputRequired(message=_l("Enter the date of the evidence"))],
    )
    impact = long_text(
        _l("What it shows about the difference for children"),
        required=_l("Enter what the evidence shows about the difference made for children"),
        called=_l("What it shows"),
        description=_l("Say what changed for children and young people, not only what was done."),
    )
    reference = StringField(
        _l("Reference (optional)"),
        widget=GovTextInput(),
        description=_l("A web address starting with https://, or where to find the document."),
        validators=[Length(max=REFERENCE_MAX_CHARS, message=_l("Reference must be %(max)s characters or fewer", max=REFERENCE_MAX_CHARS))],
    )
    subjects = SelectMultipleField(
        _l("What it is about"),
        choices=[],  # the framework's domains and benchmarks: see offer_subjects
        validate_choice=False,  # validate_subjects refuses anything else, in the page's language
        validators=[InputRequired(message=_l("Select at least one benchmark or domain the evidence is about"))],
    )
    kind = RadioField(
        _l("Kind of evidence"),
        choices=EVIDENCE_KIND_NAMES.choices(EVIDENCE_KINDS),
        validate_choice=False,
        validators=[InputRequired(message=_l("Select the kind of evidence"))],
    )
    period_start = optional_date(
        _l("Start of the period it covers (optional)"),
        hint=_l("For example, 1 4 2025"),
        invalid=_l("Start of the period must be a real date, like 1 4 2025"),
    )
    period_end = optional_date(
        _l("End of the period it covers (optional)"),
        hint=_l("For example, 31 3 2026"),
        invalid=_l("End of the period must be a real date, like 31 3 2026"),
    )
    version = HiddenField()
    submit = SubmitField(_l("Save evidence"), widget=GovSubmitInput())

    def offer_subjects(self, framework: Framework) -> None:
        """Offer the framework's domains and benchmarks as what the item can be about."""
        self.subjects.choices = [(subject_id, subject_id) for subject_id in subject_ids(framework)]

    def validate_subjects(self, field):
        offered = {value for value, _label in field.choices or ()}
        if any(value not in offered for value in field.data or ()):
            raise ValidationError(_("Select benchmarks or domains from the list"))

    def validate_kind(self, field):
        if field.data not in EVIDENCE_KINDS:
            raise ValidationError(_("Select the kind of evidence"))

    def validate_period_end(self, field):
        if field.data is None:
            return
        if field.data > date.today():
            raise ValidationError(_("End of the period must be today or in the past"))
        start = self.period_start.data
        if start is not None and field.data < start:
            raise ValidationError(_("End of the period must be the same as or after the start"))

    def validate_evidence_date(self, field):
        if field.data is not None and field.data > date.today():
            raise ValidationError(_("Date of the evidence must be today or in the past"))

    def validate_reference(self, field):
        problem = reference_problem(field.data or "")
        if problem:
            raise ValidationError(problem)
