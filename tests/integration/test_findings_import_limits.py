"""Hostile findings and assessment files: a message with the line, never a traceback or a lost draft (issue 12, defects 9 and 10).

A 5,000-digit number in a JSON file gave a 500 (Python refuses to read 4,300
or more digits as an int); and a CSV file of 166,000 blank rows was accepted,
because blank rows did not count towards the 2,000-row limit, and replaced
the round's draft findings with none.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.core.assessment_file import AssessmentFileError, read_document
from app.core.findings_file import FindingsFileError, read_findings_file
from app.data.models import Finding, Inspection, Recommendation
from app.extensions import db
from tests.factories import page
from tests.integration.govuk import errors
from tests.integration.inspection_helpers import record_findings
from tests.integration.test_findings_import import (
    FILES,
    FRAMEWORK,
    _nothing_saved,
    _upload,
)

HEADER = b"kind,subject,judgement,text,priority,date\r\ninspection,,,,,2026-03-14\r\n"
GOOD_JSON = (FILES / "good.json").read_text(encoding="utf-8")
# good.json with a 5,000-digit number for its date, on line 2 from column 19.
LONG_NUMBER_JSON = GOOD_JSON.replace('"2026-03-14"', "9" * 5000, 1).encode()
LONG_NUMBER_PROBLEM = "Line 2, column 19: the number 999999999999... is too long (5,000 characters; at most 18 digits)"


def _draft(setup) -> None:
    record_findings(
        setup.round, setup.inspector, {"outcomes": "good", "outcomes.2": "good"}, published=False, recommendations=[("Old advice.", "improvement", ())]
    )


def _draft_kept() -> None:
    assert dict(db.session.execute(select(Finding.subject_id, Finding.level)).all()) == {"outcomes": "good", "outcomes.2": "good"}
    assert db.session.scalars(select(Recommendation.text)).all() == ["Old advice."]
    assert db.session.scalar(select(Inspection.version)) == 1


def test_a_5000_digit_number_in_a_json_file_is_reported_at_its_line(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    response = _upload(client, setup.round.id, "huge.json", LONG_NUMBER_JSON)
    assert response.status_code == 200
    assert errors(page(response)) == [LONG_NUMBER_PROBLEM]
    _nothing_saved()


def test_the_long_number_is_reported_in_welsh_too():
    with pytest.raises(FindingsFileError) as caught:
        read_findings_file(LONG_NUMBER_JSON, "huge.json", FRAMEWORK, today=date(2026, 6, 1), max_text=5000, lang="cy")
    assert caught.value.problems == ["Llinell 2, colofn 19: mae’r rhif 999999999999... yn rhy hir (5,000 nod; 18 digid ar y mwyaf)"]


def test_json_nested_too_deeply_is_reported_at_its_line(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    # The object is the first level, so the 64th bracket of line 2 (column 13 + 63) is the 65th.
    content = ('{"inspected_on": "2026-03-14",\n "domains": ' + "[" * 80 + "]" * 80 + "}").encode()
    assert errors(page(_upload(client, setup.round.id, "deep.json", content))) == [
        "Line 2, column 76: lists and objects are nested too deeply (more than 64 levels)"
    ]
    _nothing_saved()


@pytest.mark.parametrize(("blank", "count"), [(b",,,,,\r\n", 2001), (b"\r\n", 166_000)])
def test_blank_rows_count_towards_the_row_limit_and_the_draft_is_kept(client, login, inspected_round, blank, count):
    setup = inspected_round
    _draft(setup)
    login(setup.inspector)
    content = (FILES / "good.csv").read_bytes() + blank * count
    assert len(content) < 1_000_000  # under the size limit: the row limit must refuse it
    # good.csv has a header and ten rows, so the 1,991st blank row is row 2,002.
    assert errors(page(_upload(client, setup.round.id, "blank.csv", content))) == [
        "Row 2002: the file has more than 2,000 rows (blank rows count too: delete them in your spreadsheet)"
    ]
    _draft_kept()


def test_a_file_of_only_blank_rows_is_refused_and_the_draft_is_kept(client, login, inspected_round):
    setup = inspected_round
    _draft(setup)
    login(setup.inspector)
    nothing = ["The file has no judgements, findings or recommendations, so nothing was imported"]
    for name, content, expected in [
        ("blank.csv", HEADER + b",,,,,\r\n" * 1500, nothing),
        ("blank.json", b'{"inspected_on": "2026-03-14", "domains": [], "benchmarks": [], "recommendations": []}', nothing),
        ("commas.csv", b",,,,,\r\n" * 1500, ["The file is empty"]),
    ]:
        assert errors(page(_upload(client, setup.round.id, name, content))) == expected, name
    _draft_kept()


def test_the_assessment_file_reader_reports_a_long_number_at_its_line():
    text = '{\n  "format": "sait-assessment",\n  "format_version": ' + "9" * 5000 + "\n}"
    with pytest.raises(AssessmentFileError) as caught:
        read_document(text, "round.json")
    assert caught.value.problems == ["round.json:3:21: the number 999999999999... is too long (5,000 characters; at most 18 digits)"]


def test_the_assessment_file_reader_refuses_deep_nesting_at_its_line():
    text = '{"format": "sait-assessment",\n "people": ' + "[" * 80 + "]" * 80 + "}"
    with pytest.raises(AssessmentFileError) as caught:
        read_document(text, "round.json")
    assert caught.value.problems == ["round.json:2:75: lists and objects are nested too deeply (more than 64 levels)"]
