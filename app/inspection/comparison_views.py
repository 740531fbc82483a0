"""The comparison of a round's self-assessment with the inspection, and challenge threads per benchmark."""

from __future__ import annotations

from dataclasses import replace

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.charts import ChartSeries, level_bar_chart
from app.core.comparison import AGREED, MEDIAN, RoundComparison, format_levels
from app.core.framework import Framework
from app.data.challenge import add_challenge_comment, challenge_threads
from app.data.framework_store import framework_for_round
from app.data.inspection import round_findings
from app.extensions import talisman
from app.inspection.blueprint import bp
from app.inspection.figures import round_comparison
from app.inspection.forms import ChallengeForm
from app.moderation.results import CHART_POLICY
from app.web.form_fields import entered
from app.web.i18n import current_language, round_title
from app.web.permissions import can, require_round_capability


def svg_response(svg: str) -> Response:
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/rounds/<int:round_id>/comparison")
@login_required
def comparison(round_id: int):
    assessment_round, membership = require_round_capability(round_id, "read_board")
    findings = round_findings(round_id)
    if not (can(membership, "record_findings") or findings.is_published):
        # The board sees nothing of the inspection until it is published.
        return render_template(
            "inspection/comparison_unpublished.html",
            round=assessment_round,
            page_title=_("Self-assessment against inspection: %(round)s", round=round_title(assessment_round)),
        )
    view = round_comparison(assessment_round, findings)
    if not can(membership, "read_challenge_threads"):
        view = replace(view, threads={})
    return render_template(
        "inspection/comparison.html",
        round=assessment_round,
        membership=membership,
        view=view,
        framework=view.framework,
        comparison=view.comparison,
        can_challenge=can(membership, "write_challenge_threads"),
        format_levels=format_levels,
        AGREED=AGREED,
        MEDIAN=MEDIAN,
        page_title=_("Self-assessment against inspection: %(round)s", round=round_title(assessment_round)),
    )


def comparison_chart_svg(framework: Framework, figures: RoundComparison, lang: str = "en") -> str:
    """Each domain's self-assessed judgement against the inspectors' judgement, as SVG, labelled in ``lang``."""
    scale = framework.scale

    def score(level: str | None) -> int | None:
        return None if level is None else scale.score(level)

    with force_locale(lang):
        series = [
            ChartSeries(_("Self-assessed"), [score(d.self_judgement) for d in figures.domains]),
            ChartSeries(_("Inspection"), [score(d.inspected) for d in figures.domains]),
        ]
    return level_bar_chart(scale, [domain.title.get(lang) for domain in framework.domains], series, lang=lang)


@bp.get("/rounds/<int:round_id>/comparison/chart.svg")
@login_required
@talisman(content_security_policy=CHART_POLICY, content_security_policy_nonce_in=[])
def comparison_chart(round_id: int):
    assessment_round, membership = require_round_capability(round_id, "read_board")
    findings = round_findings(round_id)
    if not (can(membership, "record_findings") or findings.is_published):
        abort(404)
    view = round_comparison(assessment_round, findings)
    return svg_response(comparison_chart_svg(view.framework, view.comparison, current_language()))


@bp.route("/rounds/<int:round_id>/challenges/<benchmark_id>", methods=["GET", "POST"])
@login_required
def challenge(round_id: int, benchmark_id: str):
    assessment_round, membership = require_round_capability(round_id, "write_challenge_threads")
    framework = framework_for_round(assessment_round)
    try:
        benchmark = framework.benchmark(benchmark_id)
    except KeyError:
        abort(404)
    thread = challenge_threads(round_id).get(benchmark.id, [])
    # The inspectors open a thread; the business manager replies to it. The role only chooses the wording.
    is_inspector = membership.role == "inspector"
    can_write = can(membership, "open_challenge_threads") or bool(thread)
    max_chars = current_app.config["SAIT_EVIDENCE_MAX_CHARS"]
    form = ChallengeForm().limit(max_chars)
    form.text.label.text = _("Your challenge or question") if is_inspector else _("Your reply")
    form.submit.label.text = _("Add challenge") if is_inspector else _("Send reply")
    if form.validate_on_submit():
        if not can_write:
            abort(403)
        add_challenge_comment(assessment_round, benchmark.id, membership.role, entered(form.text).replace("\r\n", "\n"), current_user)
        flash(_("Your challenge was added.") if is_inspector else _("Your reply was added."), "success")
        return redirect(url_for("inspection.challenge", round_id=round_id, benchmark_id=benchmark.id) + "#thread")
    return render_template(
        "inspection/challenge.html",
        round=assessment_round,
        membership=membership,
        framework=framework,
        benchmark=benchmark,
        domain=framework.domain(benchmark.domain_id),
        thread=thread,
        form=form,
        can_write=can_write,
        is_inspector=is_inspector,
        published=round_findings(round_id).is_published,
        max_chars=max_chars,
        page_title=_("Challenge: %(benchmark)s", benchmark=benchmark.title.get(current_language())),
    )
