"""Members' figures across respondents, computed in the database, as the data grows.

Builds 200 boards x 40 respondents x every benchmark (one submitted round
per board) in PostgreSQL and in SQLite, in three steps: a quarter (50
boards), a half (100) and the full size (200). After each step it times the
per-benchmark aggregation (app.data.aggregation) for one round and for all boards
at once, and prints how the time grows as the data doubles: one round should
stay flat (it reads one round's rows through the indexes), all boards should
grow close to linearly (ratio about 2 per doubling).

    .venv/bin/python bench/aggregate.py [--boards 200] [--respondents 40] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from common import REPO, database
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from app.core.framework import Framework, load_framework
from app.data.aggregation import round_agreement, round_agreements
from app.web.agencies import AGENCIES

RATINGS = ("inadequate", "requires_improvement", "good", "outstanding", "not_known", "not_applicable")
RATING_WEIGHTS = (10, 30, 40, 12, 5, 3)
EVIDENCE_PER_BOARD = 8


@dataclass
class Ids:
    """The next id of each table: rows get explicit ids so answers can name their response."""

    board: int = 1
    user: int = 1
    membership: int = 1
    round: int = 1
    response: int = 1
    answer: int = 1
    evidence: int = 1


def _framework_version(conn: Connection, framework: Framework) -> int:
    conn.execute(
        text("INSERT INTO framework_versions (id, version, content_hash, source_text, loaded_at) VALUES (1, :v, :h, :t, :at)"),
        {"v": framework.version, "h": framework.content_hash, "t": framework.source_text, "at": datetime.now(UTC)},
    )
    return 1


def add_boards(conn: Connection, framework: Framework, ids: Ids, boards: int, respondents: int, rng: random.Random) -> int:
    """Add `boards` boards, each with one round answered by `respondents` members; return answers added."""
    now = datetime.now(UTC)
    board_rows, user_rows, membership_rows, round_rows, response_rows, answer_rows = [], [], [], [], [], []
    evidence_rows, citation_rows = [], []
    agencies = [agency.id for agency in AGENCIES]
    for _ in range(boards):
        board_id, round_id = ids.board, ids.round
        ids.board += 1
        ids.round += 1
        board_rows.append({"id": board_id, "name": f"Bench board {board_id}", "created_at": now})
        round_rows.append(
            {
                "id": round_id,
                "board_id": board_id,
                "framework_version_id": 1,
                "title": "Bench round",
                "target_level": "good",
                "status": "closed",
                "created_at": now,
            }
        )
        register = list(range(ids.evidence, ids.evidence + EVIDENCE_PER_BOARD))
        ids.evidence += EVIDENCE_PER_BOARD
        evidence_rows += [
            {
                "id": item_id,
                "board_id": board_id,
                "title": f"Audit {item_id}",
                "source_agency": "police",
                "evidence_date": now.date(),
                "impact": "Children seen sooner",
                "reference": "",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for item_id in register
        ]
        for n in range(respondents):
            user_id, membership_id, response_id = ids.user, ids.membership, ids.response
            ids.user += 1
            ids.membership += 1
            ids.response += 1
            agency = agencies[n % len(agencies)]
            user_rows.append(
                {
                    "id": user_id,
                    "email": f"m{user_id}@bench.example.org",
                    "name": f"Member {user_id}",
                    "password_hash": "x",
                    "is_admin": False,
                    "active": True,
                    "session_token": f"t{user_id}",
                    "created_at": now,
                }
            )
            membership_rows.append({"id": membership_id, "user_id": user_id, "board_id": board_id, "role": "member", "agency": agency, "created_at": now})
            submitted = rng.random() < 0.95
            response_rows.append(
                {
                    "id": response_id,
                    "round_id": round_id,
                    "membership_id": membership_id,
                    "agency": agency,
                    "status": "submitted" if submitted else "in_progress",
                    "submitted_at": now if submitted else None,
                    "created_at": now,
                }
            )
            chosen = rng.choices(RATINGS, RATING_WEIGHTS, k=len(framework.benchmarks))
            for benchmark, rating in zip(framework.benchmarks, chosen, strict=True):
                evidence = "Audit of 20 cases" if rng.random() < 0.7 else ""
                # Half the answers without words, and a fifth of the others, cite the register.
                if rng.random() < (0.5 if not evidence else 0.2):
                    citation_rows.append((ids.answer, rng.choice(register)))
                answer_rows.append((ids.answer, response_id, benchmark.id, rating, evidence, not evidence, 2, now, user_id))
                ids.answer += 1
    tables = (
        ("boards", board_rows),
        ("users", user_rows),
        ("assessment_rounds", round_rows),
        ("memberships", membership_rows),
        ("responses", response_rows),
        ("evidence_items", evidence_rows),
    )
    for table, rows in tables:
        columns = list(rows[0])
        conn.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"), rows)
    _copy(conn, "answers", ANSWER_COLUMNS, answer_rows)
    _copy(conn, "answer_evidence", "answer_id, evidence_item_id", citation_rows)
    conn.commit()
    conn.exec_driver_sql("ANALYZE")
    conn.commit()
    return len(answer_rows)


ANSWER_COLUMNS = "id, response_id, benchmark_id, rating, evidence, no_evidence_yet, version, updated_at, updated_by_id"


def _copy(conn: Connection, table: str, columns: str, rows: list[tuple]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns.split(","))
    conn.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def timed(action: Callable[[], object], repeats: int) -> float:
    """The median wall time of `repeats` runs, in seconds (after one warm-up run)."""
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(kind: str, total_boards: int, respondents: int) -> list[dict]:
    framework = load_framework(REPO / "sait_domains.yaml")
    rng = random.Random(2026)
    results = []
    with database(kind) as url:
        engine = create_engine(url)
        with engine.connect() as conn:
            _framework_version(conn, framework)
            conn.commit()
            ids = Ids()
            answers = 0
            for boards in (total_boards // 4, total_boards // 2, total_boards):
                answers += add_boards(conn, framework, ids, boards - (ids.board - 1), respondents, rng)
                all_rounds = {round_id: framework for round_id in range(1, ids.round)}
                one = timed(lambda: round_agreement(conn, 1, framework), repeats=15)
                every = timed(lambda rounds=all_rounds: round_agreements(conn, rounds, by_agency=False), repeats=5)
                agencies = timed(lambda rounds=all_rounds: round_agreements(conn, rounds), repeats=5)
                results.append({"database": kind, "boards": boards, "answers": answers, "one": one, "all": every, "agencies": agencies})
                print(
                    f"{kind:<10} {boards:>4} boards {answers:>8} answers: one round {one * 1000:7.1f} ms, "
                    f"all boards {every * 1000:8.1f} ms, all boards by agency {agencies * 1000:8.1f} ms",
                    flush=True,
                )
        engine.dispose()
    return results


def table(results: list[dict]) -> str:
    lines = [
        "| database | boards | answers | one round (ms) | x | all boards (ms) | x | all boards by agency (ms) | x |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    previous: dict | None = None
    for row in results:
        if previous is not None and previous["database"] != row["database"]:
            previous = None
        cells = [row["database"], str(row["boards"]), f"{row['answers']:,}"]
        for key, digits in (("one", 1), ("all", 0), ("agencies", 0)):
            cells.append(f"{row[key] * 1000:.{digits}f}")
            cells.append(f"{row[key] / previous[key]:.2f}" if previous else "–")
        lines.append("| " + " | ".join(cells) + " |")
        previous = row
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boards", type=int, default=200)
    parser.add_argument("--respondents", type=int, default=40)
    parser.add_argument("--databases", default="postgresql,sqlite")
    args = parser.parse_args()
    results = []
    for kind in args.databases.split(","):
        results += run(kind.strip(), args.boards, args.respondents)
    print()
    print("How the time grows as the data doubles (x: time / time at half the size):")
    print()
    print(table(results))


if __name__ == "__main__":
    main()
