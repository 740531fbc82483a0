"""The executive summary's honesty rules (pure): strengths without open flags, flags open and answered,
domains below target whatever the overall judgement, and a provisional judgement while a partner is missing."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.core.report_summary import executive_summary, flag_status, strengths
from app.core.rigour import Flag


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    rating: str | None
    score: int | None
    gap: int | None
    is_gap: bool
    spread: int | None = 0
    flag_names: tuple[str, ...] = ()
    open_flag_names: tuple[str, ...] = ()


ROWS = (
    Row("strategy.2", "Strategy", "Outstanding", 4, 0, False, flag_names=("Rating without evidence",), open_flag_names=("Rating without evidence",)),
    Row("governance.1", "Governance", "Good", 3, 0, False, flag_names=("Members disagree",)),  # answered
    Row("outcomes.1", "Outcomes", "Inadequate", 1, 2, True),
    Row("outputs.1", "Outputs", "Good", 3, 0, False),
)


def test_a_rating_with_an_open_flag_is_never_a_strength_however_high():
    assert [item.id for item in strengths(ROWS)] == ["outputs.1", "governance.1"]


def test_once_answered_it_counts_again_and_ranks_by_rating():
    answered = (replace(ROWS[0], open_flag_names=()), *ROWS[1:])
    assert [item.id for item in strengths(answered)][0] == "strategy.2"


def test_flags_are_counted_open_and_answered_by_kind_in_the_usual_order():
    def flag(kind: str, subject: str) -> Flag:
        return Flag(kind, "message", benchmark_id=subject) if kind != "statutory_missing" else Flag(kind, "message", agency=subject)

    status = flag_status(
        [flag("disagreement", "governance.3"), flag("statutory_missing", "probation"), flag("statutory_missing", "nhs_trust")],
        [flag("statutory_missing", "police"), flag("unevidenced", "strategy.2")],
    )
    assert status == (("Statutory partner missing", 2, 1), ("Rating without evidence", 0, 1), ("Members disagree", 1, 0))


def _summary(**changes):
    values = dict(
        overall="Good",
        overall_gap=0,
        domains=[("Outcomes", "Requires improvement", 1), ("Governance", "Good", 0), ("Capacity", None, None)],
        rows=ROWS,
        flag_counts=(),
        actions=[],
        action_status_names={},
        uncovered=0,
    )
    values.update(changes)
    return executive_summary(**values)


def test_domains_below_target_are_named_even_when_the_overall_meets_it():
    summary = _summary()
    assert summary.overall_gap == 0 and summary.below_target == ("Outcomes",)
    assert _summary(domains=[("Governance", "Good", 0)]).below_target == ()


def test_the_judgement_is_provisional_while_a_statutory_partner_is_missing():
    assert not _summary().provisional
    summary = _summary(statutory_missing=("Probation",))
    assert summary.provisional and summary.statutory_missing == ("Probation",)


def test_the_summary_says_how_many_strengths_it_held_back():
    assert _summary().strengths_held_back == 1
    assert _summary(flags_open_answered=(("Members disagree", 1, 2),)).open_flag_total == 1
