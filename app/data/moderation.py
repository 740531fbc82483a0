"""Data access for moderation: agreed ratings, members' answers and a round's whole picture.

Agreed ratings are saved with a compare-and-set on ``version``, like members'
answers (see app/data/versioning.py): a save carries the version it
started from; if someone else saved first, nothing is overwritten, the
losing text is kept in the audit trail and the page shows both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.framework import Framework
from app.core.rigour import Flag, InspectionFinding, flags_by_benchmark, round_flags
from app.core.scoring import AssessmentScore, score_assessment
from app.data.aggregation import RoundAgreement, round_agreement
from app.data.audit import record
from app.data.evidence import cited_item, titles_cited_by_answers
from app.data.framework_store import framework_for_round
from app.data.links import replace_links
from app.data.models import Action, AgreedRating, Answer, AssessmentRound, EvidenceItem, Membership, Response, User, agreed_rating_evidence
from app.data.versioning import SaveOutcome, VersionedRows, insert_first_version, save_versioned, update_if_version
from app.extensions import db
from app.web.agencies import agency_name, catalogue, statutory_agencies

MODERATED_STATUSES = ("moderated", "published")


@dataclass(frozen=True)
class AgreedInput:
    """What the moderator submitted for one benchmark (version 0: no agreed rating yet)."""

    benchmark_id: str
    rating: str
    rationale: str
    evidence_ids: frozenset[int]
    version: int


@dataclass(frozen=True)
class MemberAnswer:
    """One submitted member's rating and evidence, for the moderator to read."""

    benchmark_id: str
    agency: str
    member: str
    rating: str
    evidence: str
    no_evidence_yet: bool
    cited: tuple[str, ...] = ()  # titles of the register items the answer cites, newest first

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence) or bool(self.cited)


@dataclass
class RoundPicture:
    """Everything the moderation, flags, results and action plan pages show about a round."""

    round: AssessmentRound
    framework: Framework
    agreement: RoundAgreement
    agreed: dict[str, AgreedRating]
    flags: list[Flag]
    _scores: dict[str, AssessmentScore] = field(default_factory=dict, repr=False)

    @property
    def is_moderated(self) -> bool:
        return self.round.status in MODERATED_STATUSES

    @property
    def agreed_ratings(self) -> dict[str, str]:
        return {benchmark_id: agreed.rating for benchmark_id, agreed in self.agreed.items()}

    @property
    def unagreed(self) -> list[str]:
        """Benchmark ids with no agreed rating yet, in framework order."""
        return [b.id for b in self.framework.benchmarks if b.id not in self.agreed]

    @property
    def flags_by_benchmark(self) -> dict[str, list[Flag]]:
        return flags_by_benchmark(self.flags)

    @property
    def round_flags(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.benchmark_id is None]

    @property
    def source(self) -> str:
        """Which ratings the board's results come from: "agreed" once moderated, else "medians"."""
        return "agreed" if self.is_moderated else "medians"

    def board_ratings(self) -> dict[str, str | None]:
        """The ratings the results use: agreed ratings once moderated, else members' medians."""
        if self.is_moderated:
            return dict(self.agreed_ratings)
        return self.agreement.provisional_ratings()

    def score(self) -> AssessmentScore:
        """The board's results (see ``board_ratings``), against the round's target.

        Before moderation these are the members' provisional results
        (:meth:`members_score`); once moderated, the agreed ratings, which are
        never counted lower.
        """
        if self.is_moderated:
            return self._score("board", self.board_ratings())
        return self.members_score()

    def members_score(self) -> AssessmentScore:
        """Judgements from members' medians: ratings most members gave without evidence count one
        level lower where the framework says so (docs/scoring.md), on every page and chart alike."""
        key = "members"
        if key not in self._scores:
            self._scores[key] = score_assessment(
                self.framework,
                self.agreement.provisional_ratings(),
                self.round.target_level,
                unevidenced=self.agreement.unevidenced(self.framework),
            )
        return self._scores[key]

    def agreed_score(self) -> AssessmentScore:
        """Judgements from the agreed ratings recorded so far (unagreed benchmarks left out)."""
        return self._score("agreed", dict(self.agreed_ratings))

    def _score(self, key: str, ratings: dict[str, str | None]) -> AssessmentScore:
        if key not in self._scores:
            self._scores[key] = score_assessment(self.framework, ratings, self.round.target_level)
        return self._scores[key]


