"""Data access for the action plan: list, create, update (compare-and-set) and carry forward."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, date, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import selectinload

from app.core.framework import Framework
from app.core.measures import MeasureProgress, measure_progress
from app.core.scoring import AssessmentScore
from app.data.audit import record
from app.data.models import Action, ActionBenchmark, AssessmentRound, User
from app.data.versioning import update_if_version
from app.extensions import db


@dataclass(frozen=True)
class ActionFields:
    """What the business manager entered for an action."""

    description: str
    owner_agency: str
    lead_person: str
    due_date: date
    success_measure: str
    status: str
    benchmark_ids: tuple[str, ...]
    domain_id: str | None
    # The measure (optional only for actions from before 2026.2, which had none).
    measure_about: str | None = None
    baseline: str | None = None
    baseline_on: date | None = None
    target: str | None = None
    target_by: date | None = None
    latest: str | None = None
    latest_on: date | None = None


#: The fields an action stores as they are in its own columns (all but its benchmarks and domain).
_ACTION_COLUMNS = tuple(f.name for f in dataclass_fields(ActionFields) if f.name not in ("benchmark_ids", "domain_id"))


@dataclass(frozen=True)
class UncoveredGaps:
    """Gaps below target that no action addresses."""

    benchmark_ids: list[str]
    domain_ids: list[str]


def round_actions(round_id: int) -> list[Action]:
    """A round's actions, soonest due first, with their benchmarks (two queries)."""
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.round_id == round_id)
            .options(selectinload(Action.benchmarks))
            .order_by(Action.due_date, Action.id)
        ).all()
    )


def carried_from(actions: list[Action]) -> dict[int, tuple[Action, AssessmentRound]]:
    """For each carried-forward action (by id), the action it was carried from and that action's round (one query)."""
    source_ids = {action.carried_from_id for action in actions if action.carried_from_id is not None}
    if not source_ids:
        return {}
    rows = db.session.execute(
        select(Action, AssessmentRound).join(AssessmentRound, AssessmentRound.id == Action.round_id).where(Action.id.in_(source_ids))
    ).all()
    by_id = {source.id: (source, source_round) for source, source_round in rows}
    return {action.id: by_id[action.carried_from_id] for action in actions if action.carried_from_id in by_id}


def action_in_round(round_id: int, action_id: int) -> Action | None:
    action = db.session.get(Action, action_id)
    return action if action is not None and action.round_id == round_id else None


def _audit_detail(fields: ActionFields) -> dict:
    """Every field as the audit trail keeps it (dates as ISO text; benchmarks and domain under their short names)."""
    detail = {name: value.isoformat() if isinstance(value, date) else value for name, value in asdict(fields).items()}
    detail["benchmarks"] = list(detail.pop("benchmark_ids"))
    detail["domain"] = detail.pop("domain_id")
    return detail


def _link_benchmarks(action_id: int, benchmark_ids: tuple[str, ...]) -> None:
    db.session.execute(delete(ActionBenchmark).where(ActionBenchmark.action_id == action_id))
    if benchmark_ids:
        db.session.execute(insert(ActionBenchmark), [{"action_id": action_id, "benchmark_id": b} for b in sorted(set(benchmark_ids))])


def _insert_action(assessment_round: AssessmentRound, fields: ActionFields, user: User, carried_from_id: int | None = None) -> Action:
    now = datetime.now(UTC)
    action = Action(
        board_id=assessment_round.board_id,
        round_id=assessment_round.id,
        **{name: value for name, value in asdict(fields).items() if name != "benchmark_ids"},
        carried_from_id=carried_from_id,
        created_by_id=user.id,
        created_at=now,
        updated_by_id=user.id,
        updated_at=now,
    )
    db.session.add(action)
    db.session.flush()
    _link_benchmarks(action.id, fields.benchmark_ids)
    return action


def create_action(assessment_round: AssessmentRound, fields: ActionFields, user: User) -> Action:
    action = _insert_action(assessment_round, fields, user)
    record(
        "action_created",
        board_id=assessment_round.board_id,
        object_type="action",
        object_id=action.id,
        detail={"round": assessment_round.id, **_audit_detail(fields)},
    )
    db.session.flush()
    return action


