"""Data access for the evidence register: items, what cites them, and saving with a version check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Subquery, exists, or_, select, union
from sqlalchemy.orm import selectinload

from app.core.rigour import CitedItem
from app.data.audit import record
from app.data.models import AgreedRating, Answer, EvidenceItem, EvidenceSubject, Response, User, agreed_rating_evidence, answer_evidence
from app.data.versioning import update_if_version
from app.extensions import db


@dataclass(frozen=True)
class EvidenceFields:
    title: str
    source_agency: str
    evidence_date: date
    impact: str
    reference: str
    kind: str
    period_start: date | None
    period_end: date | None
    #: Benchmark ids and domain ids the item is about (a domain id means the whole domain).
    subject_ids: tuple[str, ...]


def cited_item(item: EvidenceItem) -> CitedItem:
    """A register item as the rigour checks take it: its date, agency, tags and the end of the period it covers."""
    return CitedItem(item.evidence_date, item.source_agency, frozenset(item.subject_ids), item.period_end)


def counts_for(item: EvidenceItem, benchmark_id: str) -> bool:
    """Whether a cited item counts as evidence for a benchmark: tagged with it or its domain, or not tagged yet.

    Items from before 2026.2 have no tags; they count for whatever cites them until someone tags them,
    so no rating loses its evidence overnight.
    """
    return cited_item(item).bears_on(benchmark_id, benchmark_id.split(".", 1)[0])


def answers_citing_evidence_about(round_ids: Sequence[int]) -> Subquery:
    """The ids (``answer_id``) of the rounds' answers that cite at least one register item that counts for the answer's benchmark.

    The same rule as :func:`counts_for`, in SQL: the item is tagged with the
    benchmark, or with its domain (the benchmark id starts with the domain id
    and a dot), or not tagged at all.
    """
    tags = EvidenceSubject.evidence_item_id == answer_evidence.c.evidence_item_id
    tagged = exists().where(tags)
    about = exists().where(tags, or_(EvidenceSubject.subject_id == Answer.benchmark_id, Answer.benchmark_id.like(EvidenceSubject.subject_id.concat(".%"))))
    return (
        select(answer_evidence.c.answer_id)
        .join(Answer, Answer.id == answer_evidence.c.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id.in_(round_ids), or_(~tagged, about))
        .distinct()
        .subquery("citing")
    )


@dataclass(frozen=True)
class RegisterEntry:
    item: EvidenceItem
    benchmark_ids: list[str]


def register(board_id: int, benchmark_order: Sequence[str]) -> list[RegisterEntry]:
    """The board's evidence, newest first, with what each is about and the benchmarks that cite it (three queries).

    Benchmarks are listed in ``benchmark_order`` (the framework's), unknown ids last.
    """
    items = db.session.scalars(
        select(EvidenceItem)
        .where(EvidenceItem.board_id == board_id)
        .options(selectinload(EvidenceItem.subjects))
        .order_by(EvidenceItem.evidence_date.desc(), EvidenceItem.id.desc())
    ).all()
    citing = union(
        select(agreed_rating_evidence.c.evidence_item_id, AgreedRating.benchmark_id)
        .join(AgreedRating, AgreedRating.id == agreed_rating_evidence.c.agreed_rating_id)
        .join(EvidenceItem, EvidenceItem.id == agreed_rating_evidence.c.evidence_item_id)
        .where(EvidenceItem.board_id == board_id),
        select(answer_evidence.c.evidence_item_id, Answer.benchmark_id)
        .join(Answer, Answer.id == answer_evidence.c.answer_id)
        .join(EvidenceItem, EvidenceItem.id == answer_evidence.c.evidence_item_id)
        .where(EvidenceItem.board_id == board_id),
    )
    cited: dict[int, set[str]] = {}
    for evidence_item_id, benchmark_id in db.session.execute(citing):
        cited.setdefault(evidence_item_id, set()).add(benchmark_id)
    position = {benchmark_id: n for n, benchmark_id in enumerate(benchmark_order)}
    return [
        RegisterEntry(item, sorted(cited.get(item.id, ()), key=lambda b: (position.get(b, len(position)), b)))
        for item in items
    ]


def register_items(board_id: int) -> list[EvidenceItem]:
    """The board's evidence register, newest first, with what each item is about (two queries): what answers and agreed ratings can cite."""
    return list(
        db.session.scalars(
            select(EvidenceItem)
            .where(EvidenceItem.board_id == board_id)
            .options(selectinload(EvidenceItem.subjects))
            .order_by(EvidenceItem.evidence_date.desc(), EvidenceItem.id.desc())
        ).all()
    )


def register_ids(board_id: int, wanted: set[int]) -> set[int]:
    """Which of ``wanted`` are items in the board's register (one query)."""
    if not wanted:
        return set()
    return set(db.session.scalars(select(EvidenceItem.id).where(EvidenceItem.board_id == board_id, EvidenceItem.id.in_(wanted))))


def titles_cited_by_answers(answer_ids: Sequence[int]) -> dict[int, list[str]]:
    """The titles of the register items each answer cites, newest item first (one query)."""
    cited: dict[int, list[str]] = {}
    if not answer_ids:
        return cited
    rows = db.session.execute(
        select(answer_evidence.c.answer_id, EvidenceItem.title)
        .join(EvidenceItem, EvidenceItem.id == answer_evidence.c.evidence_item_id)
        .where(answer_evidence.c.answer_id.in_(answer_ids))
        .order_by(EvidenceItem.evidence_date.desc(), EvidenceItem.id.desc())
    )
    for answer_id, title in rows:
        cited.setdefault(answer_id, []).append(title)
    return cited


def item_on_board(board_id: int, item_id: int) -> EvidenceItem | None:
    item = db.session.get(EvidenceItem, item_id)
    return item if item is not None and item.board_id == board_id else None


def _detail(fields: EvidenceFields) -> dict:
    detail = asdict(fields)
    for name in ("evidence_date", "period_start", "period_end"):
        value = getattr(fields, name)
        detail[name] = value.isoformat() if value is not None else None
    detail["subject_ids"] = sorted(fields.subject_ids)
    return detail


def _columns(fields: EvidenceFields) -> dict:
    columns = asdict(fields)
    del columns["subject_ids"]
    return columns


def _subjects(fields: EvidenceFields) -> list[EvidenceSubject]:
    return [EvidenceSubject(subject_id=subject_id) for subject_id in sorted(set(fields.subject_ids))]


def create_item(board_id: int, fields: EvidenceFields, user: User) -> EvidenceItem:
    now = datetime.now(UTC)
    item = EvidenceItem(
        board_id=board_id, **_columns(fields), created_at=now, created_by_id=user.id, updated_at=now, updated_by_id=user.id
    )
    item.subjects = _subjects(fields)
    db.session.add(item)
    db.session.flush()
    record("evidence_added", board_id=board_id, object_type="evidence_item", object_id=item.id, detail=_detail(fields))
    db.session.flush()
    return item


def update_item(item: EvidenceItem, fields: EvidenceFields, version: int, user: User) -> bool:
    """Save changes if nobody saved the item since ``version``; False (and audited) if someone did."""
    saved = update_if_version(EvidenceItem, item.id, version, user, **_columns(fields))
    if saved:
        wanted = set(fields.subject_ids)
        kept = [subject for subject in item.subjects if subject.subject_id in wanted]
        have = {subject.subject_id for subject in kept}
        item.subjects = kept + [EvidenceSubject(subject_id=s) for s in sorted(wanted - have)]
    record(
        "evidence_updated" if saved else "evidence_conflict",
        board_id=item.board_id,
        object_type="evidence_item",
        object_id=item.id,
        detail={"from_version": version, **_detail(fields)},
    )
    db.session.flush()
    db.session.expire_all()
    return saved
