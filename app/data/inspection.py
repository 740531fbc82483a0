"""Data access for an inspection and its findings: saving, importing and publishing them.

Views call these functions, never raw queries. Every change is audited in
the same transaction. Recommendations are edited through
``app.data.recommendations`` and challenge threads through
``app.data.challenge``; what they share with the findings lives here:
:func:`utc_now`, :func:`made_by`, :func:`still_draft`, and
:func:`new_recommendation`, which an import uses too.

Conflicts: a finding is saved with a compare-and-set on its ``version`` (the
version the form was loaded with); if another inspector saved first, nothing
is overwritten, the losing text is kept in the audit trail and the page shows
both. Publishing and importing replace or release the whole set of findings,
so they carry a *stamp* of every row's version (:func:`findings_stamp`) and
refuse to go ahead if anything changed since the inspector looked at it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import cast

from sqlalchemy import ScalarSelect, Table, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.core.comparison import InspectorJudgements
from app.core.findings_file import FindingsFile, RecommendationInput
from app.core.framework import Framework
from app.core.rigour import InspectionFinding
from app.core.vocabulary import OVERALL_REASONS_SUBJECT, OVERALL_SUBJECT, OVERALL_SUBJECTS
from app.data.aggregation import RoundAgreement, round_agreements
from app.data.audit import record
from app.data.database import rows_changed
from app.data.links import replace_links
from app.data.models import AgreedRating, AssessmentRound, Board, Finding, Inspection, Membership, Recommendation, RecommendationSubject, User
from app.data.versioning import SaveOutcome, VersionedRows, insert_first_version, save_versioned, update_if_version
from app.extensions import db

__all__ = [
    "DRAFT",
    "PUBLISHED",
    "FindingEdit",
    "RoundFindings",
    "agreed_levels",
    "boards_in_roles",
    "finding_levels",
    "findings_stamp",
    "import_findings",
    "judgements_of",
    "latest_published_findings",
    "link_subjects",
    "latest_published_inspections",
    "made_by",
    "members_agreement",
    "members_agreements",
    "new_recommendation",
    "publish",
    "return_to_draft",
    "round_findings",
    "save_findings",
    "save_inspection_date",
    "start_inspection",
    "still_draft",
    "utc_now",
    "visible_boards",
]

DRAFT = "draft"
PUBLISHED = "published"


@dataclass(frozen=True)
class FindingEdit:
    """What an inspector submitted for one domain or benchmark (version 0: there was no finding yet)."""

    subject_id: str
    level: str | None
    text: str
    version: int


@dataclass
class RoundFindings:
    """A round's inspection (None until an inspector saves something), its findings and recommendations."""

    inspection: Inspection | None
    findings: dict[str, Finding]
    recommendations: list[Recommendation]

    @property
    def is_published(self) -> bool:
        return self.inspection is not None and self.inspection.is_published

    def finding(self, subject_id: str) -> Finding | None:
        """The finding on a domain or benchmark, or None if there is none (or it was emptied)."""
        found = self.findings.get(subject_id)
        return None if found is None or found.is_empty else found

    def judgements(self) -> InspectorJudgements:
        """The inspectors' levels by domain and by benchmark, as :func:`app.core.comparison.compare_round` takes them."""
        return judgements_of((subject_id, found.level) for subject_id, found in self.findings.items())

    @property
    def overall(self) -> Finding | None:
        """The inspectors' overall judgement and its summary (None until entered)."""
        return self.finding(OVERALL_SUBJECT)

    @property
    def overall_reasons(self) -> list[str]:
        """The inspectors' reasons for the overall judgement, one a line (blank lines left out)."""
        found = self.finding(OVERALL_REASONS_SUBJECT)
        return [line.strip() for line in found.text.splitlines() if line.strip()] if found else []


