"""Action plan views: everyone on the board reads it; the business manager writes it."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.data.framework_store import framework_for_round
from app.data.models import Action
from app.data.moderation import round_picture
from app.data.plan import (
    ActionFields,
    action_in_round,
    action_progress,
    carried_from,
    carry_open_actions,
    create_action,
    newer_rounds,
    round_actions,
    uncovered_gaps,
    update_action,
)
from app.data.versioning import version_from_form
from app.plan.blueprint import bp
from app.plan.forms import ActionForm, CarryActionsForm
from app.web.form_fields import entered
from app.web.i18n import current_language, round_title
from app.web.labels import ACTION_STATUS_CLASSES, ACTION_STATUS_NAMES, MEASURE_ABOUT_NAMES
from app.web.permissions import can, require_round_capability


def _carry_form(assessment_round, targets) -> CarryActionsForm:
    form = CarryActionsForm()
    form.target_round.choices = [(r.id, r.title) for r in targets]
    if len(targets) == 1 and not form.is_submitted():
        form.target_round.data = targets[0].id
    return form


@bp.get("/rounds/<int:round_id>/actions")
@login_required
def actions(round_id: int):
    assessment_round, membership = require_round_capability(round_id, "read_board")
    picture = round_picture(assessment_round, current_language())
    score = picture.score()
    plan = round_actions(round_id)
    can_edit = can(membership, "edit_plan")
    targets = newer_rounds(assessment_round) if can_edit else []
    return render_template(
        "plan/actions.html",
        round=assessment_round,
        membership=membership,
        picture=picture,
        framework=picture.framework,
        score=score,
        actions=plan,
        uncovered=uncovered_gaps(score, plan),
        benchmark_titles={b.id: b.title.get(current_language()) for b in picture.framework.benchmarks},
        can_edit=can_edit,
        carry_form=_carry_form(assessment_round, targets) if targets else None,
        has_open=any(action.status != "done" for action in plan),
        carried=carried_from(plan),
        progress={action.id: action_progress(action, date.today()) for action in plan},
        measure_about_names=MEASURE_ABOUT_NAMES,
        today=date.today(),
        status_names=ACTION_STATUS_NAMES,
        status_classes=ACTION_STATUS_CLASSES,
        page_title=_("Action plan: %(round)s", round=round_title(assessment_round)),
    )


def _fields(form: ActionForm) -> ActionFields:
    assert form.due_date.data is not None, "the form requires a date"
    return ActionFields(
        description=entered(form.description),
        owner_agency=form.owner_agency.data,
        lead_person=entered(form.lead_person),
        due_date=form.due_date.data,
        success_measure=entered(form.success_measure),
        status=form.status.data,
        benchmark_ids=tuple(form.benchmarks.data or ()),
        domain_id=form.domain_id.data or None,
        measure_about=form.measure_about.data or None,
        baseline=entered(form.baseline) or None,
        baseline_on=form.baseline_on.data,
        target=entered(form.target) or None,
        target_by=form.target_by.data,
        latest=entered(form.latest) or None,
        latest_on=form.latest_on.data,
    )


@bp.route("/rounds/<int:round_id>/actions/new", methods=["GET", "POST"])
@login_required
def new_action(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "edit_plan")
    framework = framework_for_round(assessment_round)
    form = ActionForm(framework, creating=True, today=date.today())
    if not form.is_submitted():
        form.benchmarks.data = request.args.getlist("benchmark")
        form.domain_id.data = request.args.get("domain", "")
    if form.validate_on_submit():
        create_action(assessment_round, _fields(form), current_user)
        flash(_("The action was added to the plan."), "success")
        return redirect(url_for("plan.actions", round_id=round_id))
    return render_template(
        "plan/action_form.html",
        round=assessment_round,
        form=form,
        action=None,
        conflict=None,
        page_title=_("Add an action"),
    )


@bp.route("/rounds/<int:round_id>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(round_id: int, action_id: int):
    assessment_round, _membership = require_round_capability(round_id, "edit_plan")
    action = action_in_round(round_id, action_id)
    if action is None:
        abort(404)
    framework = framework_for_round(assessment_round)
    form = ActionForm(framework, creating=False, today=date.today(), obj=None if request.method == "POST" else action)
    conflict: Action | None = None
    if not form.is_submitted():
        form.benchmarks.data = action.benchmark_ids
        form.domain_id.data = action.domain_id or ""
        form.version.data = str(action.version)
    if form.validate_on_submit():
        version = version_from_form(form.version.data)
        if update_action(action, _fields(form), version, current_user):
            flash(_("The action was saved."), "success")
            return redirect(url_for("plan.actions", round_id=round_id))
        conflict = action_in_round(round_id, action_id)
        form.version.data = str(conflict.version) if conflict else "0"
    return render_template(
        "plan/action_form.html",
        round=assessment_round,
        form=form,
        action=action,
        conflict=conflict,
        status_names=ACTION_STATUS_NAMES,
        page_title=_("Change an action"),
    )


@bp.post("/rounds/<int:round_id>/actions/carry")
@login_required
def carry_actions(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "edit_plan")
    targets = newer_rounds(assessment_round)
    form = _carry_form(assessment_round, targets)
    if not targets or not form.validate_on_submit():
        flash(_("Select a newer round of this board to carry the open actions into."), "info")
        return redirect(url_for("plan.actions", round_id=round_id))
    target = next(r for r in targets if r.id == form.target_round.data)
    carried = carry_open_actions(assessment_round, target, framework_for_round(target), current_user)
    copied = carried.copied
    if copied:
        message = ngettext(
            "%(num)d open action was carried into ‘%(round)s’.", "%(num)d open actions were carried into ‘%(round)s’.", copied, round=target.title
        )
        flash(message, "success")
    else:
        flash(_("There were no open actions left to carry into ‘%(round)s’.", round=target.title), "info")
    if carried.retired:
        # The target round is on a framework version without these benchmarks: say so rather than drop the links unseen.
        flash(
            ngettext(
                "Links to %(ids)s were not carried: version %(version)s of the framework has retired that benchmark.",
                "Links to %(ids)s were not carried: version %(version)s of the framework has retired those benchmarks.",
                len(carried.retired),
                version=framework_for_round(target).version,
                ids=", ".join(carried.retired),
            ),
            "info",
        )
    return redirect(url_for("plan.actions", round_id=target.id))
