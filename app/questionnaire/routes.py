"""Member views: task list, one page per domain, check your answers, submit."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import MultiDict

from app.core.framework import Domain, Framework
from app.core.rigour import needs_evidence
from app.data.audit import record
from app.data.evidence import register_items
from app.data.framework_store import framework_for_round
from app.data.models import Answer, AssessmentRound, Response
from app.data.questionnaire import AnswerInput, answers_by_benchmark, is_editable, response_for, save_answers
from app.data.versioning import version_from_form
from app.questionnaire.autosave import read_body, signed_out_reply
from app.questionnaire.blueprint import bp
from app.questionnaire.forms import (
    benchmark_fields,
    build_domain_form,
    field_key,
)
from app.questionnaire.held import FIELD_PARTS, OWNER_FIELD, hold_typed_text, owner_token, take_held_text
from app.web.anonymous_writes import anonymous_write_allowed
from app.web.conflicts import show_latest_beside_typed
from app.web.errors import form_too_large, render_error
from app.web.form_fields import ConfirmForm
from app.web.i18n import current_language, local_time, round_title
from app.web.permissions import require_round_capability

log = logging.getLogger("sait.security")

# Endpoints whose typed text is held when the session or token has expired.
HOLDING_ENDPOINTS = {"questionnaire.domain_page"}


@bp.errorhandler(CSRFError)
def keep_typed_text_on_csrf_failure(error: CSRFError):
    """An expired token must not lose a member's answers: hold them, then sign in."""
    # The view's own limit never runs when the token is refused first.
    if not anonymous_write_allowed():
        return render_error(429)
    if form_too_large():
        return render_error(413)
    log.warning("CSRF failure on %s: %s", request.path, error.description)
    if request.endpoint == "questionnaire.autosave":
        body, refusal = read_body()
        if body is None:
            return refusal
        where = request.view_args or {}
        return signed_out_reply(where["round_id"], where["domain_id"], body)
    if request.endpoint in HOLDING_ENDPOINTS and request.method == "POST":
        kept = _("Your session had expired, so your answers were not saved yet. We have kept what you typed: sign in to carry on.")
        if _hold_form(kept):
            return redirect(url_for("auth.login", next=request.path))
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
    return render_error(400, _("The form had expired. Go back, reload the page and try again."))


def _hold_form(kept_message: str) -> bool:
    """Hold the posted domain form for the person its owner token names; say what happened."""
    args = request.view_args or {}
    if hold_typed_text(args["round_id"], args["domain_id"], request.form, request.form.get(OWNER_FIELD)):
        flash(kept_message, "info")
        return True
    if not current_user.is_authenticated:
        flash(_("You were signed out, so your answers were not saved. Sign in, then enter them again."), "info")
    return False


def _respondent_context(round_id: int) -> tuple[AssessmentRound, Response, Framework]:
    assessment_round, membership = require_round_capability(round_id, "respond")
    response = response_for(assessment_round, membership)
    if response is None:
        abort(404)
    return assessment_round, response, framework_for_round(assessment_round)


def _domain_or_404(framework: Framework, domain_id: str) -> Domain:
    for domain in framework.domains:
        if domain.id == domain_id:
            return domain
    abort(404)


def domain_status(domain: Domain, answers: dict[str, Answer]) -> tuple[str, int]:
    answered = sum(1 for b in domain.benchmarks if answers[b.id].rating is not None)
    if answered == 0:
        return "not_started", 0
    if answered == len(domain.benchmarks):
        return "completed", answered
    return "in_progress", answered


@bp.get("/rounds/<int:round_id>/respond")
@login_required
def task_list(round_id: int):
    assessment_round, response, framework = _respondent_context(round_id)
    answers = answers_by_benchmark(response)
    statuses = {d.id: domain_status(d, answers) for d in framework.domains}
    return render_template(
        "questionnaire/task_list.html",
        round=assessment_round,
        response=response,
        framework=framework,
        statuses=statuses,
        editable=is_editable(assessment_round, response),
        page_title=_("Your self-assessment: %(round)s", round=round_title(assessment_round)),
    )


def _inputs_from_form(form, domain: Domain) -> list[AnswerInput]:
    inputs = []
    for benchmark in domain.benchmarks:
        fields = benchmark_fields(form, benchmark)
        text = (fields.evidence.data or "").strip().replace("\r\n", "\n")
        cites = frozenset(fields.cites.data or ())
        inputs.append(
            AnswerInput(
                benchmark_id=benchmark.id,
                rating=fields.rating.data or None,
                evidence=text,
                no_evidence_yet=bool(fields.no_evidence_yet.data) and not text and not cites,
                version=version_from_form(fields.version.data),
                evidence_ids=cites,
            )
        )
    return inputs


