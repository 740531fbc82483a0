"""A known, moderated round for the report, export and assessment file tests.

Its fixtures are registered for every test by ``pytest_plugins`` in tests/conftest.py.

The round's figures, worked out by hand from the ratings below:

- outcomes.1: every submitted member says Inadequate; agreed Inadequate, two
  levels below the target (Good). It caps its domain at Requires improvement.
- governance.3: Outstanding, Inadequate and Good: three levels apart, so
  members disagree; the median is Good.
- strategy.2: every submitted member says Outstanding (one without evidence);
  agreed Outstanding, citing the neglect audit: the main strength.
- Everything else: Good, agreed Good. Overall: Good (the outcomes domain is
  Requires improvement, and the overall may be one level above it).
- Statutory partners with no submitted response: NHS trust, probation, youth
  offending (education's response is still in progress and not counted).
- Two actions: one on track but overdue, one done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from app.data.models import Action, ActionBenchmark, AgreedRating, EvidenceItem
from app.extensions import db
from app.reports.render import report_today
from tests.integration.inspection_helpers import InspectedRound
from tests.integration.round_builder import Respondent

BOARD_NAME = "Gŵyr and Tawe Safeguarding Children Board"
ROUND_TITLE = "Self-assessment 2026: Tŷ Hafan"
EVIDENCE_TITLE = "Multi-agency audit of neglect cases"
OVERDUE_ACTION = "Audit 30 child protection plans with health and police"
DONE_ACTION = "Publish the board’s annual report in Welsh and English"
OUTCOMES_RATIONALE = "Case audits show plans are not reviewed on time"


@dataclass
class KnownRound(InspectedRound):
    """The round, its inspector, a member (Gareth Morgan, police) and the evidence register item."""

    evidence: EvidenceItem


@pytest.fixture
def known_round(build_round, make_user, make_board, add_member) -> KnownRound:
    built = build_round(
        [
            Respondent(
                "local_authority", name="Bethan Lloyd", ratings={"outcomes.1": "inadequate", "governance.3": "outstanding", "strategy.2": "outstanding"}
            ),
            Respondent(
                "police",
                name="Gareth Morgan",
                ratings={"outcomes.1": "inadequate", "governance.3": "inadequate", "strategy.2": "outstanding"},
                evidence={"strategy.2": ""},
            ),
            Respondent("health_board", name="Eleri Hughes", ratings={"outcomes.1": "inadequate", "strategy.2": "outstanding"}),
            Respondent("education", name="Rhian Jenkins", ratings={"outcomes.1": "requires_improvement"}, submitted=False),
        ],
        board=make_board(BOARD_NAME),
        title=ROUND_TITLE,
    )
    inspector = make_user("Huw Williams")
    add_member(inspector, built.board, "inspector", "other")
    manager = built.manager
    evidence = EvidenceItem(
        board_id=built.board.id,
        title=EVIDENCE_TITLE,
        source_agency="local_authority",
        evidence_date=date(2026, 9, 1),
        impact="In 18 of 20 cases children were seen within timescales.",
        reference="Board papers, item 5",
        created_by_id=manager.id,
        updated_by_id=manager.id,
    )
    db.session.add(evidence)
    db.session.flush()
    special = {"outcomes.1": ("inadequate", OUTCOMES_RATIONALE), "strategy.2": ("outstanding", "Every partner signed the strategy")}
    for benchmark in built.framework.benchmarks:
        rating, rationale = special.get(benchmark.id, ("good", ""))
        row = AgreedRating(round_id=built.round.id, benchmark_id=benchmark.id, rating=rating, rationale=rationale, updated_by_id=manager.id)
        if benchmark.id == "strategy.2":
            row.evidence = [evidence]
        db.session.add(row)
    today = report_today()
    now = datetime.now(UTC)
    for description, due, status, benchmark_id in (
        (OVERDUE_ACTION, today - timedelta(days=30), "on_track", "outcomes.1"),
        (DONE_ACTION, today + timedelta(days=60), "done", "outputs.1"),
    ):
        action = Action(
            board_id=built.board.id,
            round_id=built.round.id,
            description=description,
            owner_agency="police",
            lead_person="Gareth Morgan",
            due_date=due,
            success_measure="Every plan reviewed within timescales by the next audit",
            status=status,
            created_by_id=manager.id,
            updated_by_id=manager.id,
            created_at=now,
            updated_at=now,
        )
        action.benchmarks = [ActionBenchmark(benchmark_id=benchmark_id)]
        db.session.add(action)
    built.round.status = "moderated"
    built.round.closed_at = now
    db.session.commit()
    return KnownRound(built, inspector, built.members[1], evidence)
