"""Autosave under load: 50 simulated members saving answers for 60 seconds.

Runs the app under gunicorn on 127.0.0.1, on SQLite and on PostgreSQL. Each
member signs in, opens a domain page and then, for the whole run, changes one
of their answers at a time through the autosave endpoint, as a person typing
would (with a short pause between changes). At the end every stored answer is
compared with the last text its member sent: any difference is a lost write.

Prints, per database: autosave latency (median and 95th percentile), the same
for a single member on an idle server (the baseline measured in this run) and
the ratio, requests per second, errors, and lost writes (must be 0).

    .venv/bin/python bench/autosave.py [--members 50] [--seconds 60] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import random
import re
import threading
import time

import requests
from common import app_config, database, gunicorn, summary_ms

PASSWORD = "bench password for members"


def create_members(url: str, count: int) -> tuple[int, list[str], str]:
    """A board with `count` members invited to one open round; returns (round id, emails, domain id)."""
    from app import create_app
    from app.auth.passwords import hash_password
    from app.data.framework_store import current_framework, pin_current_framework
    from app.data.models import AssessmentRound, Board, Membership, User
    from app.data.questionnaire import create_response
    from app.extensions import db

    app = create_app(app_config(url))
    with app.app_context():
        framework = current_framework()
        board = Board(name="Bench Board")
        db.session.add(board)
        db.session.flush()
        assessment_round = AssessmentRound(board_id=board.id, framework_version_id=pin_current_framework().id, title="Bench round", target_level="good")
        db.session.add(assessment_round)
        db.session.flush()
        password_hash = hash_password(PASSWORD)
        emails = []
        for n in range(count):
            user = User(email=f"member{n}@bench.example.org", name=f"Member {n}", password_hash=password_hash)
            db.session.add(user)
            db.session.flush()
            membership = Membership(user_id=user.id, board_id=board.id, role="member", agency="police")
            db.session.add(membership)
            db.session.flush()
            create_response(assessment_round, membership, framework)
            emails.append(user.email)
        db.session.commit()
        round_id = assessment_round.id
        domain_id = framework.domains[0].id
        db.engine.dispose()
    return round_id, emails, domain_id


class Member(threading.Thread):
    def __init__(self, base: str, email: str, round_id: int, domain_id: str, until: float, think: float):
        super().__init__(daemon=True)
        self.base, self.email, self.round_id, self.domain_id = base, email, round_id, domain_id
        self.until, self.think = until, think
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.last_sent: dict[str, str] = {}
        self.rng = random.Random(email)

    def run(self) -> None:
        http = requests.Session()
        try:
            page = http.get(f"{self.base}/sign-in").text
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            http.post(f"{self.base}/sign-in", data={"email": self.email, "password": PASSWORD, "csrf_token": token}, allow_redirects=False)
            page = http.get(f"{self.base}/rounds/{self.round_id}/respond/{self.domain_id}").text
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            benchmarks = re.findall(r'data-benchmark-id="([^"]+)"', page)
        except Exception as error:  # noqa: BLE001 - a bench reports, never crashes
            self.errors.append(f"setup: {error!r}")
            return
        versions = {b: 1 for b in benchmarks}
        url = f"{self.base}/rounds/{self.round_id}/respond/{self.domain_id}/autosave"
        sequence = 0
        while time.monotonic() < self.until:
            benchmark = self.rng.choice(benchmarks)
            sequence += 1
            text = f"{self.email} change {sequence}"
            payload = {"benchmark_id": benchmark, "rating": "requires_improvement", "evidence": text, "no_evidence_yet": False, "version": versions[benchmark]}
            started = time.perf_counter()
            try:
                reply = http.post(url, json=payload, headers={"X-CSRFToken": token, "Accept": "application/json"}, timeout=30)
                elapsed = time.perf_counter() - started
                body = reply.json()
            except Exception as error:  # noqa: BLE001
                self.errors.append(repr(error))
                continue
            if reply.status_code == 200 and body.get("saved"):
                self.latencies.append(elapsed)
                versions[benchmark] = body["version"]
                token = body.get("csrf_token", token)
                self.last_sent[benchmark] = text
            else:
                self.errors.append(f"{reply.status_code}: {body.get('error')}")
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))


def stored_evidence(url: str) -> dict[tuple[str, str], str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT u.email, a.benchmark_id, a.evidence FROM answers a "
            "JOIN responses r ON r.id = a.response_id JOIN memberships m ON m.id = r.membership_id "
            "JOIN users u ON u.id = m.user_id"
        )).all()
    engine.dispose()
    return {(email, benchmark): evidence for email, benchmark, evidence in rows}


def run_members(base, emails, round_id, domain_id, seconds, think):
    until = time.monotonic() + seconds
    members = [Member(base, e, round_id, domain_id, until, think) for e in emails]
    for m in members:
        m.start()
    for m in members:
        m.join()
    return members


def bench(kind: str, members: int, seconds: float, think: float) -> dict:
    with database(kind) as url:
        round_id, emails, domain_id = create_members(url, members + 1)
        with gunicorn(url) as base:
            # Baseline: one member alone on the idle server, same requests.
            alone = run_members(base, emails[-1:], round_id, domain_id, min(10.0, seconds), think)
            crowd = run_members(base, emails[:-1], round_id, domain_id, seconds, think)
        stored = stored_evidence(url)
    lost = sum(1 for m in crowd + alone for b, text in m.last_sent.items() if stored.get((m.email, b)) != text)
    sent = sum(len(m.latencies) for m in crowd)
    crowd_latencies = [x for m in crowd for x in m.latencies]
    alone_latencies = [x for m in alone for x in m.latencies]
    import statistics

    ratio = statistics.median(crowd_latencies) / statistics.median(alone_latencies) if crowd_latencies and alone_latencies else float("nan")
    result = {
        "database": kind,
        "baseline": summary_ms(alone_latencies),
        "load": summary_ms(crowd_latencies),
        "ratio": ratio,
        "throughput": sent / seconds,
        "errors": sum(len(m.errors) for m in crowd + alone),
        "lost": lost,
        "answers_checked": sum(len(m.last_sent) for m in crowd + alone),
        "first_errors": [e for m in crowd for e in m.errors][:3],
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between one member's changes, seconds")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"Autosave: {args.members} members for {args.seconds:.0f} s each database (gunicorn 4 workers x 4 threads on 127.0.0.1)")
    failed = False
    for kind in args.databases.split(","):
        r = bench(kind, args.members, args.seconds, args.think)
        print(f"\n[{r['database']}]")
        print(f"  one member alone (baseline): {r['baseline']}")
        print(f"  {args.members} members at once:        {r['load']}")
        print(f"  ratio of medians (load / baseline): {r['ratio']:.2f}")
        print(f"  saves per second: {r['throughput']:.1f}")
        print(f"  errors: {r['errors']} {r['first_errors'] if r['errors'] else ''}")
        print(f"  lost writes: {r['lost']} of {r['answers_checked']} answers checked")
        failed |= r["lost"] > 0
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
