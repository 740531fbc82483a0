"""Importing findings from CSV or JSON: every problem reported by row and field, nothing saved unless all is right."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.config import Config
from app.core.findings_file import FindingsFile, FindingsFileError, read_findings_file
from app.core.framework import load_framework
from app.data.models import AuditEvent, Finding, Inspection, Recommendation
from app.extensions import db
from tests.factories import csrf_token, page
from tests.integration.govuk import banner, errors, table_rows
from tests.integration.inspection_helpers import all_domains, record_findings

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"
FRAMEWORK = load_framework(Config.SAIT_FRAMEWORK_PATH)


def _upload(client, round_id: int, name: str, content: bytes | None = None, *, stamp: str | None = None):
    url = f"/rounds/{round_id}/inspection/import"
    form = page(client.get(url))
    data = {
        "csrf_token": form.select_one("input[name=csrf_token]")["value"],
        "seen": form.select_one("input[name=seen]")["value"] if stamp is None else stamp,
        "findings_file": (io.BytesIO(content if content is not None else (FILES / name).read_bytes()), name),
    }
    return client.post(url, data=data, content_type="multipart/form-data")


def _nothing_saved() -> None:
    assert db.session.scalar(select(func.count()).select_from(Finding)) == 0
    assert db.session.scalar(select(func.count()).select_from(Recommendation)) == 0


def test_a_good_csv_file_is_imported(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    response = _upload(client, setup.round.id, "good.csv")
    assert response.status_code == 302
    soup = page(client.get(response.headers["Location"]))
    assert "The findings in ‘good.csv’ were imported: 7 judgements or findings and 2 recommendations." in banner(soup)
    assert [row[0] for row in table_rows(soup, "domain-judgements")] == ["Inadequate", "Requires improvement", "Requires improvement", "Good", "Good"]
    assert table_rows(soup, "benchmark-findings-governance") == [["No judgement", "The annual report is long on data and short on analysis."]]
    recommendations = table_rows(soup, "recommendations-table")
    assert [row[1] for row in recommendations] == ["Immediate", "Improvement"]
    assert "14 March 2026" in soup.select_one("#inspection-summary").get_text()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "findings_imported"))
    assert event.detail["file"] == "good.csv" and event.detail["domains"] == 5 and event.detail["benchmarks"] == 2


def test_a_good_json_file_gives_the_same_findings(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    assert _upload(client, setup.round.id, "good.json").status_code == 302
    levels = dict(db.session.execute(select(Finding.subject_id, Finding.level)).all())
    assert levels == {
        "outcomes": "inadequate",
        "strategy": "requires_improvement",
        "governance": "requires_improvement",
        "capacity": "good",
        "outputs": "good",
        "outcomes.1": "inadequate",
        "governance.3": None,
    }
    assert db.session.scalar(select(Inspection.inspected_on)) == date(2026, 3, 14)


def test_every_bad_row_of_a_csv_is_reported_and_nothing_is_saved(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    soup = page(_upload(client, setup.round.id, "bad_rows.csv"))
    assert soup.select_one("title").get_text().startswith("Error: ")
    assert soup.select_one(".govuk-error-summary__title").get_text(strip=True) == "There is a problem"
    assert errors(soup) == [
        "Row 2, date: ‘14 March 2026’ is not a date; write it like 2026-03-14",
        "Row 4, judgement: ‘excelent’ is not a level on the scale (inadequate, requires_improvement, good, outstanding)",
        "Row 5, text: enter the summary of the findings for the domain",
        "Row 6, kind: ‘domian’ is not a kind of row (inspection, overall, reason, domain, benchmark, recommendation)",
        "Row 7, subject: ‘outcomes.99’ is not a benchmark id of this round’s framework (for example outcomes.1)",
        "Row 8, judgement: enter a judgement, a finding in ‘text’, or both",
        "Row 9, subject: ‘outcomes’ is already given in Row 3",
        "Row 10, priority: ‘urgent’ is not a priority (immediate, improvement)",
        "Row 11, text: enter the recommendation",
    ]
    assert "The file has 9 problems" in soup.select_one(".govuk-file-upload").find_parent(class_="govuk-form-group").get_text()
    _nothing_saved()
    assert db.session.scalar(select(Inspection.id)) is None


def test_every_bad_entry_of_a_json_file_is_reported(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    soup = page(_upload(client, setup.round.id, "bad_rows.json"))
    assert errors(soup) == [
        "The file, inspected_on: ‘2026-02-30’ is not a date; write it like 2026-03-14",
        "Domains item 1, judgement: ‘excelent’ is not a level on the scale (inadequate, requires_improvement, good, outstanding)",
        "Domains item 2, domain: ‘nowhere’ is not a domain id of this round’s framework (for example outcomes)",
        "Benchmarks item 1, judgment: unknown key (the keys are benchmark, judgement, finding)",
        "Recommendations item 1, priority: ‘soon’ is not a priority (immediate, improvement)",
        "Recommendations item 1, about: ‘outcomes.42’ is not a domain or benchmark id of this round’s framework",
    ]
    _nothing_saved()


def test_a_bad_file_leaves_existing_findings_untouched(client, login, inspected_round):
    setup = inspected_round
    record_findings(setup.round, setup.inspector, {"outcomes": "good", "outcomes.2": "good"}, published=False)
    login(setup.inspector)
    soup = page(_upload(client, setup.round.id, "bad_rows.csv"))
    assert len(errors(soup)) == 9
    assert dict(db.session.execute(select(Finding.subject_id, Finding.level)).all()) == {"outcomes": "good", "outcomes.2": "good"}


def test_files_that_are_not_readable_get_a_message_not_a_traceback(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    cases = {
        "not_utf8.csv": ["Line 3: the file is not UTF-8 text. In your spreadsheet, save it as ‘CSV UTF-8’ and upload it again"],
        "workbook.xlsx": ["The file is a spreadsheet workbook, not CSV. In your spreadsheet, save it as ‘CSV UTF-8’ and upload that"],
        "unquoted_comma.csv": ["Row 3: it has 7 cells but the header has 6 columns (put text containing commas in double quotes)"],
        "broken.json": ["Line 2: the file is not valid JSON (Expecting ',' delimiter, column 46)"],
    }
    for name, expected in cases.items():
        response = _upload(client, setup.round.id, name)
        assert response.status_code == 200, name
        assert errors(page(response)) == expected, name
    for name, content, expected in [
        ("empty.csv", b"", ["The file is empty"]),
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["The file is not a CSV or JSON text file"]),
        (
            "header_only.csv",
            b"kind,subject,judgement,text,priority,date\r\n",
            ["The file, inspection: add a row of kind ‘inspection’ with the date of the inspection"],
        ),
        (
            "semicolons.csv",
            b"kind;subject;judgement\n",
            [
                "Row 1, header: unknown column ‘kind;subject;judgement’ (the columns are kind, subject, judgement, text, priority, date)",
                "Row 1, header: the column ‘kind’ is missing",
            ],
        ),
        ("list.json", b"[1, 2]", ["The file must hold one JSON object, starting with {"]),
    ]:
        assert errors(page(_upload(client, setup.round.id, name, content))) == expected, name
    _nothing_saved()


def test_a_file_over_the_size_limit_is_refused(client, app, login, inspected_round):
    setup = inspected_round
    app.config["SAIT_FINDINGS_MAX_BYTES"] = 1000
    login(setup.inspector)
    assert errors(page(_upload(client, setup.round.id, "good.csv"))) == ["The file must be 1 KB or smaller"]
    _nothing_saved()


def test_no_file_selected(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    url = f"/rounds/{setup.round.id}/inspection/import"
    token = page(client.get(url)).select_one("input[name=csrf_token]")["value"]
    soup = page(client.post(url, data={"csrf_token": token, "seen": "none"}, content_type="multipart/form-data"))
    assert errors(soup) == ["Select a CSV or JSON file of findings"]


def test_importing_replaces_the_draft_findings(client, login, inspected_round):
    setup = inspected_round
    record_findings(
        setup.round, setup.inspector, {"outcomes": "good", "capacity.2": "good"}, published=False, recommendations=[("Old advice.", "improvement", ())]
    )
    login(setup.inspector)
    assert "replaces the draft findings" in page(client.get(f"/rounds/{setup.round.id}/inspection/import")).get_text()
    assert _upload(client, setup.round.id, "good.csv").status_code == 302
    subjects = set(db.session.scalars(select(Finding.subject_id)).all())
    assert "capacity.2" not in subjects and len(subjects) == 7
    assert db.session.scalar(select(Finding.level).where(Finding.subject_id == "outcomes")) == "inadequate"
    assert "Old advice." not in db.session.scalars(select(Recommendation.text)).all()


def test_an_import_over_someone_elses_changes_is_refused(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    response = _upload(client, setup.round.id, "good.csv", stamp="an-old-stamp")
    assert "so nothing was imported" in banner(page(client.get(response.headers["Location"])))
    _nothing_saved()
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "findings_import_conflict")) is not None


def test_published_findings_cannot_be_replaced_by_an_import(client, login, inspected_round):
    setup = inspected_round
    record_findings(setup.round, setup.inspector, all_domains(FRAMEWORK, "good"))
    login(setup.inspector)
    response = _upload(client, setup.round.id, "good.csv")
    assert "cannot be changed" in banner(page(client.get(response.headers["Location"])))
    assert set(db.session.scalars(select(Finding.level)).all()) == {"good"}


def test_only_inspectors_of_the_board_may_import(client, login, inspected_round):
    setup = inspected_round
    login(setup.manager)
    response = _upload_as_outsider(client, setup.round.id)
    assert page(response).select_one("h1").get_text(strip=True) == "You do not have permission to see this page"
    _nothing_saved()


def _upload_as_outsider(client, round_id: int):
    return client.post(
        f"/rounds/{round_id}/inspection/import",
        data={"csrf_token": csrf_token(client, "/"), "seen": "none", "findings_file": (io.BytesIO((FILES / "good.csv").read_bytes()), "good.csv")},
        content_type="multipart/form-data",
    )


# The reader never fails with anything but a list of problems, whatever bytes it is given.
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")), st.sampled_from(["f.csv", "f.json", "f"]))
def test_any_file_gives_findings_or_problems(data, name):
    try:
        result = read_findings_file(data, name, FRAMEWORK, today=date(2026, 6, 1), max_text=5000)
    except FindingsFileError as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)
    else:
        assert isinstance(result, FindingsFile)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["domain", "benchmark", "outcomes", "outcomes.1", "good", "x", "", "immediate", "2026-01-01", '"', ","]), max_size=7),
        max_size=6,
    )
)
def test_any_csv_like_rows_give_findings_or_problems(rows):
    text = "kind,subject,judgement,text,priority,date\n" + "\n".join(",".join(row) for row in rows)
    try:
        read_findings_file(text.encode(), "f.csv", FRAMEWORK, today=date(2026, 6, 1), max_text=5000)
    except FindingsFileError as error:
        assert error.problems
