"""Background saving of one answer from the domain page (JavaScript only enhances).

POST JSON {benchmark_id, rating, evidence, no_evidence_yet, evidence_ids,
version, typed_by} with the CSRF token in the X-CSRFToken header (``typed_by``
is the page's signed owner token, used only if the session has ended). ``evidence_ids`` are
the register items the answer cites (left as stored when the key is absent).
The body is read strictly by :mod:`app.questionnaire.autosave_body`: a body
that is not a JSON object (or not JSON, too deep, a lone surrogate) is 400, a
field of the wrong type or out of range 422, never a 500.
Replies:
- 200 {saved, saved_at, version, csrf_token}
- 409 {conflict, current: {...}} when another tab or device changed it first
  (the sender's text stays on their page and is kept in the audit trail)
- 401 {signed_out, held} when the session has ended (``held``: the text was
  kept, which needs the page's owner token, see app/questionnaire/held.py)
- 429 when someone not signed in has sent too many (app/web/anonymous_writes.py)
- 400/403/404/422 with a message, and nothing changed.
The reply always carries a fresh CSRF token so a long sitting never fails.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response as FlaskResponse
from flask import jsonify, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from app.core.framework import Framework
from app.data.evidence import register_ids
from app.data.framework_store import framework_for_round
from app.data.models import Answer
from app.data.questionnaire import AnswerInput, answers_by_benchmark, is_editable, response_for, save_answers
from app.questionnaire.autosave_body import AutosaveBody, BodyProblem, parse_autosave_body
from app.questionnaire.blueprint import bp
from app.questionnaire.forms import NOT_APPLICABLE, NOT_KNOWN, field_key, without_nul
from app.questionnaire.held import hold_typed_text
from app.web.anonymous_writes import anonymous_write_allowed
from app.web.errors import render_error
from app.web.form_fields import NOT_IN_REGISTER
from app.web.i18n import LONDON, current_language, local_time
from app.web.permissions import require_round_capability


def read_body() -> tuple[AutosaveBody, None] | tuple[None, tuple[FlaskResponse, int]]:
    """The request's body as an :class:`AutosaveBody`, or the reply refusing it (400 or 422, nothing changed)."""
    if not request.is_json:
        return None, _error(400, _("Send the answer as a JSON object"))
    try:
        return parse_autosave_body(request.get_data(cache=True)), None
    except BodyProblem as problem:
        if problem.field is None:
            return None, _error(400, _("Send the answer as a JSON object"))
        return None, _error(422, _problem_message(problem))


def _problem_message(problem: BodyProblem) -> str:
    """What the person is told about the first field at fault, in the page's language."""
    if problem.field == "version":
        return _("The answer’s version is missing: reload the page")
    if problem.field == "evidence_ids":
        return str(NOT_IN_REGISTER)
    if problem.field == "evidence":
        if problem.kind == "string_too_long":
            return _("Evidence must be %(max)s characters or fewer", max=format_decimal(_limit()))
        return _("Evidence must be text")
    if problem.field == "rating":
        return _("Select one of the ratings shown")
    if problem.field == "benchmark_id":
        return _("No such benchmark on this page")
    return _("Send the answer as a JSON object")


def signed_out_reply(round_id: int, domain_id: str, body: AutosaveBody):
    """Hold the text of an autosave that arrived after the session ended (if its owner token allows), and say 401."""
    key = field_key(body.benchmark_id)
    page = url_for("questionnaire.domain_page", round_id=round_id, domain_id=domain_id)
    cites = [str(i) for i in body.evidence_ids] if body.evidence_ids is not None else []
    fields = MultiDict(
        [
            (f"{key}-rating", body.rating or ""),
            (f"{key}-evidence", body.evidence),
            (f"{key}-no_evidence_yet", "y" if body.no_evidence_yet else ""),
            *((f"{key}-cites", i) for i in cites),
            (f"{key}-version", str(body.version)),
        ]
    )
    held = hold_typed_text(round_id, domain_id, fields, body.typed_by)
    if held:
        message = _("You have been signed out. What you typed is kept: sign in again to carry on.")
    else:
        message = _("You have been signed out, so this answer was not saved. Sign in again, then enter it again.")
    return jsonify(signed_out=True, held=held, error=message, sign_in_url=url_for("auth.login", next=page)), 401


def _error(status: int, message: str):
    return jsonify(error=message, csrf_token=generate_csrf()), status