def _require_evidence(form, framework: Framework, domain: Domain) -> bool:
    """A rating at or above the evidence level needs words, an item from the register, or "no evidence yet"."""
    ok = True
    lang = current_language()
    for benchmark in domain.benchmarks:
        fields = benchmark_fields(form, benchmark)
        given = (fields.evidence.data or "").strip() or fields.cites.data or fields.no_evidence_yet.data
        if needs_evidence(framework, fields.rating.data) and not given:
            message = _(
                "Enter the evidence for your rating of ‘%(rating)s’ for ‘%(benchmark)s’, choose it from the board’s register, or select ‘No evidence yet’",
                rating=framework.scale.level(fields.rating.data).label.get(lang),
                benchmark=benchmark.title.get(lang),
            )
            fields.evidence.errors = list(fields.evidence.errors) + [message]
            ok = False
    return ok


def _initial_data(domain: Domain, answers: dict[str, Answer]) -> dict[str, object]:
    data: dict[str, object] = {}
    for benchmark in domain.benchmarks:
        answer = answers[benchmark.id]
        key = field_key(benchmark.id)
        data[f"{key}-rating"] = answer.rating
        data[f"{key}-evidence"] = answer.evidence
        data[f"{key}-no_evidence_yet"] = answer.no_evidence_yet
        data[f"{key}-cites"] = sorted(answer.cited_ids)
        data[f"{key}-version"] = str(answer.version)
    return data


def _restored_formdata(domain: Domain, answers: dict[str, Answer], held: MultiDict) -> MultiDict:
    """The page's form with held text: each benchmark the held text has, as typed; the others as stored."""
    formdata: MultiDict[str, str] = MultiDict()
    for benchmark in domain.benchmarks:
        key = field_key(benchmark.id)
        if any(name.startswith(f"{key}-") for name in held):
            for name in (f"{key}-{part}" for part in FIELD_PARTS):
                for value in held.getlist(name):
                    formdata.add(name, value)
            continue
        answer = answers[benchmark.id]
        if answer.rating is not None:
            formdata.add(f"{key}-rating", answer.rating)
        formdata.add(f"{key}-evidence", answer.evidence)
        if answer.no_evidence_yet:
            formdata.add(f"{key}-no_evidence_yet", "y")
        for item_id in sorted(answer.cited_ids):
            formdata.add(f"{key}-cites", str(item_id))
        formdata.add(f"{key}-version", str(answer.version))
    return formdata


def _next_domain(framework: Framework, domain: Domain) -> Domain | None:
    ids = [d.id for d in framework.domains]
    index = ids.index(domain.id)
    return framework.domains[index + 1] if index + 1 < len(ids) else None


@bp.route("/rounds/<int:round_id>/respond/<domain_id>", methods=["GET", "POST"])
def domain_page(round_id: int, domain_id: str):
    if not current_user.is_authenticated:
        # Signed out (idle or absolute timeout) while typing: keep the text.
        if request.method == "POST":
            if not anonymous_write_allowed():
                return render_error(429)
            _hold_form(_("You were signed out, so your answers were not saved yet. We have kept what you typed: sign in to carry on."))
        return redirect(url_for("auth.login", next=request.path))
    assessment_round, response, framework = _respondent_context(round_id)
    domain = _domain_or_404(framework, domain_id)
    answers = answers_by_benchmark(response)
    editable = is_editable(assessment_round, response)
    evidence_max = _evidence_max()
    register = register_items(assessment_round.board_id)
    conflicts: dict[str, Answer] = {}
    restored = False

    if request.method == "POST":
        form = build_domain_form(framework, domain, evidence_max, register, formdata=request.form)
        if not editable:
            flash(_("Your answers can no longer be changed: the response is submitted or the round is closed."), "info")
            return redirect(url_for("questionnaire.task_list", round_id=round_id))
        valid = form.validate()
        if valid and form.save_continue.data:
            valid = _require_evidence(form, framework, domain)
        if valid:
            outcome = save_answers(response, _inputs_from_form(form, domain), current_user, board_id=assessment_round.board_id, via="form")
            if outcome.conflicts:
                conflicts = show_latest_beside_typed(form, outcome.conflicts, answers_by_benchmark(response), lambda b: f"{field_key(b)}-version")
            else:
                saved_at = local_time(datetime.now(UTC))
                if form.save_later.data:
                    flash(
                        _("Your answers were saved at %(time)s. You can come back to them at any time before the deadline.", time=saved_at),
                        "success",
                    )
                    return redirect(url_for("questionnaire.task_list", round_id=round_id))
                flash(_("Your answers for ‘%(domain)s’ were saved at %(time)s.", domain=domain.title.get(current_language()), time=saved_at), "success")
                following = _next_domain(framework, domain)
                if following is None:
                    return redirect(url_for("questionnaire.check_answers", round_id=round_id))
                return redirect(url_for("questionnaire.domain_page", round_id=round_id, domain_id=following.id))
    else:
        held = take_held_text(request.path) if editable else None
        if held is not None:
            form = build_domain_form(framework, domain, evidence_max, register, formdata=_restored_formdata(domain, answers, held))
            # Versions from the held form are kept, so a change made meanwhile
            # shows as a conflict instead of being overwritten.
            restored = True
        else:
            form = build_domain_form(framework, domain, evidence_max, register, data=_initial_data(domain, answers))

    return render_template(
        "questionnaire/domain.html",
        round=assessment_round,
        response=response,
        framework=framework,
        domain=domain,
        form=form,
        answers=answers,
        editable=editable,
        conflicts=conflicts,
        restored=restored,
        evidence_max=evidence_max,
        register=register,
        owner_token=owner_token(),
        field_key=field_key,
        benchmark_fields=benchmark_fields,
        page_title=domain.title.get(current_language()),
    )


