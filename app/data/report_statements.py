"""The board's own words in its report, and the board's sign-off of it.

A statement is the business manager's (or chair's) analysis of one domain,
what the ratings mean for children, what works, what does not and what the
board will do, or the board's overall statement (subject ``"overall"``).
Statements are saved with a version check like answers, so two people writing
at once never overwrite each other (app/data/versioning.py). The sign-off
records the date the board approved the report and the chair who signs it;
changing a statement afterwards ends it, so the words the board approved are
the words printed, and the report says "draft" again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from app.core.vocabulary import OVERALL_SUBJECT
from app.data.audit import record
from app.data.models import AssessmentRound, ReportSignOff, ReportStatement, User
from app.data.versioning import SaveOutcome, VersionedRows, insert_first_version, save_versioned, update_if_version
from app.extensions import db

__all__ = [
    "StatementInput", "report_sign_off", "report_statements", "save_statements", "sign_off_report", "statement_subjects", "withdraw_sign_off",
]


def statement_subjects(domain_ids: Iterable[str]) -> list[str]:
    """What the board writes about, in the report's order: the overall statement, then each domain."""
    return [OVERALL_SUBJECT, *domain_ids]


@dataclass(frozen=True)
class StatementInput:
    """What was submitted for one statement (version 0: none written yet)."""

    subject: str
    text: str
    version: int


def report_statements(round_id: int) -> dict[str, ReportStatement]:
    """The round's statements, by subject."""
    rows = db.session.scalars(select(ReportStatement).where(ReportStatement.round_id == round_id))
    return {row.subject: row for row in rows}


def report_sign_off(round_id: int) -> ReportSignOff | None:
    return db.session.scalar(select(ReportSignOff).where(ReportSignOff.round_id == round_id))


class _Statements(VersionedRows[ReportStatement, StatementInput]):
    kind = "report_statement"

    def __init__(self, assessment_round: AssessmentRound, user: User):
        self.round, self.board_id, self.user = assessment_round, assessment_round.board_id, user

    def key(self, item: StatementInput) -> str:
        return item.subject

    def load(self, keys: list[str]) -> dict[str, ReportStatement]:
        rows = db.session.scalars(select(ReportStatement).where(ReportStatement.round_id == self.round.id, ReportStatement.subject.in_(keys)))
        return {row.subject: row for row in rows}

    def says(self, row: ReportStatement | None, item: StatementInput) -> bool:
        return (row.text if row is not None else "") == item.text

    def write(self, row: ReportStatement | None, item: StatementInput) -> int | None:
        if row is None:
            return self._insert(item) if item.version == 0 else None
        if update_if_version(ReportStatement, row.id, item.version, self.user, text=item.text):
            return row.id
        return None

    def _insert(self, item: StatementInput) -> int | None:
        return insert_first_version(ReportStatement(round_id=self.round.id, subject=item.subject, text=item.text), self.user)

    def detail(self, item: StatementInput) -> dict:
        return {"round": self.round.id, "subject": item.subject, "text": item.text}


def save_statements(assessment_round: AssessmentRound, inputs: list[StatementInput], user: User) -> SaveOutcome:
    """Store the changed statements with a version check (each save and conflict audited); a change ends the sign-off."""
    outcome = save_versioned(_Statements(assessment_round, user), inputs)
    if outcome.saved:
        withdraw_sign_off(assessment_round, reason="statement_changed")
    return outcome


def sign_off_report(assessment_round: AssessmentRound, approved_on: date, chair_name: str, user: User) -> ReportSignOff:
    """Record that the board approved the report on ``approved_on``, signed by its chair ``chair_name`` (replacing any earlier)."""
    db.session.execute(delete(ReportSignOff).where(ReportSignOff.round_id == assessment_round.id))
    row = ReportSignOff(round_id=assessment_round.id, approved_on=approved_on, chair_name=chair_name, recorded_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    record(
        "report_signed_off",
        board_id=assessment_round.board_id,
        object_type="round",
        object_id=assessment_round.id,
        detail={"approved_on": approved_on.isoformat(), "chair": chair_name},
    )
    return row


def withdraw_sign_off(assessment_round: AssessmentRound, *, reason: str = "withdrawn") -> bool:
    """End the round's sign-off, if it has one; True if it had."""
    existing = report_sign_off(assessment_round.id)
    if existing is None:
        return False
    db.session.delete(existing)
    db.session.flush()
    record("report_sign_off_ended", board_id=assessment_round.board_id, object_type="round", object_id=assessment_round.id, detail={"why": reason})
    return True
