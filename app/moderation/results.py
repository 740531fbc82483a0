"""The round's results: domain and overall judgements, gaps to target, a chart and a table."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import login_required

from app.core.charts import ChartSeries, level_bar_chart
from app.core.framework import Framework
from app.core.scoring import AssessmentScore, domains_below_target
from app.data.moderation import RoundPicture, round_picture
from app.extensions import talisman
from app.moderation.blueprint import bp
from app.web.i18n import current_language, round_title
from app.web.permissions import require_round_capability

# The chart is an image: it may style itself, and nothing in it can run.
CHART_POLICY = {"default-src": "'none'", "style-src": "'unsafe-inline'"}


@bp.get("/rounds/<int:round_id>/results")
@login_required
def results(round_id: int):
    assessment_round, membership = require_round_capability(round_id, "read_results")
    picture = round_picture(assessment_round, current_language())
    score = results_score(picture)
    return render_template(
        "results/round.html",
        round=assessment_round,
        membership=membership,
        picture=picture,
        framework=picture.framework,
        score=score,
        below_target=domains_below_target(score),
        below_target_names=[picture.framework.domain(d.domain_id).title.get(current_language()) for d in domains_below_target(score)],
        statutory_missing=picture.agreement.statutory_missing,
        lowered=[b for d in score.domains for b in d.benchmarks if b.lowered_for_evidence],
        page_title=_("Results: %(round)s", round=round_title(assessment_round)),
    )


def results_score(picture: RoundPicture) -> AssessmentScore:
    """The results' score: the same as the report's and the plan's (``RoundPicture.score``)."""
    return picture.score()


def results_chart_svg(framework: Framework, score: AssessmentScore, lang: str = "en") -> str:
    """The results chart: each domain's and the overall judgement against the target."""
    scale = framework.scale
    target = scale.score(score.target_level)

    def level_score(level: str | None) -> int | None:
        return None if level is None else scale.score(level)

    with force_locale(lang):
        categories = [domain.title.get(lang) for domain in framework.domains] + [_("Overall")]
        series = [_("Judgement"), _("Target")]
    judgements = [level_score(domain.judgement) for domain in score.domains] + [level_score(score.judgement)]
    return level_bar_chart(
        scale,
        categories,
        [ChartSeries(series[0], judgements), ChartSeries(series[1], [target] * len(categories))],
        lang=lang,
    )


@bp.get("/rounds/<int:round_id>/results/chart.svg")
@login_required
@talisman(content_security_policy=CHART_POLICY, content_security_policy_nonce_in=[])
def results_chart(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "read_results")
    picture = round_picture(assessment_round, current_language())
    svg = results_chart_svg(picture.framework, results_score(picture), current_language())
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response