def judgements_of(levels: Iterable[tuple[str, str | None]]) -> InspectorJudgements:
    """(subject id, level) pairs sorted into overall, domain and benchmark judgements (pairs with no level are left out)."""
    domains: dict[str, str] = {}
    benchmarks: dict[str, str] = {}
    overall = None
    for subject_id, level in levels:
        if level is None or subject_id == OVERALL_REASONS_SUBJECT:
            continue
        if subject_id == OVERALL_SUBJECT:
            overall = level
        else:
            (benchmarks if "." in subject_id else domains)[subject_id] = level
    return InspectorJudgements(domains, benchmarks, overall)


def round_findings(round_id: int) -> RoundFindings:
    """The round's inspection, findings and recommendations, in three queries at most."""
    inspection = db.session.scalar(
        select(Inspection).where(Inspection.round_id == round_id).options(selectinload(Inspection.updated_by), selectinload(Inspection.published_by))
    )
    if inspection is None:
        return RoundFindings(None, {}, [])
    findings = db.session.scalars(
        select(Finding).where(Finding.inspection_id == inspection.id).options(selectinload(Finding.updated_by))
    ).all()
    recommendations = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.inspection_id == inspection.id)
        .options(selectinload(Recommendation.subjects), selectinload(Recommendation.updated_by))
        .order_by(Recommendation.priority, Recommendation.id)
    ).all()
    return RoundFindings(inspection, {f.subject_id: f for f in findings}, list(recommendations))


def latest_published_findings(board_id: int) -> list[InspectionFinding]:
    """The judgements of the board's latest published inspection, as the rigour checks take them (one query)."""
    latest = (
        select(Inspection.id)
        .where(Inspection.board_id == board_id, Inspection.status == PUBLISHED, Inspection.inspected_on.is_not(None))
        .order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Finding.subject_id, Finding.level, Inspection.inspected_on)
        .join(Inspection, Inspection.id == Finding.inspection_id)
        .where(Finding.inspection_id == latest, Finding.level.is_not(None), Finding.subject_id.not_in(OVERALL_SUBJECTS))
    ).all()
    # Published inspections always have a level and a date; the filter says so to the type checker.
    return [
        InspectionFinding(subject_id, level, inspected_on) for subject_id, level, inspected_on in rows if level is not None and inspected_on is not None
    ]


def findings_stamp(findings: RoundFindings) -> str:
    """A short fingerprint of every version in the round's findings: it changes whenever anything is saved."""
    if findings.inspection is None:
        return "none"
    parts = [f"i{findings.inspection.id}:{findings.inspection.version}"]
    parts += sorted(f"f{f.id}:{f.version}" for f in findings.findings.values())
    parts += sorted(f"r{r.id}:{r.version}" for r in findings.recommendations)
    return hashlib.sha256(",".join(parts).encode()).hexdigest()[:16]


def utc_now() -> datetime:
    """The time now, in UTC, as every row and audit event stores it."""
    return datetime.now(UTC)


def made_by(user: User, now: datetime | None = None) -> dict:
    """Who made a new row and when (version 1)."""
    now = now or utc_now()
    return {"version": 1, "created_at": now, "created_by_id": user.id, "updated_at": now, "updated_by_id": user.id}


def start_inspection(assessment_round: AssessmentRound, user: User) -> Inspection:
    """The round's inspection, created as a draft if there is none yet."""
    existing = db.session.scalar(select(Inspection).where(Inspection.round_id == assessment_round.id))
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            inspection = Inspection(board_id=assessment_round.board_id, round_id=assessment_round.id, status=DRAFT, **made_by(user))
            db.session.add(inspection)
            db.session.flush()
            record(
                "inspection_started",
                board_id=assessment_round.board_id,
                object_type="inspection",
                object_id=inspection.id,
                detail={"round": assessment_round.id},
            )
    except IntegrityError:
        # Another inspector started it at the same moment: use theirs.
        theirs = db.session.scalar(select(Inspection).where(Inspection.round_id == assessment_round.id))
        assert theirs is not None
        return theirs
    return inspection


