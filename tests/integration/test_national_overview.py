"""The national overview: each board's latest published inspection against its self-assessment, for inspectors and the admin.

The boards, agreed at one level everywhere and inspected at one level in every domain:

| board | agreed | inspected (latest) | over-optimism |
|---|---|---|---|
| Aberhonddu | Good | Requires improvement, 10 January 2026 | +1 |
| Brecon | Requires improvement | Requires improvement, 20 February 2026 | 0 |
| Caerdydd | Outstanding | Inadequate, 1 December 2025 | +3 |
| Dyfed | (not inspected) | | |

Aberhonddu also has an older inspection (2024) and Brecon a newer draft: neither counts.
The inspector is assigned to Aberhonddu, Brecon and Dyfed, not Caerdydd.
Mean over-optimism across the three boards: (1 + 0 + 3) / 3 = +1.33.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import pytest

from app.data.framework_store import current_framework
from app.data.models import Board, User
from tests.factories import csrf_token, page
from tests.integration.govuk import table_rows
from tests.integration.inspection_helpers import agree, all_domains, record_findings
from tests.integration.round_builder import Respondent, counted_queries

RI = "requires_improvement"


@dataclass
class Boards:
    inspector: User
    admin: User
    manager: User
    member: User
    named: dict[str, Board]


@pytest.fixture
def add_inspection(build_round):
    def add(board: Board, inspector: User, agreed: str, inspected: str, on: date, *, published: bool = True, manager: User | None = None):
        framework = current_framework()
        built = build_round([Respondent("police", default=agreed)], board=board, manager=manager, title=f"Round inspected {on}")
        agree(built.round, {b.id: agreed for b in framework.benchmarks})
        record_findings(built.round, inspector, all_domains(framework, inspected), published=published, inspected_on=on)
        return built

    return add


@pytest.fixture
def boards(make_user, make_board, add_member, add_inspection) -> Boards:
    inspector, other_inspector = make_user("Huw Inspector"), make_user("Other Inspector")
    admin = make_user("Admin", is_admin=True)
    named = {name: make_board(f"{name} Safeguarding Board") for name in ("Aberhonddu", "Brecon", "Caerdydd", "Dyfed")}
    for name in ("Aberhonddu", "Brecon", "Dyfed"):
        add_member(inspector, named[name], "inspector", "other")
    add_member(other_inspector, named["Caerdydd"], "inspector", "other")
    first = add_inspection(named["Aberhonddu"], inspector, "outstanding", "inadequate", date(2024, 6, 1))
    add_inspection(named["Aberhonddu"], inspector, "good", RI, date(2026, 1, 10), manager=first.manager)
    brecon = add_inspection(named["Brecon"], inspector, RI, RI, date(2026, 2, 20))
    add_inspection(named["Brecon"], inspector, "outstanding", "inadequate", date(2026, 5, 1), published=False, manager=brecon.manager)
    add_inspection(named["Caerdydd"], other_inspector, "outstanding", "inadequate", date(2025, 12, 1))
    return Boards(inspector, admin, first.manager, first.members[0], named)


def _names(soup) -> list[str]:
    return [th.get_text(" ", strip=True).split(" Safeguarding Board")[0] for th in soup.select("#boards tbody th")]


def _sign_out(client) -> None:
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})


def test_an_inspector_sees_only_the_boards_they_inspect(client, login, boards):
    login(boards.inspector)
    soup = page(client.get("/national-overview"))
    assert soup.select_one("h1").get_text(strip=True) == "National overview"
    assert _names(soup) == ["Aberhonddu", "Brecon"]
    assert [li.get_text(strip=True) for li in soup.select("#not-inspected li")] == ["Dyfed Safeguarding Board"]
    assert "Caerdydd" not in soup.get_text()
    link = soup.select_one("#boards tbody th a")
    assert link["href"].endswith("/comparison")


def test_the_administrator_sees_every_board_without_links_into_them(client, login, boards):
    login(boards.admin)
    soup = page(client.get("/national-overview"))
    assert _names(soup) == ["Aberhonddu", "Brecon", "Caerdydd"]
    assert soup.select("#boards tbody th a") == []
    summary = soup.select_one("#national-summary").get_text(" ", strip=True)
    assert "Boards with a published inspection 3" in summary
    assert "Mean over-optimism of these boards +1.33" in summary


def test_each_board_shows_self_assessed_and_inspected_judgements_per_domain(client, login, boards):
    login(boards.admin)
    soup = page(client.get("/national-overview"))
    rows = table_rows(soup, "boards")
    assert rows[0][0] == "10 January 2026"
    assert rows[0][1] == "Self: Good Inspection: Requires improvement Over-optimism: +1 Above inspection"
    assert rows[1][1] == "Self: Requires improvement Inspection: Requires improvement Over-optimism: 0"
    assert rows[2][1] == "Self: Outstanding Inspection: Inadequate Over-optimism: +3 Above inspection"
    assert [row[-1] for row in rows] == ["+1", "0", "+3"]


def test_how_many_boards_sit_at_each_level(client, login, boards):
    login(boards.admin)
    soup = page(client.get("/national-overview"))
    assert {tuple(row) for row in table_rows(soup, "levels-self_assessed")} == {("0", "1", "1", "1")}
    assert {tuple(row) for row in table_rows(soup, "levels-inspected")} == {("1", "2", "0", "0")}
    assert [th.get_text(strip=True) for th in soup.select("#levels-inspected thead th")][1:] == ["Inadequate", "Requires improvement", "Good", "Outstanding"]


@pytest.mark.parametrize(
    ("query", "order", "sorted_column"),
    [
        ("", ["Aberhonddu", "Brecon", "Caerdydd"], "Board"),
        ("?sort=board&order=desc", ["Caerdydd", "Brecon", "Aberhonddu"], "Board"),
        ("?sort=overall&order=desc", ["Caerdydd", "Aberhonddu", "Brecon"], "Over-optimism overall"),
        ("?sort=inspected&order=asc", ["Caerdydd", "Aberhonddu", "Brecon"], "Inspected on"),
        ("?sort=outcomes&order=asc", ["Brecon", "Aberhonddu", "Caerdydd"], "Improving safeguarding outcomes for children"),
        ("?sort=nonsense", ["Aberhonddu", "Brecon", "Caerdydd"], "Board"),
    ],
)
def test_the_table_sorts_on_the_server(client, login, boards, query, order, sorted_column):
    login(boards.admin)
    soup = page(client.get("/national-overview" + query))
    assert _names(soup) == order
    sorted_headers = [th for th in soup.select("#boards thead th") if th["aria-sort"] != "none"]
    assert [th.select_one("a").contents[0].strip() for th in sorted_headers] == [sorted_column]


def test_the_csv_download(client, login, boards):
    login(boards.admin)
    response = client.get("/national-overview.csv?sort=overall&order=desc")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="national-overview.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["board"] for row in rows] == ["Caerdydd Safeguarding Board", "Aberhonddu Safeguarding Board", "Brecon Safeguarding Board"]
    first = rows[0]
    assert (first["inspected_on"], first["outcomes_self_assessed"], first["outcomes_inspected"], first["outcomes_over_optimism"]) == (
        "2025-12-01",
        "Outstanding",
        "Inadequate",
        "+3",
    )
    every = str(len(current_framework().benchmarks))  # each benchmark of the framework has a finding, and all are above it
    assert (first["overall_over_optimism"], first["benchmarks_compared"], first["benchmarks_above_inspection"]) == ("+3", every, every)
    assert rows[2]["overall_over_optimism"] == "0"


def test_a_board_name_cannot_run_as_a_spreadsheet_formula(client, login, make_user, make_board, add_member, add_inspection):
    inspector = make_user()
    board = make_board("=HYPERLINK(\"http://evil.example\") Board")
    add_member(inspector, board, "inspector", "other")
    add_inspection(board, inspector, "good", "good", date(2026, 1, 1))
    login(inspector)
    rows = list(csv.reader(io.StringIO(client.get("/national-overview.csv").get_data(as_text=True))))
    assert rows[1][0] == "'=HYPERLINK(\"http://evil.example\") Board"


def test_the_chart_is_an_svg_without_script(client, login, boards):
    login(boards.inspector)
    response = client.get("/national-overview/chart.svg")
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "<script" not in svg and "Self-assessed (mean of boards)" in svg


def test_board_members_and_strangers_are_refused(client, login, boards):
    for person in (boards.manager, boards.member):
        login(person)
        for url in ("/national-overview", "/national-overview.csv", "/national-overview/chart.svg"):
            response = client.get(url)
            assert response.status_code == 403, url
        assert page(client.get("/national-overview")).select_one("h1").get_text(strip=True) == "You do not have permission to see this page"
        _sign_out(client)
    assert client.get("/national-overview").headers["Location"].startswith("/sign-in")


def test_the_home_page_links_inspectors_and_the_administrator_to_it(client, login, boards):
    for person, shown in ((boards.inspector, True), (boards.admin, True), (boards.manager, False)):
        login(person)
        assert (page(client.get("/")).select_one("#national-overview-link a[href='/national-overview']") is not None) is shown
        _sign_out(client)


def test_the_overview_makes_the_same_number_of_queries_for_more_boards(client, login, make_user, make_board, add_inspection):
    admin = make_user("Admin", is_admin=True)
    inspector = make_user()
    counts = []
    login(admin)
    for batch in (2, 4):
        for n in range(batch):
            add_inspection(make_board(), inspector, "good" if n % 2 else RI, RI, date(2026, 1, 1 + n))
        with counted_queries() as statements:
            soup = page(client.get("/national-overview"))
        counts.append(len(statements))
    assert len(_names(soup)) == 6
    assert counts[0] == counts[1]
