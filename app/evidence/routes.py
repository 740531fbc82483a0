"""Evidence register views: everyone on the board reads it; the business manager keeps it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.data.evidence import EvidenceFields, create_item, item_on_board, register, update_item
from app.data.framework_store import current_framework
from app.data.models import EvidenceItem
from app.data.versioning import version_from_form
from app.evidence.blueprint import bp
from app.evidence.forms import EvidenceForm, subject_groups, subject_labels
from app.web.form_fields import entered
from app.web.i18n import current_language
from app.web.labels import EVIDENCE_KIND_HINTS, EVIDENCE_KIND_NAMES
from app.web.permissions import can, require_board_capability


@bp.get("/boards/<int:board_id>/evidence")
@login_required
def register_page(board_id: int):
    membership = require_board_capability(board_id, "read_board")
    framework = current_framework()
    return render_template(
        "evidence/register.html",
        membership=membership,
        board=membership.board,
        entries=register(board_id, [b.id for b in framework.benchmarks]),
        can_edit=can(membership, "edit_evidence"),
        framework=framework,
        benchmark_titles={b.id: b.title.get(current_language()) for b in framework.benchmarks},
        subject_labels=subject_labels(framework, current_language()),
        kind_names=EVIDENCE_KIND_NAMES,
        page_title=_("Evidence register"),
    )


def _fields(form: EvidenceForm) -> EvidenceFields:
    assert form.evidence_date.data is not None, "the form requires a date"
    return EvidenceFields(
        title=entered(form.title),
        source_agency=form.source_agency.data,
        evidence_date=form.evidence_date.data,
        impact=entered(form.impact).replace("\r\n", "\n"),
        reference=(form.reference.data or "").strip(),
        kind=form.kind.data,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        subject_ids=tuple(form.subjects.data or ()),
    )


def _form_page(board, form: EvidenceForm, conflict: EvidenceItem | None, page_title: str):
    return render_template(
        "evidence/item_form.html",
        board=board,
        form=form,
        conflict=conflict,
        subject_groups=subject_groups(current_framework(), current_language()),
        kind_hints=EVIDENCE_KIND_HINTS,
        page_title=page_title,
    )


@bp.route("/boards/<int:board_id>/evidence/new", methods=["GET", "POST"])
@login_required
def new_item(board_id: int):
    membership = require_board_capability(board_id, "edit_evidence")
    form = EvidenceForm()
    form.offer_subjects(current_framework())
    if form.validate_on_submit():
        item = create_item(board_id, _fields(form), current_user)
        flash(_("‘%(title)s’ was added to the evidence register.", title=item.title), "success")
        return redirect(url_for("evidence.register_page", board_id=board_id))
    return _form_page(membership.board, form, None, _("Add evidence"))


@bp.route("/boards/<int:board_id>/evidence/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(board_id: int, item_id: int):
    membership = require_board_capability(board_id, "edit_evidence")
    item = item_on_board(board_id, item_id)
    if item is None:
        abort(404)
    form = EvidenceForm(obj=None if request.method == "POST" else item)
    form.offer_subjects(current_framework())
    if request.method != "POST":
        form.subjects.data = item.subject_ids
    conflict: EvidenceItem | None = None
    if form.validate_on_submit():
        version = version_from_form(form.version.data)
        if update_item(item, _fields(form), version, current_user):
            flash(_("The evidence was saved."), "success")
            return redirect(url_for("evidence.register_page", board_id=board_id))
        conflict = item_on_board(board_id, item_id)
        form.version.data = str(conflict.version) if conflict else "0"
    return _form_page(membership.board, form, conflict, _("Change evidence"))