def still_draft(inspection_id: int) -> ScalarSelect:
    """The inspection's id while it is a draft (nothing once published): a guard for updates to its rows."""
    return select(Inspection.id).where(Inspection.id == inspection_id, Inspection.status == DRAFT).scalar_subquery()


def save_inspection_date(inspection: Inspection, inspected_on: date | None, version: int, user: User) -> bool | None:
    """Save the inspection date if nobody changed it since ``version``.

    True if saved, None if unchanged, False (audited) if someone else saved first or it was published.
    """
    if inspection.inspected_on == inspected_on:
        return None
    saved = update_if_version(Inspection, inspection.id, version, user, Inspection.status == DRAFT, inspected_on=inspected_on)
    record(
        "inspection_date_saved" if saved else "inspection_date_conflict",
        board_id=inspection.board_id,
        object_type="inspection",
        object_id=inspection.id,
        detail={"round": inspection.round_id, "inspected_on": inspected_on.isoformat() if inspected_on else None, "from_version": version},
    )
    return saved


def _new_finding(inspection: Inspection, subject_id: str, level: str | None, text: str, user: User, now: datetime) -> Finding:
    row = Finding(inspection_id=inspection.id, subject_id=subject_id, level=level, text=text, version=1, updated_at=now, updated_by_id=user.id)
    db.session.add(row)
    return row


class _Findings(VersionedRows[Finding, FindingEdit]):
    """An inspection's findings, for :func:`app.data.versioning.save_versioned`; only a draft inspection's can change."""

    kind = "finding"

    def __init__(self, inspection: Inspection, user: User):
        self.inspection, self.board_id, self.user = inspection, inspection.board_id, user

    def key(self, item: FindingEdit) -> str:
        return item.subject_id

    def load(self, keys: list[str]) -> dict[str, Finding]:
        rows = db.session.scalars(select(Finding).where(Finding.inspection_id == self.inspection.id, Finding.subject_id.in_(keys))).all()
        return {row.subject_id: row for row in rows}

    def says(self, row: Finding | None, item: FindingEdit) -> bool:
        if row is None:
            return not item.level and not item.text
        return (row.level, row.text) == (item.level, item.text)

    def write(self, row: Finding | None, item: FindingEdit) -> int | None:
        if row is None:
            return self._insert(item) if item.version == 0 else None
        in_draft = Finding.inspection_id == still_draft(self.inspection.id)
        saved = update_if_version(Finding, row.id, item.version, self.user, in_draft, level=item.level, text=item.text)
        return row.id if saved else None

    def _insert(self, item: FindingEdit) -> int | None:
        """A new finding; None if another inspector created one first."""
        row = Finding(inspection_id=self.inspection.id, subject_id=item.subject_id, level=item.level, text=item.text)
        return insert_first_version(row, self.user)

    def detail(self, item: FindingEdit) -> dict:
        return {"round": self.inspection.round_id, "subject": item.subject_id, "judgement": item.level, "text": item.text}


def save_findings(inspection: Inspection, edits: list[FindingEdit], current: dict[str, Finding], user: User) -> SaveOutcome:
    """Store changed findings with a version check; audit each save and each conflict. (The request commits it: app/web/transaction.py.)

    ``current`` is the round's findings as loaded for this request.
    """
    return save_versioned(_Findings(inspection, user), edits, current=current)


def link_subjects(recommendation_id: int, subject_ids: tuple[str, ...]) -> None:
    """Make the recommendation about exactly these domains and benchmarks."""
    columns = cast(Table, RecommendationSubject.__table__).c
    replace_links(columns.recommendation_id, recommendation_id, columns.subject_id, subject_ids)


def new_recommendation(inspection: Inspection, fields: RecommendationInput, user: User, now: datetime) -> Recommendation:
    """Add a recommendation and its subjects to the session (not audited: the caller records why)."""
    recommendation = Recommendation(inspection_id=inspection.id, text=fields.text, priority=fields.priority, **made_by(user, now))
    db.session.add(recommendation)
    db.session.flush()
    link_subjects(recommendation.id, fields.subject_ids)
    return recommendation