def agreed_ratings(round_id: int, benchmark_ids: list[str] | None = None) -> dict[str, AgreedRating]:
    """The round's agreed ratings (all, or for ``benchmark_ids``) with who saved them and the evidence they cite (three queries)."""
    query = (
        select(AgreedRating)
        .where(AgreedRating.round_id == round_id)
        .options(selectinload(AgreedRating.evidence).selectinload(EvidenceItem.subjects), selectinload(AgreedRating.updated_by))
    )
    if benchmark_ids is not None:
        query = query.where(AgreedRating.benchmark_id.in_(benchmark_ids))
    rows = db.session.scalars(query).all()
    return {row.benchmark_id: row for row in rows}


def inspection_findings(assessment_round: AssessmentRound) -> list[InspectionFinding]:
    """Inspection findings for the round's board, as the rigour checks take them.

    Each finding is the level an inspector judged a benchmark or a domain at,
    with the inspection's date (see :class:`app.core.rigour.InspectionFinding`):
    the published judgements of the board's latest inspection.
    """
    # Imported here: the inspection package's views import the plan and moderation areas.
    from app.data.inspection import latest_published_findings

    return latest_published_findings(assessment_round.board_id)


def answers_evidence(round_id: int) -> dict[str, list[str]]:
    """The free-text evidence of the round's submitted answers, by benchmark (one query): what the reused-evidence check reads."""
    rows = db.session.execute(
        select(Answer.benchmark_id, Answer.evidence)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id == round_id, Response.status == "submitted", Answer.evidence != "")
    ).all()
    grouped: dict[str, list[str]] = {}
    for benchmark_id, evidence in rows:
        grouped.setdefault(benchmark_id, []).append(evidence)
    return grouped


def actions_at_risk(board_id: int, today: date) -> dict[str, int]:
    """How many of the board's unfinished actions for each benchmark are at risk or overdue (two queries)."""
    actions = db.session.scalars(
        select(Action).where(Action.board_id == board_id, Action.status != "done").options(selectinload(Action.benchmarks))
    ).all()
    counts: dict[str, int] = {}
    for action in actions:
        if action.status == "at_risk" or action.is_overdue(today):
            for benchmark_id in action.benchmark_ids:
                counts[benchmark_id] = counts.get(benchmark_id, 0) + 1
    return counts


def round_picture(assessment_round: AssessmentRound, lang: str) -> RoundPicture:
    """The figures, agreed ratings and rigour flags for a round, in a fixed number of queries.

    The flags are worded in ``lang`` (the page's language, or the report's).
    """
    framework = framework_for_round(assessment_round)
    # The board's own statutory partners say whose missing response is flagged (one query).
    agreement = round_agreement(db.session, assessment_round.id, framework, statutory_agencies(assessment_round.board))
    agreed = agreed_ratings(assessment_round.id)
    with force_locale(lang):
        agency_names = {agency.id: agency_name(agency.id) for agency in catalogue().agencies}
    flags = round_flags(
        framework,
        members=agreement.benchmarks,
        statutory_missing=agreement.statutory_missing,
        agreed={benchmark_id: row.rating for benchmark_id, row in agreed.items()},
        cited_items={benchmark_id: [cited_item(item) for item in row.evidence] for benchmark_id, row in agreed.items()},
        rationales={benchmark_id: row.rationale for benchmark_id, row in agreed.items()},
        moderated_on={benchmark_id: row.updated_at.date() for benchmark_id, row in agreed.items()},
        opened_on=assessment_round.created_at.date(),
        answer_evidence=answers_evidence(assessment_round.id),
        actions_at_risk=actions_at_risk(assessment_round.board_id, datetime.now(UTC).date()),
        findings=inspection_findings(assessment_round),
        agency_names=agency_names,
        lang=lang,
    )
    return RoundPicture(assessment_round, framework, agreement, agreed, flags)