def _evidence_max() -> int:
    from flask import current_app

    return current_app.config["SAIT_EVIDENCE_MAX_CHARS"]


def answer_problems(framework: Framework, answers: dict[str, Answer], round_id: int) -> list[dict]:
    """What stops a response being submitted, as GOV.UK error-summary items."""
    problems = []
    lang = current_language()
    scale = framework.scale
    for domain in framework.domains:
        for benchmark in domain.benchmarks:
            answer = answers[benchmark.id]
            href = url_for("questionnaire.domain_page", round_id=round_id, domain_id=domain.id) + f"#{field_key(benchmark.id)}-rating"
            title = benchmark.title.get(lang)
            if answer.rating is None:
                text = _(
                    "Select how well the board meets ‘%(benchmark)s’, or ‘%(not_known)s’ or ‘%(not_applicable)s’",
                    benchmark=title,
                    not_known=scale.not_known.label.get(lang),
                    not_applicable=scale.not_applicable.label.get(lang),
                )
                problems.append({"text": text, "href": href})
            elif needs_evidence(framework, answer.rating) and not answer.has_evidence and not answer.no_evidence_yet:
                text = _(
                    "Enter the evidence for your rating of ‘%(benchmark)s’, choose it from the board’s register, or say you have no evidence yet",
                    benchmark=title,
                )
                problems.append({"text": text, "href": href.replace("-rating", "-evidence")})
    return problems


@bp.route("/rounds/<int:round_id>/respond/check", methods=["GET", "POST"])
@login_required
def check_answers(round_id: int):
    assessment_round, response, framework = _respondent_context(round_id)
    answers = answers_by_benchmark(response)
    problems = answer_problems(framework, answers, round_id)
    form = ConfirmForm()
    editable = is_editable(assessment_round, response)
    if request.method == "POST":
        if not editable:
            flash(_("This response has already been submitted or the round is closed."), "info")
            return redirect(url_for("questionnaire.task_list", round_id=round_id))
        if form.validate_on_submit() and not problems:
            response.status = "submitted"
            response.submitted_at = datetime.now(UTC)
            record("response_submitted", board_id=assessment_round.board_id, object_type="response", object_id=response.id, detail={"round": round_id})
            return redirect(url_for("questionnaire.submitted", round_id=round_id))
    return render_template(
        "questionnaire/check.html",
        round=assessment_round,
        response=response,
        framework=framework,
        answers=answers,
        error_list=problems if (request.method == "POST" or request.args.get("show_problems")) else None,
        problems=problems,
        unevidenced=_rated_high_without_evidence(framework, answers),
        form=form,
        editable=editable,
        field_key=field_key,
        page_title=_("Check your answers"),
    )


def _rated_high_without_evidence(framework, answers) -> list:
    """The benchmarks rated at or above the framework's evidence level with no evidence at all (no words, no register item).

    Such ratings count one level lower in the board's results (docs/scoring.md), so the member is told before submitting.
    """
    scale = framework.scale
    floor = scale.level(framework.evidence_level).score
    found = []
    for benchmark in framework.benchmarks:
        answer = answers[benchmark.id]
        rating = answer.rating
        if rating in scale.ids and scale.level(rating).score >= floor and not (answer.evidence or "").strip() and not answer.cited:
            found.append(benchmark)
    return found


@bp.get("/rounds/<int:round_id>/respond/submitted")
@login_required
def submitted(round_id: int):
    assessment_round, response, _framework = _respondent_context(round_id)
    if response.status != "submitted":
        return redirect(url_for("questionnaire.task_list", round_id=round_id))
    return render_template(
        "questionnaire/submitted.html", round=assessment_round, response=response, page_title=_("Self-assessment submitted")
    )
