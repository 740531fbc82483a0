"""Challenge and response: inspectors challenge a benchmark, the business manager replies, the thread stays with the round."""

from __future__ import annotations

from sqlalchemy import select

from app.data.framework_store import current_framework
from app.data.models import AuditEvent, ChallengeComment
from app.extensions import db
from tests.factories import csrf_token, page
from tests.integration.govuk import banner, errors
from tests.integration.inspection_helpers import all_domains, record_findings

BENCHMARK = "governance.3"


def _thread_url(round_id: int, benchmark_id: str = BENCHMARK) -> str:
    return f"/rounds/{round_id}/challenges/{benchmark_id}"


def _comment(client, round_id: int, text: str, benchmark_id: str = BENCHMARK):
    url = _thread_url(round_id, benchmark_id)
    return client.post(url, data={"csrf_token": csrf_token(client, url), "text": text})


def _thread(soup) -> list[tuple[str, str]]:
    """(who and role, text) for each comment in the thread, oldest first."""
    return [
        (li.select_one("p strong").get_text(strip=True) + " " + li.select("p")[0].get_text(" ", strip=True).split(",")[1].strip(), li.select("p")[1].get_text())
        for li in soup.select("#comments li")
    ]


def _sign_out(client) -> None:
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})


def test_an_inspector_challenges_and_the_business_manager_replies(client, login, inspected_round):
    setup = inspected_round
    round_id = setup.round.id
    framework = current_framework()
    login(setup.inspector)
    soup = page(client.get(_thread_url(round_id)))
    assert soup.select_one("h1").get_text(strip=True) == framework.benchmark(BENCHMARK).title.get()
    assert "No one has challenged this benchmark yet." in soup.select_one("#comments").get_text()
    response = _comment(client, round_id, "Which minutes show partners <script>alert(1)</script> being held to account?")
    soup = page(client.get(response.headers["Location"]))
    assert "Your challenge was added." in banner(soup)
    _sign_out(client)

    login(setup.manager)
    soup = page(client.get(f"/rounds/{round_id}/inspection"))
    threads = soup.select_one("#challenge-threads").get_text(" ", strip=True)
    assert "1 comment – waiting for the board’s reply" in threads
    response = _comment(client, round_id, "The March and June minutes, items 4 and 6.\nBoth name an owner.")
    soup = page(client.get(response.headers["Location"]))
    assert "Your reply was added." in banner(soup)
    assert _thread(soup) == [
        ("Huw Inspector Inspector", "Which minutes show partners <script>alert(1)</script> being held to account?"),
        ("Siân Manager Business manager or chair", "The March and June minutes, items 4 and 6.\nBoth name an owner."),
    ]
    assert soup.select_one("#comments script") is None
    assert [e for e in db.session.scalars(select(AuditEvent.action)).all() if e.startswith("challenge")] == ["challenge_added", "challenge_reply_added"]


def test_the_business_manager_cannot_open_a_thread(client, login, inspected_round):
    setup = inspected_round
    login(setup.manager)
    soup = page(client.get(_thread_url(setup.round.id)))
    assert "once the inspectors have challenged this benchmark" in soup.get_text()
    assert soup.select_one("textarea") is None
    response = _comment(client, setup.round.id, "Unprompted.")
    assert response.status_code == 403
    assert db.session.scalar(select(ChallengeComment.id)) is None


def test_a_comment_must_be_given_and_not_too_long(client, app, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    soup = page(_comment(client, setup.round.id, "   "))
    assert errors(soup) == ["Enter your comment"]
    limit = app.config["SAIT_EVIDENCE_MAX_CHARS"]
    soup = page(_comment(client, setup.round.id, "x" * (limit + 1)))
    assert errors(soup) == [f"Your comment must be {limit:,} characters or fewer"]
    assert soup.select_one("#text").get_text() == "x" * (limit + 1)  # what was typed is kept
    assert db.session.scalar(select(ChallengeComment.id)) is None


def test_threads_show_on_the_published_comparison_to_the_manager_not_members(client, login, inspected_round):
    setup = inspected_round
    record_findings(setup.round, setup.inspector, all_domains(current_framework(), "good"))
    login(setup.inspector)
    _comment(client, setup.round.id, "Show us the evidence.")
    soup = page(client.get(f"/rounds/{setup.round.id}/comparison"))
    link = soup.select_one(f"#benchmarks-governance tr[data-benchmark-id='{BENCHMARK}'] td:last-child a")
    assert link.get_text(" ", strip=True).startswith("1 comment") and link["href"].endswith(_thread_url(setup.round.id))
    _sign_out(client)

    # The thread is the inspectors' and the business manager's exchange
    # (docs/permissions.md): once findings are published, members see the
    # comparison but neither the thread nor a link to it.
    login(setup.manager)
    section = page(client.get(f"/rounds/{setup.round.id}/comparison")).select_one("#thread-governance_3")
    assert "Show us the evidence." in section.get_text()
    _sign_out(client)
    login(setup.member)
    soup = page(client.get(f"/rounds/{setup.round.id}/comparison"))
    assert soup.select_one("#thread-governance_3") is None
    assert "Show us the evidence." not in soup.get_text()
    cell = soup.select_one(f"#benchmarks-governance tr[data-benchmark-id='{BENCHMARK}'] td:last-child")
    assert cell is None or cell.select_one("a") is None
    assert page(client.get(_thread_url(setup.round.id))).select_one("h1").get_text(strip=True) == "You do not have permission to see this page"


def test_threads_belong_to_one_round_and_board(client, login, inspected_round, build_round, make_user, make_board, add_member):
    setup = inspected_round
    later = build_round([], board=setup.board, manager=setup.manager, title="Next year")
    login(setup.inspector)
    _comment(client, setup.round.id, "About the first round.")
    assert "No one has challenged" in page(client.get(_thread_url(later.round.id))).get_text()
    assert page(client.get(_thread_url(setup.round.id, "nowhere.1"))).select_one("h1").get_text(strip=True) == "Page not found"
    _sign_out(client)

    outsider = make_user("Inspector Elsewhere")
    add_member(outsider, make_board("Another board"), "inspector", "other")
    login(outsider)
    assert client.get(_thread_url(setup.round.id)).status_code == 404
    assert _comment_status(client, setup.round.id) == 404
    assert db.session.scalar(select(ChallengeComment.text).where(ChallengeComment.round_id == setup.round.id)) == "About the first round."


def _comment_status(client, round_id: int) -> int:
    return client.post(_thread_url(round_id), data={"csrf_token": csrf_token(client, "/"), "text": "Sneaky"}).status_code
