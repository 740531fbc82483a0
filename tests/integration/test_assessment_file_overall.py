"""The assessment file carries an inspection with only an overall judgement: imported, compared and exported unchanged; broken ones say where."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, func, select

from app.data.inspection import round_findings
from app.data.models import AssessmentRound, Finding
from app.extensions import db
from app.inspection.figures import round_comparison

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "assessment"
OVERALL_ONLY = FIXTURES / "overall_only.json"
BAD_OVERALL = FIXTURES / "bad_overall.json"


def _row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables}


def _empty_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def test_an_inspection_with_only_an_overall_judgement_imports_compares_and_exports_unchanged(runner, tmp_path):
    result = runner.invoke(args=["sait", "import-assessment", "--yes", str(OVERALL_ONLY)])
    assert result.exit_code == 0, result.output
    assessment_round = db.session.scalar(select(AssessmentRound))
    findings = round_findings(assessment_round.id)
    assert {f.subject_id: f.level for f in db.session.scalars(select(Finding))} == {"overall": "requires_improvement", "overall_reasons": None}
    assert findings.overall_reasons == [
        "Reports to the board count activity, not outcomes for children.",
        "Partners are not held to account for actions agreed at the board.",
    ]
    comparison = round_comparison(assessment_round, findings).comparison
    assert comparison.inspected_overall == "requires_improvement"
    # The board's agreed ratings make its own overall judgement Good: one level above the inspectors', which is the over-optimism.
    assert (comparison.self_overall, comparison.overall_difference, comparison.optimism_basis, comparison.over_optimism) == ("good", 1, "overall", 1)

    target = tmp_path / "again.json"
    result = runner.invoke(args=["sait", "export-assessment", str(assessment_round.id), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == OVERALL_ONLY.read_text(encoding="utf-8")


def test_a_broken_overall_judgement_is_refused_with_where_and_nothing_saved(runner):
    _empty_database()
    before = _row_counts()
    result = runner.invoke(args=["sait", "import-assessment", "--yes", str(BAD_OVERALL)])
    assert result.exit_code == 1
    problems = [
        "inspection.findings[0].level: 'excellent' is not a level (one of: inadequate, requires_improvement, good, outstanding)",
        "inspection.findings[1].level: must be null for 'overall_reasons' (the reasons are text only)",
        "inspection.findings[2].subject: 'overall' has two findings",
        "inspection.findings[3].subject: 'overall_summary' is not a domain or benchmark of framework test.1",
    ]
    assert result.stderr.splitlines()[: len(problems)] == [f"{BAD_OVERALL}: {problem}" for problem in problems]
    assert "4 problems found; nothing was imported." in result.stderr
    assert _row_counts() == before
