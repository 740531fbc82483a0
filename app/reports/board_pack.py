"""The board pack: what a business manager takes to a board meeting, as one workbook (or CSV files in a zip).

One sheet each for members' answers, the agreed ratings with their rationales,
the judgements, the rigour flags with their responses (open ones first), the
action plan and the board's evidence register. Benchmarks are referred to as
people do ("1.5"), with the id beside it for joining. Like the answers export
(``exports.py``), headers and values are English whatever the page's language,
and text cells can never run as formulas (the workbook and CSV writers of
``exports.py``). The sheets and their columns are
listed in docs/board-pack.md.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from app.core.framework import Framework
from app.core.report_content import Report
from app.data.evidence import register
from app.data.flag_responses import round_flags_answered
from app.data.framework_store import framework_for_round
from app.data.models import AssessmentRound
from app.data.moderation import round_picture
from app.reports.exports import COLUMNS as ANSWER_COLUMNS
from app.reports.exports import Sheet, answer_rows, answers_sheet, csv_bytes
from app.web.agencies import agency_name
from app.web.labels import EVIDENCE_KIND_NAMES, FLAG_RESPONSE_NAMES

__all__ = ["SHEETS", "board_pack", "board_pack_zip"]


AGREED_COLUMNS = (
    "Ref", "Benchmark id", "Domain", "Benchmark", "Members' median", "Spread (levels)", "Members who rated", "Agreed rating",
    "Rationale", "Evidence cited", "Rating used", "Levels below target", "Inspection", "Flags",
)
JUDGEMENT_COLUMNS = ("Domain", "Weighted mean score", "Judgement", "Levels below target", "Rules that lowered it", "Inspection")
FLAG_COLUMNS = ("Status", "Flag", "Ref", "About", "Message", "Response", "Reason given")
ACTION_COLUMNS = (
    "Action", "Owner agency", "Lead", "Due", "Status", "Overdue", "Domain", "Benchmarks", "Success measure", "Measure about",
    "Baseline", "Baseline on", "Target", "Target by", "Latest", "Latest on", "Progress", "Carried from",
)
EVIDENCE_COLUMNS = ("Title", "Source agency", "Date", "Kind", "Period start", "Period end", "About", "What it shows", "Reference", "Cited for")

#: The pack's sheets in order, with their columns: the contract docs/board-pack.md describes and the tests check.
SHEETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Answers", ANSWER_COLUMNS),
    ("Agreed ratings", AGREED_COLUMNS),
    ("Judgements", JUDGEMENT_COLUMNS),
    ("Flags", FLAG_COLUMNS),
    ("Actions", ACTION_COLUMNS),
    ("Evidence register", EVIDENCE_COLUMNS),
)
PROGRESS_NAMES = {"met": "Target met", "missed": "Target missed", "check": "Target date passed: check the reading"}


def board_pack(assessment_round: AssessmentRound, report: Report) -> list[Sheet]:
    """The round's pack, from its report (built in English) and the board's register and flags."""
    framework = framework_for_round(assessment_round)
    return [
        answers_sheet(answer_rows(assessment_round, framework)),
        _agreed(framework, report),
        _judgements(report),
        _flags(assessment_round, framework),
        _actions(report),
        _evidence(assessment_round, framework),
    ]


def _agreed(framework: Framework, report: Report) -> Sheet:
    titles = {item.ref: item.title for item in report.evidence}
    rows = [
        (
            framework.reference(row.id), row.id, domain.title, row.title, row.median, row.spread, row.answered, row.agreed,
            row.rationale, "; ".join(f"{ref} {titles.get(ref, '')}".strip() for ref in row.evidence_refs), row.rating, row.gap,
            row.inspection, "; ".join(row.flag_names),
        )
        for domain in report.domains
        for row in domain.benchmarks
    ]
    widths = (7, 14, 30, 40, 22, 9, 9, 22, 60, 50, 22, 9, 22, 40)
    return Sheet("Agreed ratings", AGREED_COLUMNS, widths, rows, frozenset({"Rationale", "Evidence cited"}))


def _judgements(report: Report) -> Sheet:
    rows: list[tuple] = [
        (domain.title, None if domain.mean is None else round(domain.mean, 2), domain.judgement, domain.gap, " ".join(domain.limits), domain.inspection)
        for domain in report.domains
    ]
    overall_inspection = report.inspection.overall_finding if report.inspection else None
    rows.append(("Overall", None, report.summary.overall, report.summary.overall_gap, "", overall_inspection))
    return Sheet("Judgements", JUDGEMENT_COLUMNS, (40, 10, 22, 9, 70, 22), rows, frozenset({"Rules that lowered it"}))


def _flags(assessment_round: AssessmentRound, framework: Framework) -> Sheet:
    picture = round_picture(assessment_round, "en")
    answered = round_flags_answered(assessment_round.id, picture.flags)

    def about(flag) -> tuple[str, str]:
        if flag.benchmark_id:
            try:
                return framework.reference(flag.benchmark_id), framework.benchmark(flag.benchmark_id).title.get()
            except KeyError:
                return flag.benchmark_id, ""
        return "", agency_name(flag.agency) if flag.agency else "The round"

    rows = [("Open", flag.name, *about(flag), flag.message, "", "") for flag in answered.open]
    rows += [
        ("Answered", flag.name, *about(flag), flag.message, str(FLAG_RESPONSE_NAMES.get(response.response, response.response)), response.reason)
        for flag, response in answered.answered
    ]
    return Sheet("Flags", FLAG_COLUMNS, (10, 28, 7, 40, 70, 28, 60), rows, frozenset({"Message", "Reason given"}))


def _actions(report: Report) -> Sheet:
    rows = [
        (
            a.description, a.owner, a.lead, a.due, a.status_name, "Yes" if a.overdue else "No", a.domain or "", "; ".join(a.benchmarks),
            a.success_measure, a.measure_about or "", a.baseline, a.baseline_on, a.target, a.target_by, a.latest, a.latest_on,
            PROGRESS_NAMES.get(a.progress or "", ""), a.carried_from or "",
        )
        for a in report.actions
    ]
    widths = (50, 24, 20, 12, 14, 9, 30, 40, 50, 24, 14, 12, 14, 12, 14, 12, 22, 24)
    return Sheet("Actions", ACTION_COLUMNS, widths, rows, frozenset({"Action", "Success measure"}))


def _evidence(assessment_round: AssessmentRound, framework: Framework) -> Sheet:
    rows = []
    for entry in register(assessment_round.board_id, [b.id for b in framework.benchmarks]):
        item = entry.item
        rows.append(
            (
                item.title, agency_name(item.source_agency), item.evidence_date, str(EVIDENCE_KIND_NAMES[item.kind]) if item.kind else "Not tagged",
                item.period_start, item.period_end, "; ".join(framework.reference(s) for s in item.subject_ids) or "Not tagged",
                item.impact, item.reference, "; ".join(framework.reference(b) for b in entry.benchmark_ids),
            )
        )
    return Sheet("Evidence register", EVIDENCE_COLUMNS, (40, 24, 12, 22, 12, 12, 24, 60, 40, 30), rows, frozenset({"What it shows"}))


def board_pack_zip(sheets: Sequence[Sheet]) -> bytes:
    """The same tables as CSV files (UTF-8 with a byte order mark, for spreadsheets), numbered in sheet order, in one zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, spec in enumerate(sheets, start=1):
            archive.writestr(f"{n:02d} {spec.name.lower()}.csv", csv_bytes(spec.columns, spec.rows))
    return out.getvalue()