@bp.post("/rounds/<int:round_id>/respond/<domain_id>/autosave")
def autosave(round_id: int, domain_id: str):
    # Held text is stored for people who are signed out, so an anonymous
    # caller has a budget (app/web/anonymous_writes.py), checked first.
    if not anonymous_write_allowed():
        return render_error(429)
    body, refusal = read_body()
    if body is None:
        return refusal
    if not current_user.is_authenticated:
        return signed_out_reply(round_id, domain_id, body)

    assessment_round, membership = require_round_capability(round_id, "respond")
    response = response_for(assessment_round, membership)
    if response is None:
        return _error(404, _("You have not been asked to respond to this round"))
    if not is_editable(assessment_round, response):
        return _error(403, _("This response can no longer be changed"))
    framework = framework_for_round(assessment_round)
    benchmark_id = body.benchmark_id
    domain = next((d for d in framework.domains if d.id == domain_id), None)
    if domain is None or benchmark_id not in {b.id for b in domain.benchmarks}:
        return _error(404, _("No such benchmark on this page"))
    rating = body.rating or None
    allowed = {level.id for level in framework.scale.levels} | {NOT_KNOWN, NOT_APPLICABLE}
    if rating is not None and rating not in allowed:
        return _error(422, _("Select one of the ratings shown"))
    evidence = without_nul(body.evidence).strip().replace("\r\n", "\n")
    limit = _limit()
    if len(evidence) > limit:
        return _error(422, _("Evidence must be %(max)s characters or fewer", max=format_decimal(limit)))
    version = body.version
    cites = None if body.evidence_ids is None else frozenset(body.evidence_ids)
    if cites is not None and register_ids(assessment_round.board_id, set(cites)) != cites:
        return _error(422, str(NOT_IN_REGISTER))

    no_evidence_yet = body.no_evidence_yet and not evidence and not cites
    item = AnswerInput(benchmark_id, rating, evidence, no_evidence_yet, version, evidence_ids=cites)
    name = current_user.name  # read now: the save's commit expires what was loaded
    outcome = save_answers(response, [item], current_user, board_id=assessment_round.board_id, via="autosave")
    if outcome.conflicts:
        return _conflict_reply(framework, answers_by_benchmark(response, [benchmark_id])[benchmark_id])
    now = datetime.now(UTC)
    saved_time = now.astimezone(LONDON).strftime("%H:%M")
    reply = {
        "saved": True,
        "saved_at": local_time(now),
        "saved_time": saved_time,
        "saved_message": _("Saved at %(time)s", time=saved_time),
        "version": outcome.versions[benchmark_id],
        "csrf_token": generate_csrf(),
    }
    if benchmark_id in outcome.saved:
        # Saved just now by this person; nothing to read back.
        reply["last_changed"] = _("Last changed by %(name)s at %(time)s", name=name, time=local_time(now))
    return jsonify(reply)


def _conflict_reply(framework: Framework, current: Answer):
    """409: someone else's save got there first; their version, for the page to show beside this person's."""
    changed_by = current.updated_by.name if current.updated_by else None
    return jsonify(
        conflict=True,
        error=_("Someone changed this answer in another tab or device. Both versions are kept: check the one below and save again."),
        note=_conflict_note(framework, current, changed_by),
        current={
            "rating": current.rating,
            "evidence": current.evidence,
            "evidence_ids": sorted(current.cited_ids),
            "version": current.version,
            "changed_by": changed_by,
            "changed_at": local_time(current.updated_at),
        },
        csrf_token=generate_csrf(),
    ), 409


def _conflict_note(framework: Framework, saved: Answer, changed_by: str | None) -> str:
    """What the page says about the version saved elsewhere, in the page's language."""
    rating = _("none") if saved.rating is None else framework.scale.label(saved.rating, current_language())
    values = {"rating": rating, "evidence": saved.evidence or _("none")}
    if changed_by:
        note = _(
            "Saved version (by %(name)s at %(time)s): rating ‘%(rating)s’, evidence ‘%(evidence)s’.",
            name=changed_by,
            time=local_time(saved.updated_at),
            **values,
        )
    else:
        note = _("Saved version: rating ‘%(rating)s’, evidence ‘%(evidence)s’.", **values)
    if saved.cited:
        note += " " + _("The saved version cites from the register: %(items)s.", items="; ".join(item.title for item in saved.cited))
    return note + " " + _("Your version is still in the form: change anything to save it over the saved one.")


def _limit() -> int:
    from flask import current_app

    return current_app.config["SAIT_EVIDENCE_MAX_CHARS"]
