"""The national overview: every board the person may see, self-assessment against inspection.

Inspectors see the boards they inspect; the administrator sees every board
(figures only: the administrator cannot open a board's self-assessment).
The table sorts on the server from the query string, so it works without
JavaScript.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from flask import Response, abort, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.catalogue import named_in
from app.core.charts import ChartSeries, level_bar_chart
from app.core.comparison import NationalSummary, format_levels, national_summary
from app.core.framework import DOMAIN_IDS, Framework
from app.data.framework_store import current_framework
from app.data.inspection import visible_boards
from app.extensions import talisman
from app.inspection.blueprint import bp
from app.inspection.comparison_views import CHART_POLICY, svg_response
from app.inspection.figures import NationalRow, inspector_board_ids, national_rows
from app.web.i18n import current_language

log = logging.getLogger("sait.security")
SORT_KEYS = ("board", "inspected", "overall", "judgement", *DOMAIN_IDS)
# Cells a spreadsheet would run as a formula if they started with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Scope:
    """Which boards the person sees (None: all) and how the page describes them."""

    board_ids: list[int] | None
    is_admin: bool


def _scope() -> Scope:
    """The administrator sees every board; an inspector the boards they inspect; anyone else is refused."""
    if current_user.is_admin:
        return Scope(None, True)
    board_ids = inspector_board_ids(current_user)
    if not board_ids:
        log.warning("authorisation failure: not an inspector or administrator user=%s path=%s", current_user.id, request.path)
        abort(403)
    return Scope(board_ids, False)


def _sort_value(key: str) -> Callable[[NationalRow], object]:
    if key == "board":
        lang = current_language()
        return lambda row: row.board_in(lang).lower()
    if key == "inspected":
        return lambda row: row.inspected_on
    if key == "overall":
        return lambda row: row.comparison.over_optimism
    if key == "judgement":
        # By the overall difference: the boards most above their inspection first when descending.
        return lambda row: row.comparison.overall_difference
    return lambda row: _domain_optimism(row, key)


def _domain_optimism(row: NationalRow, domain_id: str) -> Fraction | None:
    try:
        return row.comparison.domain(domain_id).over_optimism
    except KeyError:
        return None


def sort_rows(rows: Sequence[NationalRow], key: str, descending: bool) -> list[NationalRow]:
    """Rows sorted by ``key`` (a SORT_KEYS entry); rows with no value go last either way."""
    value = _sort_value(key)
    known = sorted((r for r in rows if value(r) is not None), key=value, reverse=descending)  # type: ignore[arg-type]
    return known + [r for r in rows if value(r) is None]


def _sorting() -> tuple[str, bool]:
    key = request.args.get("sort", "board")
    if key not in SORT_KEYS:
        key = "board"
    return key, request.args.get("order") == "desc"


def _summary(framework: Framework, rows: Sequence[NationalRow]) -> NationalSummary:
    return national_summary(framework.scale, [d.id for d in framework.domains], [row.comparison for row in rows])


@bp.get("/national-overview")
@login_required
def national():
    scope = _scope()
    framework = current_framework()
    rows = national_rows(scope.board_ids)
    key, descending = _sorting()
    inspected = {row.board_id for row in rows}
    lang = current_language()
    not_inspected = [named_in(name, name_cy, lang) for board_id, name, name_cy in visible_boards(scope.board_ids) if board_id not in inspected]
    return render_template(
        "inspection/national.html",
        framework=framework,
        rows=sort_rows(rows, key, descending),
        summary=_summary(framework, rows),
        not_inspected=not_inspected,
        scope=scope,
        sort_key=key,
        descending=descending,
        format_levels=format_levels,
        sort_link=sort_link,
        page_title=_("National overview"),
    )


def national_csv_text(framework: Framework, rows: Sequence[NationalRow]) -> str:
    """One line per board: its latest inspection, each domain's judgements and over-optimism, overall, and the overall judgements.

    Data for spreadsheets: the column names and level labels are English in
    either language of the page, so files downloaded by different people line up.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["board", "round", "inspected_on"]
    for domain in framework.domains:
        header += [f"{domain.id}_self_assessed", f"{domain.id}_inspected", f"{domain.id}_over_optimism"]
    header += ["overall_over_optimism", "benchmarks_compared", "benchmarks_above_inspection"]
    header += ["overall_self_assessed", "overall_inspected", "overall_difference", "over_optimism_basis"]
    writer.writerow(header)
    for row in rows:
        line = [_safe_cell(row.board_name), _safe_cell(row.round_title), row.inspected_on.isoformat()]
        for domain in framework.domains:
            try:
                figures = row.comparison.domain(domain.id)
            except KeyError:
                line += ["", "", ""]
                continue
            line += [
                _level_label(row.framework, figures.self_judgement),
                _level_label(row.framework, figures.inspected),
                format_levels(figures.over_optimism, plain=True),
            ]
        comparison = row.comparison
        line += [format_levels(comparison.over_optimism, plain=True), str(comparison.compared), str(len(comparison.above_inspection))]
        line += [
            _level_label(row.framework, comparison.self_overall),
            _level_label(row.framework, comparison.inspected_overall),
            format_levels(comparison.overall_difference, plain=True),
            comparison.optimism_basis or "",
        ]
        writer.writerow(line)
    return out.getvalue()


def _level_label(framework: Framework, level: str | None) -> str:
    return framework.scale.level(level).label.get() if level else ""


def _safe_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@bp.get("/national-overview.csv")
@login_required
def national_csv():
    scope = _scope()
    key, descending = _sorting()
    rows = sort_rows(national_rows(scope.board_ids), key, descending)
    response = Response(national_csv_text(current_framework(), rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="national-overview.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def national_chart_svg(framework: Framework, summary: NationalSummary, lang: str = "en") -> str:
    """Per domain, the mean self-assessed and mean inspected level across boards, as SVG, labelled in ``lang``."""
    with force_locale(lang):
        series = [
            ChartSeries(_("Self-assessed (mean of boards)"), [summary.domain(d.id).mean_self_score for d in framework.domains]),
            ChartSeries(_("Inspection (mean of boards)"), [summary.domain(d.id).mean_inspected_score for d in framework.domains]),
        ]
    return level_bar_chart(framework.scale, [domain.title.get(lang) for domain in framework.domains], series, lang=lang)


@bp.get("/national-overview/chart.svg")
@login_required
@talisman(content_security_policy=CHART_POLICY, content_security_policy_nonce_in=[])
def national_chart():
    scope = _scope()
    framework = current_framework()
    return svg_response(national_chart_svg(framework, _summary(framework, national_rows(scope.board_ids)), current_language()))


def sort_link(key: str, current_key: str, descending: bool) -> str:
    """The address that sorts by ``key``: the other way round if it is already sorted by it."""
    order = "asc" if key == current_key and descending else ("desc" if key == current_key else ("asc" if key == "board" else "desc"))
    return url_for("inspection.national", sort=key, order=order)

