"""Inspection findings: inspectors record, import and publish them; the board reads them once published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.findings_file import (
    FindingsFileError,
    RecommendationInput,
    read_findings_file,
)
from app.core.framework import Domain, Framework
from app.core.vocabulary import OVERALL_REASONS_SUBJECT, OVERALL_SUBJECT
from app.data.challenge import challenge_threads
from app.data.framework_store import framework_for_round
from app.data.inspection import (
    FindingEdit,
    RoundFindings,
    findings_stamp,
    import_findings,
    publish,
    return_to_draft,
    round_findings,
    save_findings,
    save_inspection_date,
    start_inspection,
)
from app.data.models import AssessmentRound, Finding, Inspection, Membership, Recommendation
from app.data.recommendations import add_recommendation, delete_recommendation, recommendation_in_round, update_recommendation
from app.data.versioning import version_from_form
from app.inspection.blueprint import bp
from app.inspection.forms import (
    NO_JUDGEMENT,
    ImportForm,
    RecommendationForm,
    SeenForm,
    build_benchmarks_form,
    build_domains_form,
    build_overall_form,
    subject_choices,
)
from app.questionnaire.forms import field_key
from app.web.conflicts import show_latest_beside_typed
from app.web.i18n import current_language, round_title
from app.web.labels import PRIORITY_HINTS, PRIORITY_NAMES
from app.web.permissions import can, require_round_capability

#: The largest findings file accepted (SAIT_FINDINGS_MAX_BYTES overrides it).
MAX_FILE_BYTES = 1_000_000


def _max_chars() -> int:
    return current_app.config["SAIT_EVIDENCE_MAX_CHARS"]


def _domain_or_404(framework: Framework, domain_id: str) -> Domain:
    try:
        return framework.domain(domain_id)
    except KeyError:
        abort(404)


def _refuse_if_published(findings: RoundFindings, round_id: int):
    """A redirect back to the findings when they are published (they must go back to draft to change)."""
    if findings.is_published:
        flash(_("The findings are published, so they cannot be changed. Return them to draft first."), "info")
        return redirect(url_for("inspection.findings", round_id=round_id))
    return None


@dataclass
class _InspectionContext:
    """What an inspection view works on: the round, the user's membership of its board and the round's findings."""

    round: AssessmentRound
    membership: Membership
    current: RoundFindings

    @cached_property
    def framework(self) -> Framework:
        # Loaded on first use: returning findings to draft and deleting a recommendation do not need it.
        return framework_for_round(self.round)


def _inspection_context(round_id: int, capability: str) -> _InspectionContext:
    """The round and its findings, for a user whose role on the round's board has ``capability``.

    Checked by :func:`app.web.permissions.require_round_capability`: 404 if there is no such
    round, refused as that function refuses a user without ``capability``.
    """
    assessment_round, membership = require_round_capability(round_id, capability)
    return _InspectionContext(assessment_round, membership, round_findings(round_id))


def _inspectors_page(round_id: int):
    """For the pages that change findings: the round, its framework, its findings, and a redirect when a post may not change them."""
    page = _inspection_context(round_id, "record_findings")
    refused = _refuse_if_published(page.current, round_id) if request.method == "POST" else None
    return page.round, page.framework, page.current, refused


@bp.get("/rounds/<int:round_id>/inspection")
@login_required
def findings(round_id: int):
    return _render_findings(_inspection_context(round_id, "read_board"))


def _render_findings(page: _InspectionContext, error_list: list[dict] | None = None):
    """The findings page; ``error_list`` (GOV.UK error summary items) when publishing was refused."""
    # Those who record the findings see them, and what publication still needs, while they are a draft.
    records = can(page.membership, "record_findings")
    return render_template(
        "inspection/findings.html",
        round=page.round,
        membership=page.membership,
        framework=page.framework,
        current=page.current,
        visible=records or page.current.is_published,
        missing=missing_for_publication(page.framework, page.current, page.round.id) if records else [],
        stamp_form=SeenForm(seen=findings_stamp(page.current)),
        delete_form=SeenForm(),
        threads=challenge_threads(page.round.id) if can(page.membership, "read_challenge_threads") else {},
        priority_names=PRIORITY_NAMES,
        error_list=error_list or [],
        page_title=_("Inspection findings: %(round)s", round=round_title(page.round)),
    )


def _domain_initial(framework: Framework, current: RoundFindings) -> dict:
    inspection = current.inspection
    data: dict = {
        "inspected_on": inspection.inspected_on if inspection else None,
        "inspection_version": str(inspection.version if inspection else 0),
    }
    for domain in framework.domains:
        found = current.findings.get(domain.id)
        data[f"{domain.id}-judgement"] = found.level if found else None
        data[f"{domain.id}-summary"] = found.text if found else ""
        data[f"{domain.id}-version"] = str(found.version if found else 0)
    return data


def _clean(text: str | None) -> str:
    return (text or "").strip().replace("\r\n", "\n")


def _after_save(outcome_conflicts: list[str], round_id: int, message: str):
    if outcome_conflicts:
        return None
    flash(message, "success")
    return redirect(url_for("inspection.findings", round_id=round_id))


def missing_for_publication(framework: Framework, findings: RoundFindings, round_id: int) -> list[tuple[str, str]]:
    """What must be added before the findings can be published: (link to the field, message) pairs, in the page's language.

    The date and the overall judgement with its summary are needed; domain and
    benchmark judgements are optional, but a domain given a judgement needs its summary.
    """
    lang = current_language()
    overall_page = url_for("inspection.edit_overall", round_id=round_id)
    domains_page = url_for("inspection.edit_judgements", round_id=round_id)
    missing = []
    if findings.inspection is None or findings.inspection.inspected_on is None:
        missing.append((f"{overall_page}#inspected_on", _("Enter the date of the inspection")))
    overall = findings.findings.get(OVERALL_SUBJECT)
    if overall is None or overall.level is None:
        missing.append((f"{overall_page}#overall-judgement", _("Select the overall judgement of the board")))
    if overall is None or not overall.text:
        missing.append((f"{overall_page}#overall-summary", _("Enter the summary of the overall judgement")))
    for domain in framework.domains:
        found = findings.findings.get(domain.id)
        if found is not None and found.level is not None and not found.text:
            title = domain.title.get(lang)
            missing.append((f"{domains_page}#{domain.id}-summary", _("Enter the summary of the findings for ‘%(domain)s’", domain=title)))
    return missing


def _save_date(assessment_round: AssessmentRound, form) -> tuple[Inspection, bool | None]:
    """The round's inspection (started if need be) and whether the form's date was saved (see ``save_inspection_date``)."""
    inspection = start_inspection(assessment_round, current_user)
    version = version_from_form(form.inspection_version.data)
    if version == 0 and inspection.version == 1 and inspection.inspected_on is None:
        version = 1  # there was no inspection when the form was loaded; it has just been started
    return inspection, save_inspection_date(inspection, form.inspected_on.data, version, current_user)


def _save_with_date(assessment_round: AssessmentRound, form, current: RoundFindings, edits: list[FindingEdit], saved: str):
    """Save the form's inspection date and ``edits``: (the response to send, or None, then the findings,
    conflicts and date conflict to show the form again with)."""
    inspection, date_saved = _save_date(assessment_round, form)
    outcome = save_findings(inspection, edits, current.findings, current_user)
    if date_saved is not False and (done := _after_save(outcome.conflicts, assessment_round.id, saved)):
        return done, current, {}, None
    current = round_findings(assessment_round.id)
    conflicts = show_latest_beside_typed(form, outcome.conflicts, current.findings, lambda subject_id: f"{subject_id}-version")
    date_conflict = None
    if date_saved is False and current.inspection is not None:
        date_conflict = current.inspection
        form.inspection_version.data = str(current.inspection.version)
    return None, current, conflicts, date_conflict


def _overall_initial(current: RoundFindings) -> dict:
    inspection = current.inspection
    overall = current.findings.get(OVERALL_SUBJECT)
    reasons = current.findings.get(OVERALL_REASONS_SUBJECT)
    return {
        "inspected_on": inspection.inspected_on if inspection else None,
        "inspection_version": str(inspection.version if inspection else 0),
        "overall-judgement": overall.level if overall else None,
        "overall-summary": overall.text if overall else "",
        "overall-reasons": reasons.text if reasons else "",
        "overall-version": str(overall.version if overall else 0),
        "overall_reasons-version": str(reasons.version if reasons else 0),
    }


def _reasons(text: str | None) -> str:
    """The reasons one a line, as typed, without blank lines or spaces around them."""
    return "\n".join(line.strip() for line in _clean(text).splitlines() if line.strip())


@bp.route("/rounds/<int:round_id>/inspection/overall", methods=["GET", "POST"])
@login_required
def edit_overall(round_id: int):
    assessment_round, framework, current, refused = _inspectors_page(round_id)
    if refused:
        return refused
    conflicts: dict[str, Finding] = {}
    date_conflict = None
    if request.method == "POST":
        form = build_overall_form(framework, _max_chars(), formdata=request.form)
        if form.validate():
            edits = [
                FindingEdit(
                    OVERALL_SUBJECT,
                    form["overall-judgement"].data or None,
                    _clean(form["overall-summary"].data),
                    version_from_form(form["overall-version"].data),
                ),
                FindingEdit(
                    OVERALL_REASONS_SUBJECT, None, _reasons(form["overall-reasons"].data), version_from_form(form["overall_reasons-version"].data)
                ),
            ]
            done, current, conflicts, date_conflict = _save_with_date(
                assessment_round, form, current, edits, _("The inspection date and overall judgement were saved.")
            )
            if done:
                return done
    else:
        form = build_overall_form(framework, _max_chars(), data=_overall_initial(current))
    return render_template(
        "inspection/edit_overall.html",
        round=assessment_round,
        framework=framework,
        form=form,
        current=current,
        conflicts=conflicts,
        date_conflict=date_conflict,
        max_chars=_max_chars(),
        page_title=_("Inspection date and overall judgement"),
    )


@bp.route("/rounds/<int:round_id>/inspection/judgements", methods=["GET", "POST"])
@login_required
def edit_judgements(round_id: int):
    assessment_round, framework, current, refused = _inspectors_page(round_id)
    if refused:
        return refused
    conflicts: dict[str, Finding] = {}
    date_conflict = None
    if request.method == "POST":
        form = build_domains_form(framework, _max_chars(), formdata=request.form)
        if form.validate():
            edits = [
                FindingEdit(d.id, form[f"{d.id}-judgement"].data or None, _clean(form[f"{d.id}-summary"].data), version_from_form(form[f"{d.id}-version"].data))
                for d in framework.domains
            ]
            done, current, conflicts, date_conflict = _save_with_date(
                assessment_round, form, current, edits, _("The inspection date and domain judgements were saved.")
            )
            if done:
                return done
    else:
        form = build_domains_form(framework, _max_chars(), data=_domain_initial(framework, current))
    return render_template(
        "inspection/edit_judgements.html",
        round=assessment_round,
        framework=framework,
        form=form,
        current=current,
        conflicts=conflicts,
        date_conflict=date_conflict,
        max_chars=_max_chars(),
        page_title=_("Inspection date and domain judgements"),
    )


def _benchmark_initial(domain: Domain, current: RoundFindings) -> dict:
    data: dict = {}
    for benchmark in domain.benchmarks:
        key = field_key(benchmark.id)
        found = current.findings.get(benchmark.id)
        data[f"{key}-judgement"] = (found.level or NO_JUDGEMENT) if found else None
        data[f"{key}-finding"] = found.text if found else ""
        data[f"{key}-version"] = str(found.version if found else 0)
    return data


@bp.route("/rounds/<int:round_id>/inspection/benchmarks/<domain_id>", methods=["GET", "POST"])
@login_required
def benchmark_findings(round_id: int, domain_id: str):
    assessment_round, framework, current, refused = _inspectors_page(round_id)
    domain = _domain_or_404(framework, domain_id)
    if refused:
        return refused
    conflicts: dict[str, Finding] = {}
    if request.method == "POST":
        form = build_benchmarks_form(framework, domain, _max_chars(), formdata=request.form)
        if form.validate():
            inspection = start_inspection(assessment_round, current_user)
            edits = []
            for benchmark in domain.benchmarks:
                key = field_key(benchmark.id)
                level = form[f"{key}-judgement"].data
                edits.append(
                    FindingEdit(
                        benchmark.id,
                        None if level in (None, "", NO_JUDGEMENT) else level,
                        _clean(form[f"{key}-finding"].data),
                        version_from_form(form[f"{key}-version"].data),
                    )
                )
            outcome = save_findings(inspection, edits, current.findings, current_user)
            saved = _("Findings on the benchmarks of ‘%(domain)s’ were saved.", domain=domain.title.get(current_language()))
            if done := _after_save(outcome.conflicts, round_id, saved):
                return done
            current = round_findings(round_id)
            conflicts = show_latest_beside_typed(form, outcome.conflicts, current.findings, lambda subject_id: f"{field_key(subject_id)}-version")
    else:
        form = build_benchmarks_form(framework, domain, _max_chars(), data=_benchmark_initial(domain, current))
    return render_template(
        "inspection/edit_benchmarks.html",
        round=assessment_round,
        framework=framework,
        domain=domain,
        form=form,
        current=current,
        conflicts=conflicts,
        field_key=field_key,
        max_chars=_max_chars(),
        page_title=_("Findings on benchmarks: %(domain)s", domain=domain.title.get(current_language())),
    )


def _recommendation_form(framework: Framework) -> RecommendationForm:
    form = RecommendationForm()
    form.subjects.choices = subject_choices(framework)
    return form


def _recommendation_fields(form: RecommendationForm) -> RecommendationInput:
    return RecommendationInput(_clean(form.text.data), form.priority.data, tuple(form.subjects.data or ()))


def _render_recommendation(assessment_round: AssessmentRound, form, recommendation, conflict):
    return render_template(
        "inspection/recommendation_form.html",
        round=assessment_round,
        form=form,
        recommendation=recommendation,
        conflict=conflict,
        priority_names=PRIORITY_NAMES,
        priority_hints=PRIORITY_HINTS,
        page_title=_("Change a recommendation") if recommendation else _("Add a recommendation"),
    )


@bp.route("/rounds/<int:round_id>/inspection/recommendations/new", methods=["GET", "POST"])
@login_required
def new_recommendation(round_id: int):
    assessment_round, framework, _current, refused = _inspectors_page(round_id)
    if refused:
        return refused
    form = _recommendation_form(framework)
    if not form.is_submitted():
        form.subjects.data = request.args.getlist("about")
    if form.validate_on_submit():
        add_recommendation(start_inspection(assessment_round, current_user), _recommendation_fields(form), current_user)
        flash(_("The recommendation was added."), "success")
        return redirect(url_for("inspection.findings", round_id=round_id) + "#recommendations")
    return _render_recommendation(assessment_round, form, None, None)


def _recommendation_or_404(round_id: int, recommendation_id: int) -> Recommendation:
    recommendation = recommendation_in_round(round_id, recommendation_id)
    if recommendation is None:
        abort(404)
    return recommendation


@bp.route("/rounds/<int:round_id>/inspection/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_recommendation(round_id: int, recommendation_id: int):
    assessment_round, framework, current, refused = _inspectors_page(round_id)
    recommendation = _recommendation_or_404(round_id, recommendation_id)
    if refused:
        return refused
    form = _recommendation_form(framework)
    conflict = None
    if not form.is_submitted():
        form.text.data = recommendation.text
        form.priority.data = recommendation.priority
        form.subjects.data = recommendation.subject_ids
        form.version.data = str(recommendation.version)
    if form.validate_on_submit():
        assert current.inspection is not None
        if update_recommendation(current.inspection, recommendation, _recommendation_fields(form), version_from_form(form.version.data), current_user):
            flash(_("The recommendation was saved."), "success")
            return redirect(url_for("inspection.findings", round_id=round_id) + "#recommendations")
        conflict = recommendation_in_round(round_id, recommendation_id)
        if conflict is None:
            flash(_("Someone else deleted this recommendation while you were changing it. Your text is below: add it again if it is still needed."), "info")
            form.version.data = "0"
        else:
            form.version.data = str(conflict.version)
    return _render_recommendation(assessment_round, form, recommendation, conflict)


@bp.post("/rounds/<int:round_id>/inspection/recommendations/<int:recommendation_id>/delete")
@login_required
def remove_recommendation(round_id: int, recommendation_id: int):
    current = _inspection_context(round_id, "record_findings").current
    recommendation = _recommendation_or_404(round_id, recommendation_id)
    form = SeenForm()
    if not form.validate_on_submit():
        abort(400)
    if refused := _refuse_if_published(current, round_id):
        return refused
    assert current.inspection is not None
    if delete_recommendation(current.inspection, recommendation, version_from_form(form.seen.data), current_user):
        flash(_("The recommendation was deleted."), "success")
    else:
        flash(_("Someone else changed this recommendation since you opened the page, so it was not deleted. Check it and try again."), "info")
    return redirect(url_for("inspection.findings", round_id=round_id) + "#recommendations")


def _max_bytes() -> int:
    return current_app.config.get("SAIT_FINDINGS_MAX_BYTES", MAX_FILE_BYTES)


def _size(n: int) -> str:
    """A file size for people, e.g. "1 MB" (in the page's language)."""
    for unit, scale in (("MB", 1_000_000), ("KB", 1000)):
        if n >= scale:
            return f"{format_decimal(n / scale)} {unit}"
    return ngettext("%(num)d byte", "%(num)d bytes", n)


def _read_upload(form: ImportForm) -> tuple[bytes | None, str]:
    """The uploaded file's bytes (None if over the size limit) and its name."""
    upload = form.findings_file.data
    data = upload.stream.read(_max_bytes() + 1)
    return (None if len(data) > _max_bytes() else data), (upload.filename or "")


@bp.route("/rounds/<int:round_id>/inspection/import", methods=["GET", "POST"])
@login_required
def import_file(round_id: int):
    assessment_round, framework, current, refused = _inspectors_page(round_id)
    if refused:
        return refused
    form = ImportForm()
    problems: list[str] = []
    if not form.is_submitted():
        form.seen.data = findings_stamp(current)
    if form.validate_on_submit():
        data, filename = _read_upload(form)
        try:
            if data is None:
                raise FindingsFileError([_("The file must be %(size)s or smaller", size=_size(_max_bytes()))])
            contents = read_findings_file(data, filename, framework, today=date.today(), max_text=_max_chars(), lang=current_language())
        except FindingsFileError as error:
            problems = error.problems
        else:
            if import_findings(assessment_round, contents, form.seen.data or "", filename, current_user):
                flash(
                    _(
                        "The findings in ‘%(file)s’ were imported: %(findings)s judgements or findings and %(recommendations)s recommendations.",
                        file=filename,
                        findings=len(contents.findings),
                        recommendations=len(contents.recommendations),
                    ),
                    "success",
                )
                return redirect(url_for("inspection.findings", round_id=round_id))
            flash(
                _(
                    "Someone changed the findings after you opened this page, so nothing was imported. "
                    "Check the findings below, then import the file again if it should replace them."
                ),
                "info",
            )
            return redirect(url_for("inspection.findings", round_id=round_id))
    return render_template(
        "inspection/import.html",
        round=assessment_round,
        framework=framework,
        form=form,
        current=current,
        error_list=[{"text": problem, "href": "#findings_file"} for problem in problems],
        max_size=_size(_max_bytes()),
        page_title=_("Import findings from a file"),
    )


@bp.post("/rounds/<int:round_id>/inspection/publish")
@login_required
def publish_findings(round_id: int):
    page = _inspection_context(round_id, "record_findings")
    current = page.current
    form = SeenForm()
    if not form.validate_on_submit():
        abort(400)
    if current.is_published:
        flash(_("The findings are already published."), "info")
    elif missing := missing_for_publication(page.framework, current, round_id):
        # Shown like a form's errors: a GOV.UK error summary naming each field, each linking to it.
        return _render_findings(page, [{"text": message, "href": href} for href, message in missing])
    elif publish(current, form.seen.data or "", current_user):
        flash(_("The findings are published. The board can now read them and the comparison with its self-assessment."), "success")
    else:
        flash(_("Someone changed the findings after you opened this page, so they were not published. Check them and publish again."), "info")
    return redirect(url_for("inspection.findings", round_id=round_id))


@bp.post("/rounds/<int:round_id>/inspection/draft")
@login_required
def unpublish_findings(round_id: int):
    current = _inspection_context(round_id, "record_findings").current
    form = SeenForm()
    if not form.validate_on_submit():
        abort(400)
    if not current.is_published:
        flash(_("The findings are already a draft."), "info")
    elif return_to_draft(current, form.seen.data or "", current_user):
        flash(_("The findings are back to draft. The board cannot see them until they are published again."), "success")
    else:
        flash(_("Someone changed the findings after you opened this page. Check them and try again."), "info")
    return redirect(url_for("inspection.findings", round_id=round_id))
