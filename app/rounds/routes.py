"""Business manager views: open a round, follow progress, close, reopen a response (the rounds blueprint)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.data.audit import record
from app.data.carry_forward import CarriedAnswers, carry_forward_answers
from app.data.framework_store import current_framework, framework_for_round, pin_current_framework
from app.data.questionnaire import (
    board_memberships,
    create_response,
    create_round,
    response_for,
    round_progress,
    round_response,
    rounds_for_board,
)
from app.rounds.blueprint import bp
from app.rounds.forms import NewRoundForm
from app.web.agencies import statutory_agencies
from app.web.form_fields import ConfirmForm, entered
from app.web.i18n import current_language, round_title
from app.web.permissions import can, require_board_capability, require_round_capability, roles_with


@bp.route("/boards/<int:board_id>/rounds/new", methods=["GET", "POST"])
@login_required
def new_round(board_id: int):
    membership = require_board_capability(board_id, "manage_rounds")
    framework = current_framework()
    lang = current_language()
    # The framework's target is the lowest a board may aim for: it can raise it, never lower it.
    floor_rank = framework.scale.ids.index(framework.target_level)
    targets = [level for level in reversed(framework.scale.levels) if framework.scale.ids.index(level.id) >= floor_rank]
    form = NewRoundForm(
        lowest_target=framework.scale.level(framework.target_level).label.get(lang),
        allowed_targets=tuple(level.id for level in targets),
    )
    form.target_level.choices = [(level.id, level.label.get(lang)) for level in targets]
    candidates = board_memberships(board_id, roles_with("respond"))
    form.invitees.choices = [(m.id, f"{m.user.name} ({_agency(m.agency)})") for m in candidates]
    previous = rounds_for_board(board_id)
    if not form.is_submitted():
        form.target_level.data = framework.target_level
        form.invitees.data = [m.id for m in candidates if m.role == "member"]
    if form.validate_on_submit():
        pinned = pin_current_framework()
        assessment_round = create_round(
            board_id,
            pinned.id,
            title=entered(form.title),
            title_cy=entered(form.title_cy) or None,
            deadline=form.deadline.data,
            target_level=form.target_level.data,
            opened_by=current_user,
        )
        invited = [m for m in candidates if m.id in set(form.invitees.data or ())]
        for invited_membership in invited:
            create_response(assessment_round, invited_membership, framework)
        carried = None
        if form.carry_forward.data and previous:
            carried = carry_forward_answers(previous[0], assessment_round, current_user)
        record(
            "round_opened",
            board_id=board_id,
            object_type="round",
            object_id=assessment_round.id,
            detail={
                "title": assessment_round.title,
                "framework_version": pinned.version,
                "invited": len(invited),
                "carried_forward": carried.copied if carried else 0,
            },
        )
        flash(
            ngettext(
                "Round ‘%(round)s’ is open. %(num)d member has been asked to respond.",
                "Round ‘%(round)s’ is open. %(num)d members have been asked to respond.",
                len(invited),
                round=assessment_round.title,
            ),
            "success",
        )
        if carried is not None:
            _flash_not_carried(carried)
        return redirect(url_for("rounds.round_page", round_id=assessment_round.id))
    return render_template(
        "rounds/new_round.html",
        form=form,
        membership=membership,
        framework=framework,
        has_previous=bool(previous),
        page_title=_("Open a self-assessment round"),
    )


def _flash_not_carried(carried: CarriedAnswers) -> None:
    """Say which answers could not be carried into a round on another framework version, and which benchmarks are new."""
    if carried.retired:
        flash(
            ngettext(
                "Version %(version)s retired %(num)d benchmark the last round answered, so its answers were not carried forward: %(ids)s.",
                "Version %(version)s retired %(num)d benchmarks the last round answered, so their answers were not carried forward: %(ids)s.",
                len(carried.retired),
                version=carried.version_after,
                ids=", ".join(carried.retired),
            ),
            "info",
        )
    if carried.new:
        flash(
            ngettext(
                "%(num)d benchmark is new in version %(version)s, so members answer it afresh: %(ids)s.",
                "%(num)d benchmarks are new in version %(version)s, so members answer them afresh: %(ids)s.",
                len(carried.new),
                version=carried.version_after,
                ids=", ".join(carried.new),
            ),
            "info",
        )


def _agency(agency_id: str) -> str:
    from app.web.agencies import agency_name

    return agency_name(agency_id)


@bp.get("/rounds/<int:round_id>")
@login_required
def round_page(round_id: int):
    assessment_round, membership = require_round_capability(round_id, "read_board")
    framework = framework_for_round(assessment_round)
    own_response = response_for(assessment_round, membership)
    progress = round_progress(assessment_round) if can(membership, "manage_rounds") else None
    missing_statutory = None
    if progress is not None:
        submitted = {p.response.agency for p in progress if p.response.status == "submitted"}
        missing_statutory = [a for a in statutory_agencies(assessment_round.board) if a not in submitted]
    return render_template(
        "rounds/round.html",
        round=assessment_round,
        membership=membership,
        framework=framework,
        own_response=own_response,
        progress=progress,
        total=len(framework.benchmarks),
        missing_statutory=missing_statutory,
        confirm_form=ConfirmForm(),
        page_title=round_title(assessment_round),
    )


@bp.post("/rounds/<int:round_id>/close")
@login_required
def close_round(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "manage_rounds")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if assessment_round.status != "open":
        flash(_("This round is already closed."), "info")
    else:
        assessment_round.status = "closed"
        assessment_round.closed_at = datetime.now(UTC)
        record("round_closed", board_id=assessment_round.board_id, object_type="round", object_id=round_id)
        flash(_("The round is closed. Members can no longer change their answers."), "success")
    return redirect(url_for("rounds.round_page", round_id=round_id))


@bp.post("/rounds/<int:round_id>/reopen")
@login_required
def reopen_round(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "manage_rounds")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if assessment_round.status == "closed":
        assessment_round.status = "open"
        assessment_round.closed_at = None
        record("round_reopened", board_id=assessment_round.board_id, object_type="round", object_id=round_id)
        flash(_("The round is open again for members’ answers."), "success")
    return redirect(url_for("rounds.round_page", round_id=round_id))


@bp.post("/rounds/<int:round_id>/responses/<int:response_id>/reopen")
@login_required
def reopen_response(round_id: int, response_id: int):
    assessment_round, _membership = require_round_capability(round_id, "manage_rounds")
    response = round_response(assessment_round.id, response_id)
    if response is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if response.status == "submitted":
        response.status = "in_progress"
        response.submitted_at = None
        record(
            "response_reopened",
            board_id=assessment_round.board_id,
            object_type="response",
            object_id=response.id,
            detail={"member": response.membership.user.name},
        )
        flash(_("%(name)s’s response is open again for changes.", name=response.membership.user.name), "success")
    return redirect(url_for("rounds.round_page", round_id=round_id))