def import_findings(assessment_round: AssessmentRound, contents: FindingsFile, stamp: str, filename: str, user: User) -> bool:
    """Replace the round's draft findings with a file's, if nothing changed since ``stamp``. (The request commits it: app/web/transaction.py.)

    Findings on subjects the file does not mention are removed; every
    recommendation is replaced. False (audited, nothing changed) when the
    findings changed since the inspector opened the page or were published.
    """
    current = round_findings(assessment_round.id)
    if findings_stamp(current) != stamp or (current.inspection is not None and current.inspection.status != DRAFT):
        record(
            "findings_import_conflict",
            board_id=assessment_round.board_id,
            object_type="inspection",
            object_id=current.inspection.id if current.inspection else None,
            detail={"round": assessment_round.id, "file": filename},
        )
        db.session.flush()
        return False
    inspection = current.inspection or start_inspection(assessment_round, user)
    now = utc_now()
    inspection.inspected_on = contents.inspected_on
    inspection.version += 1
    inspection.updated_at, inspection.updated_by_id = now, user.id
    incoming = {item.subject_id: item for item in contents.findings}
    for subject_id, dropped in current.findings.items():
        if subject_id not in incoming:
            db.session.delete(dropped)
    for subject_id, item in incoming.items():
        existing = current.findings.get(subject_id)
        if existing is None:
            _new_finding(inspection, subject_id, item.level, item.text, user, now)
        elif (existing.level, existing.text) != (item.level, item.text):
            existing.level, existing.text = item.level, item.text
            existing.version += 1
            existing.updated_at, existing.updated_by_id = now, user.id
    for old in current.recommendations:
        db.session.delete(old)
    db.session.flush()
    for fields in contents.recommendations:
        new_recommendation(inspection, fields, user, now)
    overall = sum(1 for item in contents.findings if item.subject_id in OVERALL_SUBJECTS)
    domains = sum(1 for item in contents.findings if "." not in item.subject_id) - overall
    record(
        "findings_imported",
        board_id=assessment_round.board_id,
        object_type="inspection",
        object_id=inspection.id,
        detail={
            "round": assessment_round.id,
            "file": filename,
            "inspected_on": contents.inspected_on.isoformat(),
            "domains": domains,
            "overall": overall,
            "benchmarks": len(contents.findings) - domains - overall,
            "recommendations": len(contents.recommendations),
        },
    )
    db.session.flush()
    db.session.expire_all()
    return True


def _set_status(inspection: Inspection, stamp: str, current: RoundFindings, status: str, action: str, user: User) -> bool:
    from_status = PUBLISHED if status == DRAFT else DRAFT
    values: dict = {"status": status, "version": Inspection.version + 1, "updated_at": utc_now(), "updated_by_id": user.id}
    if status == PUBLISHED:
        values.update(published_at=utc_now(), published_by_id=user.id)
    done = False
    if findings_stamp(current) == stamp:
        done = rows_changed(
            update(Inspection)
            .where(Inspection.id == inspection.id, Inspection.version == inspection.version, Inspection.status == from_status)
            .values(**values)
            .execution_options(synchronize_session=False)
        ) == 1
    record(
        action if done else f"{action}_conflict",
        board_id=inspection.board_id,
        object_type="inspection",
        object_id=inspection.id,
        detail={"round": inspection.round_id},
    )
    db.session.flush()
    db.session.expire_all()
    return done


def publish(current: RoundFindings, stamp: str, user: User) -> bool:
    """Publish the findings to the board if nothing changed since ``stamp`` (the caller checks completeness)."""
    assert current.inspection is not None
    return _set_status(current.inspection, stamp, current, PUBLISHED, "findings_published", user)


def return_to_draft(current: RoundFindings, stamp: str, user: User) -> bool:
    """Take published findings back to draft so inspectors can correct them; the board no longer sees them."""
    assert current.inspection is not None
    return _set_status(current.inspection, stamp, current, DRAFT, "findings_returned_to_draft", user)


