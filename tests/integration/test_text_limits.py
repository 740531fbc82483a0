"""The assessment file import holds each text to the limit its web form enforces."""

from __future__ import annotations

from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from app.admin.forms import BoardForm, BusinessManagerForm
from app.data.assessment_import import web_text_limits
from app.data.models import Action
from app.evidence.forms import EvidenceForm
from app.inspection.forms import RecommendationForm
from app.plan.forms import ActionForm
from app.rounds.forms import NewRoundForm


def form_limit(field: UnboundField) -> int:
    """The ``max`` of a form field's ``Length`` validator, as the web page applies it."""
    maxima = [v.max for v in field.kwargs.get("validators", ()) if isinstance(v, Length) and v.max >= 0]
    assert len(maxima) == 1, f"{field!r} should have one Length validator with a maximum"
    return maxima[0]


def test_each_import_limit_is_the_limit_of_the_form_a_person_types_it_in(app):
    limits = web_text_limits()
    forms = {
        "board_name": BoardForm.name,
        "round_title": NewRoundForm.title,
        "person_name": BusinessManagerForm.name,
        "email": BusinessManagerForm.email,
        "evidence_title": EvidenceForm.title,
        "evidence_impact": EvidenceForm.impact,
        "evidence_reference": EvidenceForm.reference,
        "action_description": ActionForm.description,
        "action_lead_person": ActionForm.lead_person,
        "action_success_measure": ActionForm.success_measure,
        "recommendation_text": RecommendationForm.text,
        "action_measure_value": ActionForm.baseline,
    }
    assert {name: form_limit(field) for name, field in forms.items()} == {name: limits[name] for name in forms}
    assert form_limit(ActionForm.target) == form_limit(ActionForm.latest) == limits["action_measure_value"]
    # ...and the database holds every text the form lets through.
    assert Action.baseline.type.length == Action.target.type.length == Action.latest.type.length == limits["action_measure_value"]


def test_the_long_answers_follow_the_boards_setting(app):
    app.config["SAIT_EVIDENCE_MAX_CHARS"] = 3210
    limits = web_text_limits()
    assert {limits[name] for name in ("answer_evidence", "agreed_rationale", "finding_text", "challenge_text")} == {3210}
