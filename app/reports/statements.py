"""The board's own words in its report: the business manager writes the overall statement and an analysis of
each domain, and records the board's approval (the sign-off). See app/data/report_statements.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.vocabulary import OVERALL_SUBJECT
from app.data.framework_store import framework_for_round
from app.data.report_statements import (
    StatementInput,
    report_sign_off,
    report_statements,
    save_statements,
    sign_off_report,
    statement_subjects,
    withdraw_sign_off,
)
from app.data.versioning import version_from_form
from app.reports.blueprint import bp
from app.reports.statement_forms import STATEMENT_MAX_CHARS, SignOffForm, WithdrawForm, build_statements_form, statement_field
from app.web.conflicts import show_latest_beside_typed
from app.web.form_fields import entered
from app.web.i18n import current_language, round_title
from app.web.permissions import require_round_capability


def _labels(framework, lang: str) -> dict[str, str]:
    labels = {OVERALL_SUBJECT: _("The board’s overall statement: what this self-assessment says about how well children are safeguarded")}
    for domain in framework.domains:
        labels[domain.id] = _(
            "‘%(domain)s’: what the ratings mean for children, what is working, what is not, and what the board will do", domain=domain.title.get(lang)
        )
    return labels


@bp.route("/rounds/<int:round_id>/report/statements", methods=["GET", "POST"])
@login_required
def statements(round_id: int):
    assessment_round, membership = require_round_capability(round_id, "write_report")
    framework = framework_for_round(assessment_round)
    labels = _labels(framework, current_language())
    subjects = statement_subjects(d.id for d in framework.domains)
    stored = report_statements(round_id)
    conflicts: dict = {}
    if request.method == "POST":
        form = build_statements_form(labels, formdata=request.form)
        if form.validate():
            inputs = [
                StatementInput(subject, entered(form[statement_field(subject)]), version_from_form(form[f"{statement_field(subject)}-version"].data))
                for subject in subjects
            ]
            signed_before = report_sign_off(round_id) is not None
            outcome = save_statements(assessment_round, inputs, current_user)
            if not outcome.conflicts:
                if outcome.saved:
                    withdrawn = " " + _("The board’s approval was withdrawn: the board must approve the changed report.") if signed_before else ""
                    flash(_("The board’s statements were saved.") + withdrawn, "success")
                return redirect(url_for("reports.statements", round_id=round_id))
            conflicts = show_latest_beside_typed(form, outcome.conflicts, report_statements(round_id), lambda key: f"{statement_field(key)}-version")
    else:
        form = _stored_statements_form(labels, subjects, stored)
    return _page(assessment_round, membership, framework, form, SignOffForm(), subjects, labels, conflicts)


def _stored_statements_form(labels, subjects, stored):
    """The statements form filled with what is stored (version 0 where nothing is written yet)."""
    data = {}
    for subject in subjects:
        row = stored.get(subject)
        data[statement_field(subject)] = row.text if row else ""
        data[f"{statement_field(subject)}-version"] = str(row.version) if row else "0"
    return build_statements_form(labels, data=data)


def _page(assessment_round, membership, framework, form, sign_off_form, subjects, labels, conflicts):
    return render_template(
        "reports/statements.html",
        round=assessment_round,
        membership=membership,
        framework=framework,
        statements_form=form,
        sign_off_form=sign_off_form,
        # The error summary names the fields of whichever form was sent back with errors.
        form=sign_off_form if sign_off_form.errors else form,
        withdraw_form=WithdrawForm(),
        sign_off=report_sign_off(assessment_round.id),
        subjects=subjects,
        labels=labels,
        field_for=statement_field,
        conflicts=conflicts,
        max_chars=STATEMENT_MAX_CHARS,
        page_title=_("The board’s statements: %(round)s", round=round_title(assessment_round)),
    )


@bp.post("/rounds/<int:round_id>/report/sign-off")
@login_required
def sign_off(round_id: int):
    assessment_round, membership = require_round_capability(round_id, "write_report")
    form = SignOffForm()
    if not form.validate() or form.approved_on.data is None:
        framework = framework_for_round(assessment_round)
        labels = _labels(framework, current_language())
        subjects = statement_subjects(d.id for d in framework.domains)
        statements_form = _stored_statements_form(labels, subjects, report_statements(round_id))
        return _page(assessment_round, membership, framework, statements_form, form, subjects, labels, {})
    sign_off_report(assessment_round, form.approved_on.data, entered(form.chair_name), current_user)
    flash(_("The board’s approval was recorded: the report is no longer a draft."), "success")
    return redirect(url_for("reports.statements", round_id=round_id))


@bp.post("/rounds/<int:round_id>/report/sign-off/withdraw")
@login_required
def withdraw(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "write_report")
    if WithdrawForm().validate() and withdraw_sign_off(assessment_round):
        flash(_("The board’s approval was withdrawn: the report is a draft again."), "success")
    return redirect(url_for("reports.statements", round_id=round_id))