def update_action(action: Action, fields: ActionFields, version: int, user: User) -> bool:
    """Save changes if nobody saved the action since ``version``; False (and audited) if someone did."""
    values = {name: value for name, value in asdict(fields).items() if name != "benchmark_ids"}
    saved = update_if_version(Action, action.id, version, user, **values)
    if saved:
        _link_benchmarks(action.id, fields.benchmark_ids)
    record(
        "action_updated" if saved else "action_conflict",
        board_id=action.board_id,
        object_type="action",
        object_id=action.id,
        detail={"round": action.round_id, "from_version": version, **_audit_detail(fields)},
    )
    db.session.flush()
    db.session.expire_all()
    return saved


def newer_rounds(assessment_round: AssessmentRound) -> list[AssessmentRound]:
    """The board's rounds opened after this one, newest first."""
    return list(
        db.session.scalars(
            select(AssessmentRound)
            .where(
                AssessmentRound.board_id == assessment_round.board_id,
                AssessmentRound.id != assessment_round.id,
                AssessmentRound.created_at >= assessment_round.created_at,
            )
            .order_by(AssessmentRound.created_at.desc(), AssessmentRound.id.desc())
        ).all()
    )


@dataclass(frozen=True)
class CarriedActions:
    """What carrying actions forward did: how many were ``copied``, and the links it could not keep."""

    copied: int
    #: Benchmark (or domain) ids the copied actions addressed that the target's framework no longer has.
    retired: tuple[str, ...] = ()


def carry_open_actions(source: AssessmentRound, target: AssessmentRound, target_framework: Framework, user: User) -> CarriedActions:
    """Copy the source round's open actions into the target round; say how many, and which links were dropped.

    An action already carried into the target is not copied again. Benchmark
    links are kept where the benchmark exists in the target's framework
    (benchmark ids are stable across framework versions); the others (retired
    in the target's version) are dropped and named in the result.
    """
    already = set(
        db.session.scalars(select(Action.carried_from_id).where(Action.round_id == target.id, Action.carried_from_id.is_not(None))).all()
    )
    known = {b.id for b in target_framework.benchmarks}
    domains = {d.id for d in target_framework.domains}
    copied = 0
    dropped: dict[str, None] = {}
    for action in round_actions(source.id):
        if action.status == "done" or action.id in already:
            continue
        dropped.update(dict.fromkeys(b for b in action.benchmark_ids if b not in known))
        if action.domain_id and action.domain_id not in domains:
            dropped[action.domain_id] = None
        # Everything comes across, the measure's history too (the same baseline, target and latest reading),
        # except benchmarks and a domain the new round's framework no longer has.
        copied_fields = {name: getattr(action, name) for name in _ACTION_COLUMNS}
        fields = ActionFields(
            **copied_fields,
            benchmark_ids=tuple(b for b in action.benchmark_ids if b in known),
            domain_id=action.domain_id if action.domain_id in domains else None,
        )
        _insert_action(target, fields, user, carried_from_id=action.id)
        copied += 1
    record(
        "actions_carried",
        board_id=source.board_id,
        object_type="round",
        object_id=target.id,
        detail={"from_round": source.id, "to_round": target.id, "copied": copied},
    )
    db.session.flush()
    return CarriedActions(copied, tuple(dropped))


def uncovered_gaps(score: AssessmentScore, actions: list[Action]) -> UncoveredGaps:
    """Benchmarks and domains below target with no action linked to them.

    A domain counts as covered when an action names it or addresses any of its benchmarks.
    """
    linked = {benchmark_id for action in actions for benchmark_id in action.benchmark_ids}
    named = {action.domain_id for action in actions if action.domain_id}
    benchmarks = [b.benchmark_id for d in score.domains for b in d.gaps if b.benchmark_id not in linked]
    domains = [
        d.domain_id
        for d in score.domains
        if d.is_gap and d.domain_id not in named and not any(b.benchmark_id in linked for b in d.benchmarks)
    ]
    return UncoveredGaps(benchmarks, domains)


def action_progress(action: Action, today: date) -> MeasureProgress:
    """How the action's measure stands today (see :func:`app.core.measures.measure_progress`)."""
    return measure_progress(action.baseline, action.target, action.target_by, action.latest, today)