def member_answers(round_id: int, benchmark_ids: Iterable[str]) -> dict[str, list[MemberAnswer]]:
    """Submitted members' answers to some benchmarks, by agency then name, with the register items they cite (two queries)."""
    ids = list(benchmark_ids)
    rows = db.session.execute(
        select(Answer.id, Answer.benchmark_id, Response.agency, User.name, Answer.rating, Answer.evidence, Answer.no_evidence_yet)
        .join(Response, Response.id == Answer.response_id)
        .join(Membership, Membership.id == Response.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(Response.round_id == round_id, Response.status == "submitted", Answer.benchmark_id.in_(ids), Answer.rating.is_not(None))
    ).all()
    cited = titles_cited_by_answers([row.id for row in rows])
    grouped: dict[str, list[MemberAnswer]] = {benchmark_id: [] for benchmark_id in ids}
    for answer_id, benchmark_id, agency, member, rating, evidence, no_evidence_yet in rows:
        if rating is None:
            continue  # not asked for; says so to the type checker
        grouped[benchmark_id].append(MemberAnswer(benchmark_id, agency, member, rating, evidence, no_evidence_yet, cited=tuple(cited.get(answer_id, ()))))
    for answers in grouped.values():
        answers.sort(key=lambda answer: (agency_name(answer.agency), answer.member))
    return grouped


class _AgreedRatings(VersionedRows[AgreedRating, AgreedInput]):
    """A round's agreed ratings, for :func:`app.data.versioning.save_versioned` (version 0: no agreed rating yet)."""

    kind = "agreed_rating"

    def __init__(self, assessment_round: AssessmentRound, user: User):
        self.round, self.board_id, self.user = assessment_round, assessment_round.board_id, user

    def key(self, item: AgreedInput) -> str:
        return item.benchmark_id

    def load(self, keys: list[str]) -> dict[str, AgreedRating]:
        return agreed_ratings(self.round.id, keys)

    def says(self, row: AgreedRating | None, item: AgreedInput) -> bool:
        if row is None:
            return False
        cited = frozenset(evidence.id for evidence in row.evidence)
        return (row.rating, row.rationale, cited) == (item.rating, item.rationale, item.evidence_ids)

    def write(self, row: AgreedRating | None, item: AgreedInput) -> int | None:
        if row is None:
            row_id = self._insert(item) if item.version == 0 else None
        elif update_if_version(AgreedRating, row.id, item.version, self.user, rating=item.rating, rationale=item.rationale):
            row_id = row.id
        else:
            row_id = None
        if row_id is not None:
            replace_links(agreed_rating_evidence.c.agreed_rating_id, row_id, agreed_rating_evidence.c.evidence_item_id, item.evidence_ids)
        return row_id

    def _insert(self, item: AgreedInput) -> int | None:
        """A new agreed rating; None if another moderator created one first."""
        row = AgreedRating(round_id=self.round.id, benchmark_id=item.benchmark_id, rating=item.rating, rationale=item.rationale)
        return insert_first_version(row, self.user)

    def detail(self, item: AgreedInput) -> dict:
        return {
            "round": self.round.id,
            "benchmark": item.benchmark_id,
            "rating": item.rating,
            "rationale": item.rationale,
            "cites": sorted(item.evidence_ids),
        }


def save_agreed_ratings(assessment_round: AssessmentRound, inputs: list[AgreedInput], user: User) -> SaveOutcome:
    """Store changed agreed ratings with a version check; audit each save and each conflict. (The request commits it: app/web/transaction.py.)"""
    return save_versioned(_AgreedRatings(assessment_round, user), inputs)


def mark_moderated(assessment_round: AssessmentRound) -> bool:
    """Close the round if still open and mark it moderated; True if it was closed as part of this."""
    closed_now = assessment_round.status == "open"
    now = datetime.now(UTC)
    if closed_now:
        assessment_round.closed_at = now
    assessment_round.status = "moderated"
    record(
        "round_moderated",
        board_id=assessment_round.board_id,
        object_type="round",
        object_id=assessment_round.id,
        detail={"closed_as_part": closed_now},
    )
    db.session.flush()
    return closed_now
