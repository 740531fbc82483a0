"""The PDF report of a full round: the app's time against WeasyPrint's own, and a cached download.

Builds, in a temporary SQLite database, a moderated round on the shipped
framework (5 domains, every benchmark) with 30 submitted respondents who all
give evidence, a 10-item evidence register cited by agreed ratings, and 20
actions. Then, in this process (as the app renders: in-process, with its
shared font configuration and compiled stylesheet already loaded):

- **app, cold**: ``GET /rounds/<id>/report.pdf`` as the business manager with
  the PDF store emptied first: queries, scoring, chart, template, WeasyPrint,
  storing the PDF;
- **WeasyPrint alone**: WeasyPrint's ``write_pdf`` on the same final HTML, with
  the same stylesheet, font configuration and options;
- their ratio (the goal is at most 1.2);
- **cached**: the same download again (from the store), and a revalidation
  with ``If-None-Match`` (304).

Runs alternate, so load on the machine falls on both sides alike; medians are
printed, of wall-clock time and of this process's CPU time (which other
programs on a busy machine disturb less).

    .venv/bin/python bench/report.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import random
import re
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from common import app_config, database
from pypdf import PdfReader

PASSWORD = "bench password for the manager"


def build_round(respondents: int = 30, actions: int = 20) -> int:
    """A moderated round with every benchmark answered, with evidence, by ``respondents`` members."""
    from sqlalchemy import insert

    from app.auth.passwords import hash_password
    from app.data.framework_store import current_framework, pin_current_framework
    from app.data.models import Action, ActionBenchmark, AgreedRating, Answer, AssessmentRound, Board, EvidenceItem, Membership, Response, User
    from app.extensions import db
    from app.reports.render import report_today
    from app.web.agencies import AGENCIES

    rng = random.Random(7)
    framework = current_framework()
    levels = framework.scale.ids
    now = datetime.now(UTC)
    board = Board(name="Bwrdd Diogelu Plant Gŵyr a Thawe")
    db.session.add(board)
    db.session.flush()
    manager = User(email="manager@bench.example.org", name="Siân Davies", password_hash=hash_password(PASSWORD))
    db.session.add(manager)
    db.session.flush()
    db.session.add(Membership(user_id=manager.id, board_id=board.id, role="business_manager", agency="local_authority"))
    assessment_round = AssessmentRound(
        board_id=board.id,
        framework_version_id=pin_current_framework().id,
        title="Self-assessment 2026: Tŷ Hafan",
        target_level=framework.target_level,
        status="moderated",
        opened_by_id=manager.id,
        closed_at=now,
        deadline=date.today() - timedelta(days=10),
    )
    db.session.add(assessment_round)
    db.session.flush()
    true_level = {b.id: rng.choice((1, 2, 2, 3)) for b in framework.benchmarks}
    for n in range(respondents):
        agency = AGENCIES[n % len(AGENCIES)].id
        user = User(email=f"member{n}@bench.example.org", name=f"Member {n:02d}", password_hash="")
        db.session.add(user)
        db.session.flush()
        membership = Membership(user_id=user.id, board_id=board.id, role="member", agency=agency)
        db.session.add(membership)
        db.session.flush()
        response = Response(round_id=assessment_round.id, membership_id=membership.id, agency=agency, status="submitted", submitted_at=now)
        db.session.add(response)
        db.session.flush()
        db.session.execute(
            insert(Answer),
            [
                {
                    "response_id": response.id,
                    "benchmark_id": b.id,
                    "rating": levels[max(0, min(3, true_level[b.id] + rng.choice((-1, 0, 0, 1))))],
                    "evidence": f"Audit of {rng.randint(10, 40)} cases in {b.title.get()}: findings reported to the quality sub-group.",
                    "no_evidence_yet": False,
                    "version": 2,
                    "updated_at": now,
                    "updated_by_id": user.id,
                }
                for b in framework.benchmarks
            ],
        )
    items = []
    for n in range(10):
        item = EvidenceItem(
            board_id=board.id,
            title=f"Multi-agency audit {n + 1}",
            source_agency=AGENCIES[n % 6].id,
            evidence_date=date(2026, 1, 1) + timedelta(days=20 * n),
            impact="Children were seen sooner: 18 of 20 within timescales, up from 11 last year.",
            reference=f"Board papers, item {n + 1}",
            created_by_id=manager.id,
            updated_by_id=manager.id,
        )
        db.session.add(item)
        items.append(item)
    db.session.flush()
    for b in framework.benchmarks:
        row = AgreedRating(
            round_id=assessment_round.id,
            benchmark_id=b.id,
            rating=levels[true_level[b.id]],
            rationale="Agreed at the board after hearing every partner; the audit sample supports it.",
            updated_by_id=manager.id,
        )
        row.evidence = rng.sample(items, 2)
        db.session.add(row)
    benchmark_ids = [b.id for b in framework.benchmarks]
    today = report_today()
    for n in range(actions):
        action = Action(
            board_id=board.id,
            round_id=assessment_round.id,
            description=f"Action {n + 1}: agree and test outcome measures with every statutory partner, and report them quarterly.",
            owner_agency=AGENCIES[n % 6].id,
            lead_person=f"Lead {n + 1}",
            due_date=today + timedelta(days=30 * (n - 4)),
            success_measure="The quarterly report shows the measure for two quarters running, discussed at the board.",
            status=("not_started", "on_track", "at_risk", "done")[n % 4],
            created_by_id=manager.id,
            updated_by_id=manager.id,
        )
        action.benchmarks = [ActionBenchmark(benchmark_id=benchmark_ids[(3 * n) % len(benchmark_ids)])]
        db.session.add(action)
    db.session.commit()
    return assessment_round.id


def sign_in(client) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/sign-in", data={"email": "manager@bench.example.org", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, "could not sign in"


def timed(action, cpu: list[float] | None = None) -> tuple[float, object]:
    """Wall-clock seconds for ``action``; its CPU seconds in this process are appended to ``cpu``."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = action()
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with database("sqlite") as url:
        from sqlalchemy import delete
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        from app import create_app
        from app.core.report_chart import chart_data_url
        from app.data.models import AssessmentRound, ReportPdf
        from app.data.reports import build_report
        from app.extensions import db
        from app.reports.pdf import RENDER_OPTIONS, STYLESHEET, StaticFilesFetcher
        from app.reports.render import report_html, report_key_for, report_today

        app = create_app(app_config(url))
        with app.app_context():
            started = time.perf_counter()
            round_id = build_round()
            print(f"Built the round in {time.perf_counter() - started:.1f} s: 30 respondents, every benchmark, 20 actions")
            report = build_report(db.session.get(AssessmentRound, round_id), today=report_today())
            html = report_html(report)
            key = report_key_for(report)
            # Where the app's own time goes (warm: after a first run of each).
            parts = {
                "gathering the data": lambda: build_report(db.session.get(AssessmentRound, round_id), today=report_today()),
                "the chart": lambda: chart_data_url(report.chart),
                "the template (with the chart)": lambda: report_html(report),
                "the cache key": lambda: report_key_for(report),
            }
            breakdown = {name: statistics.median(timed(part)[0] for _ in range(5)) for name, part in parts.items()}
            db.session.remove()

        static = app.static_folder
        font_config = FontConfiguration()
        stylesheet = CSS(filename=f"{static}/{STYLESHEET}", font_config=font_config)

        def weasyprint_alone() -> bytes:
            document = HTML(string=html, base_url=static + "/", url_fetcher=StaticFilesFetcher(static))
            return document.write_pdf(stylesheets=[stylesheet], font_config=font_config, **RENDER_OPTIONS)

        client = app.test_client()
        path = f"/rounds/{round_id}/report.pdf"
        with app.app_context():
            sign_in(client)
        # Warm both sides once (fonts, stylesheet, templates), as a running server is.
        weasyprint_alone()
        client.get(path)

        app_times, alone_times, app_cpu, alone_cpu = [], [], [], []
        pages = 0
        for _ in range(args.runs):
            with app.app_context():
                db.session.execute(delete(ReportPdf))
                db.session.commit()
                db.session.remove()
            seconds, response = timed(lambda: client.get(path), app_cpu)
            assert response.status_code == 200 and response.headers["ETag"].strip('"') == key, "the app rendered different data"
            app_times.append(seconds)
            seconds, pdf = timed(weasyprint_alone, alone_cpu)
            alone_times.append(seconds)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
        cached = [timed(lambda: client.get(path))[0] for _ in range(5)]
        not_modified = [timed(lambda: client.get(path, headers={"If-None-Match": f'"{key}"'}))[0] for _ in range(5)]
        assert client.get(path, headers={"If-None-Match": f'"{key}"'}).status_code == 304

        app_median, alone_median = statistics.median(app_times), statistics.median(alone_times)
        print(f"PDF: {pages} pages, {len(response.data) // 1024} KB")
        print(f"App, cold cache (route):      median {app_median:.2f} s  runs {', '.join(f'{t:.2f}' for t in app_times)}")
        print(f"WeasyPrint alone, same HTML:  median {alone_median:.2f} s  runs {', '.join(f'{t:.2f}' for t in alone_times)}")
        print(f"Ratio app / WeasyPrint:       {app_median / alone_median:.3f} (goal at most 1.2)")
        cpu_ratio = statistics.median(app_cpu) / statistics.median(alone_cpu)
        print(f"  in CPU time (steadier on a busy machine): app {statistics.median(app_cpu):.2f} s, "
              f"WeasyPrint {statistics.median(alone_cpu):.2f} s, ratio {cpu_ratio:.3f}")
        print("App's own steps:              " + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in breakdown.items()))
        print(f"Cached download:              median {statistics.median(cached) * 1000:.0f} ms")
        print(f"Revalidation (304):           median {statistics.median(not_modified) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
