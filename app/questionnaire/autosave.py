"""Background saving of one answer from the domain page (JavaScript only enhances).

POST JSON {benchmark_id, rating, evidence, no_evidence_yet, version} with the
CSRF token in the X-CSRFToken header. Replies:
- 200 {saved, saved_at, version, csrf_token}
- 409 {conflict, current: {...}} when another tab or device changed it first
  (the sender's text stays on their page and is kept in the audit trail)
- 401 {signed_out, held} when the session has ended (the text is held)
- 400/403/404/422 with a message, and nothing changed.
The reply always carries a fresh CSRF token so a long sitting never fails.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import jsonify, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from app.extensions import limiter
from app.framework import Framework
from app.framework_store import framework_for_round
from app.i18n import current_language
from app.permissions import require_round_role
from app.questionnaire import bp
from app.questionnaire.data import AnswerInput, answers_by_benchmark, response_for, save_answers
from app.questionnaire.forms import NOT_APPLICABLE, NOT_KNOWN, field_key
from app.questionnaire.held import hold_typed_text
from app.questionnaire.routes import is_editable
from app.templating import LONDON, local_time


def signed_out_reply(round_id: int, domain_id: str, payload: dict):
    """Hold the text of an autosave that arrived after the session ended."""
    key = field_key(str(payload.get("benchmark_id", "")))
    hold_typed_text(
        url_for("questionnaire.domain_page", round_id=round_id, domain_id=domain_id),
        MultiDict({
            f"{key}-rating": payload.get("rating") or "",
            f"{key}-evidence": str(payload.get("evidence", "")),
            f"{key}-no_evidence_yet": "y" if payload.get("no_evidence_yet") else "",
            f"{key}-version": str(payload.get("version", "")),
        }),
    )
    return jsonify(
        signed_out=True,
        held=True,
        error=_("You have been signed out. What you typed is kept: sign in again to carry on."),
        sign_in_url=url_for("auth.login", next=url_for("questionnaire.domain_page", round_id=round_id, domain_id=domain_id)),
    ), 401


def _error(status: int, message: str):
    return jsonify(error=message, csrf_token=generate_csrf()), status


def _signed_in() -> bool:
    return current_user.is_authenticated


# Held text is stored for people who are signed out, so limit how often an
# anonymous caller can make us store it.
@bp.post("/rounds/<int:round_id>/respond/<domain_id>/autosave")
@limiter.limit("30 per minute", exempt_when=_signed_in)
def autosave(round_id: int, domain_id: str):
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _error(400, _("Send the answer as a JSON object"))
    if not current_user.is_authenticated:
        return signed_out_reply(round_id, domain_id, payload)

    assessment_round, membership = require_round_role(round_id, "member", "business_manager")
    response = response_for(assessment_round, membership)
    if response is None:
        return _error(404, _("You have not been asked to respond to this round"))
    if not is_editable(assessment_round, response):
        return _error(403, _("This response can no longer be changed"))
    framework = framework_for_round(assessment_round)
    benchmark_id = payload.get("benchmark_id")
    domain = next((d for d in framework.domains if d.id == domain_id), None)
    if domain is None or benchmark_id not in {b.id for b in domain.benchmarks}:
        return _error(404, _("No such benchmark on this page"))
    rating = payload.get("rating") or None
    allowed = {level.id for level in framework.scale.levels} | {NOT_KNOWN, NOT_APPLICABLE}
    if rating is not None and rating not in allowed:
        return _error(422, _("Select one of the ratings shown"))
    evidence = payload.get("evidence", "")
    if not isinstance(evidence, str):
        return _error(422, _("Evidence must be text"))
    evidence = evidence.strip().replace("\r\n", "\n")
    limit = _limit()
    if len(evidence) > limit:
        return _error(422, _("Evidence must be %(max)s characters or fewer", max=format_decimal(limit)))
    version = payload.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        return _error(422, _("The answer’s version is missing: reload the page"))

    item = AnswerInput(benchmark_id, rating, evidence, bool(payload.get("no_evidence_yet")) and not evidence, version)
    outcome = save_answers(response, [item], current_user, via="autosave")
    current = answers_by_benchmark(response, [benchmark_id])[benchmark_id]
    if outcome.conflicts:
        changed_by = current.updated_by.name if current.updated_by else None
        return jsonify(
            conflict=True,
            error=_("Someone changed this answer in another tab or device. Both versions are kept: check the one below and save again."),
            note=_conflict_note(framework, current.rating, current.evidence, changed_by, local_time(current.updated_at)),
            current={
                "rating": current.rating,
                "evidence": current.evidence,
                "version": current.version,
                "changed_by": changed_by,
                "changed_at": local_time(current.updated_at),
            },
            csrf_token=generate_csrf(),
        ), 409
    now = datetime.now(timezone.utc)
    saved_time = now.astimezone(LONDON).strftime("%H:%M")
    if current.updated_by:
        last_changed = _("Last changed by %(name)s at %(time)s", name=current.updated_by.name, time=local_time(current.updated_at))
    else:
        last_changed = _("Last changed by you at %(time)s", time=local_time(current.updated_at))
    return jsonify(
        saved=True,
        saved_at=local_time(now),
        saved_time=saved_time,
        saved_message=_("Saved at %(time)s", time=saved_time),
        version=current.version,
        csrf_token=generate_csrf(),
        last_changed=last_changed,
    )


def _conflict_note(framework: Framework, rating: str | None, evidence: str, changed_by: str | None, changed_at: str) -> str:
    """What the page says about the version saved elsewhere, in the page's language."""
    lang = current_language()
    scale = framework.scale
    if rating in scale.ids:
        rating_text = scale.level(rating).label.get(lang)
    elif rating == NOT_KNOWN:
        rating_text = scale.not_known.label.get(lang)
    elif rating == NOT_APPLICABLE:
        rating_text = scale.not_applicable.label.get(lang)
    else:
        rating_text = _("none")
    values = {"rating": rating_text, "evidence": evidence or _("none")}
    if changed_by:
        saved = _("Saved version (by %(name)s at %(time)s): rating ‘%(rating)s’, evidence ‘%(evidence)s’.", name=changed_by, time=changed_at, **values)
    else:
        saved = _("Saved version: rating ‘%(rating)s’, evidence ‘%(evidence)s’.", **values)
    return saved + " " + _("Your version is still in the form: change anything to save it over the saved one.")


def _limit() -> int:
    from flask import current_app

    return current_app.config["SAIT_EVIDENCE_MAX_CHARS"]