# --- The comparison with the board's view, and the national overview ----------


def agreed_levels(round_ids: Collection[int]) -> dict[int, dict[str, str]]:
    """The agreed ratings of some rounds: round id -> benchmark id -> rating (one query)."""
    agreed: dict[int, dict[str, str]] = {round_id: {} for round_id in round_ids}
    if round_ids:
        rows = db.session.execute(
            select(AgreedRating.round_id, AgreedRating.benchmark_id, AgreedRating.rating).where(AgreedRating.round_id.in_(list(round_ids)))
        ).all()
        for round_id, benchmark_id, rating in rows:
            agreed[round_id][benchmark_id] = rating
    return agreed


def members_agreement(round_id: int, framework: Framework) -> RoundAgreement:
    """Members' figures for one round (two queries; see :mod:`app.data.aggregation`)."""
    return members_agreements({round_id: framework})[round_id]


def members_agreements(frameworks: Mapping[int, Framework]) -> dict[int, RoundAgreement]:
    """Members' figures for some rounds, each with the framework it was opened with (two queries in all)."""
    return round_agreements(db.session, frameworks)


def boards_in_roles(user_id: int, roles: Iterable[str]) -> list[int]:
    """The boards on which the person is a current member in one of ``roles`` (one query)."""
    return list(
        db.session.scalars(
            select(Membership.board_id).where(
                Membership.user_id == user_id,
                Membership.role.in_(roles),
                Membership.removed_at.is_(None),
            )
        ).all()
    )


def visible_boards(board_ids: Collection[int] | None) -> list[tuple[int, str, str | None]]:
    """(id, name, Welsh name or None) of the boards in ``board_ids`` (every board for None), by name (one query)."""
    query = select(Board.id, Board.name, Board.name_cy).order_by(Board.name)
    if board_ids is not None:
        query = query.where(Board.id.in_(list(board_ids)))
    return [(board_id, name, name_cy) for board_id, name, name_cy in db.session.execute(query).all()]


def latest_published_inspections(board_ids: Collection[int] | None) -> Sequence[Row]:
    """Each board's latest published inspection with a date (of the boards in ``board_ids``, every board for None), in no order (one query).

    Each row has the inspection's ``id``, ``board_id``, ``round_id`` and ``inspected_on``, the board's
    ``name`` and ``name_cy``, and the round's ``title``, ``title_cy``, ``target_level`` and ``framework_version_id``.
    """
    ranked = select(
        Inspection.id,
        Inspection.board_id,
        Inspection.round_id,
        Inspection.inspected_on,
        func.row_number()
        .over(partition_by=Inspection.board_id, order_by=(Inspection.inspected_on.desc(), Inspection.id.desc()))
        .label("n"),
    ).where(Inspection.status == PUBLISHED, Inspection.inspected_on.is_not(None))
    if board_ids is not None:
        ranked = ranked.where(Inspection.board_id.in_(list(board_ids)))
    latest = ranked.subquery()
    return db.session.execute(
        select(
            latest.c.id,
            latest.c.board_id,
            latest.c.round_id,
            latest.c.inspected_on,
            Board.name,
            Board.name_cy,
            AssessmentRound.title,
            AssessmentRound.title_cy,
            AssessmentRound.target_level,
            AssessmentRound.framework_version_id,
        )
        .join(Board, Board.id == latest.c.board_id)
        .join(AssessmentRound, AssessmentRound.id == latest.c.round_id)
        .where(latest.c.n == 1)
    ).all()


def finding_levels(inspection_ids: Collection[int]) -> list[tuple[int, str, str]]:
    """(inspection id, subject id, level) of every finding of these inspections that gives a level (one query)."""
    rows = db.session.execute(
        select(Finding.inspection_id, Finding.subject_id, Finding.level).where(
            Finding.inspection_id.in_(list(inspection_ids)), Finding.level.is_not(None)
        )
    ).all()
    return [(inspection_id, subject_id, level) for inspection_id, subject_id, level in rows if level is not None]
