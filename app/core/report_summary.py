"""The report's executive summary, worked out from the report's own rows (pure: no Flask, no database).

Inspections criticised board reports that were long on data and short on
analysis, so the summary picks out what a chief officer needs: the overall
and domain judgements, the largest gaps, the main strengths, how many rigour
flags there are and where the action plan stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.core.rigour import FLAG_NAMES, Flag

__all__ = ["ActionHeadline", "ExecutiveSummary", "Highlight", "count_flags", "executive_summary", "flag_status", "largest_gaps", "strengths"]

#: How many gaps and strengths the one-page summary lists.
HIGHLIGHTS = 5


class Row(Protocol):
    """What the summary reads from a benchmark row (app.core.report_content.BenchmarkRow)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def rating(self) -> str | None: ...

    @property
    def score(self) -> int | None: ...

    @property
    def gap(self) -> int | None: ...

    @property
    def is_gap(self) -> bool: ...

    @property
    def spread(self) -> int | None: ...

    @property
    def flag_names(self) -> tuple[str, ...]: ...

    @property
    def open_flag_names(self) -> tuple[str, ...]: ...


class ActionLike(Protocol):
    """What the summary reads from an action of the plan."""

    @property
    def status(self) -> str: ...

    @property
    def overdue(self) -> bool: ...


@dataclass(frozen=True)
class Highlight:
    """A benchmark picked out in the summary."""

    id: str
    title: str
    rating: str | None
    gap: int | None
    ref: str = ""  # how people refer to it ("1.5"); ``id`` stays for HTML ids


@dataclass(frozen=True)
class ActionHeadline:
    total: int
    by_status: tuple[tuple[str, int], ...]  # (status name, count), statuses with none left out
    overdue: int
    uncovered: int  # benchmarks below target that no action addresses


@dataclass(frozen=True)
class DomainLine:
    title: str
    judgement: str | None
    gap: int | None


@dataclass(frozen=True)
class ExecutiveSummary:
    overall: str | None
    overall_gap: int | None
    domains: tuple[DomainLine, ...]
    largest_gaps: tuple[Highlight, ...]
    strengths: tuple[Highlight, ...]
    flag_counts: tuple[tuple[str, int], ...]
    actions: ActionHeadline
    over_optimism: float | None  # from the inspection comparison; None without published findings
    flag_status: tuple[tuple[str, int, int], ...] = ()  # (flag name, open, answered) for each kind raised
    statutory_missing: tuple[str, ...] = ()  # statutory partners with no response: the judgement is provisional
    strengths_held_back: int = 0  # benchmarks at or above target left out of the strengths for an open flag

    @property
    def below_target(self) -> tuple[str, ...]:
        """The domains judged below the target, whatever the overall judgement."""
        return tuple(d.title for d in self.domains if d.gap)

    @property
    def provisional(self) -> bool:
        """No overall judgement is final while a statutory partner has not responded."""
        return bool(self.statutory_missing)

    @property
    def open_flag_total(self) -> int:
        return sum(n_open for _, n_open, _answered in self.flag_status)

    @property
    def answered_flag_total(self) -> int:
        return sum(n_answered for _, _open, n_answered in self.flag_status)

    @property
    def domains_on_target(self) -> int:
        return sum(1 for d in self.domains if d.gap == 0)

    @property
    def domains_judged(self) -> int:
        return sum(1 for d in self.domains if d.judgement is not None)

    @property
    def flag_total(self) -> int:
        return sum(n for _, n in self.flag_counts)


def _highlight(row: Row) -> Highlight:
    # A row may say how people refer to it ("1.5", BenchmarkRow.ref); else its id is shown.
    return Highlight(row.id, row.title, row.rating, row.gap, getattr(row, "ref", "") or row.id)


def largest_gaps(rows: Sequence[Row], limit: int = HIGHLIGHTS) -> tuple[Highlight, ...]:
    """The benchmarks furthest below target (then the lowest rated), in framework order within a tie."""
    gaps = [(n, row) for n, row in enumerate(rows) if row.is_gap]
    gaps.sort(key=lambda item: (-(item[1].gap or 0), item[1].score or 0, item[0]))
    return tuple(_highlight(row) for _, row in gaps[:limit])


def strengths(rows: Sequence[Row], limit: int = HIGHLIGHTS) -> tuple[Highlight, ...]:
    """The benchmarks at or above target with no open flag: highest rated first, then unflagged, then where members agree most.

    A rating with a flag nobody has answered is not a strength the board can
    claim: it is what an inspector would challenge first.
    """
    strong = [(n, row) for n, row in enumerate(rows) if row.score is not None and not row.is_gap and not row.open_flag_names]
    strong.sort(key=lambda item: (-(item[1].score or 0), len(item[1].flag_names), item[1].spread or 0, item[0]))
    return tuple(_highlight(row) for _, row in strong[:limit])


def count_flags(flags: Iterable[Flag]) -> tuple[tuple[str, int], ...]:
    """(flag name, how many) for each kind of rigour flag raised, in the usual order.

    Names are in the flags' own language (the one they were worded in).
    """
    counts = dict.fromkeys(FLAG_NAMES, 0)
    names: dict[str, str] = {}
    for flag in flags:
        counts[flag.kind] += 1
        names[flag.kind] = flag.name
    return tuple((names[kind], n) for kind, n in counts.items() if n)


def flag_status(open_flags: Iterable[Flag], answered_flags: Iterable[Flag]) -> tuple[tuple[str, int, int], ...]:
    """(flag name, how many open, how many answered) for each kind raised, in the usual order."""
    counts = {kind: [0, 0] for kind in FLAG_NAMES}
    names: dict[str, str] = {}
    for column, flags in ((0, open_flags), (1, answered_flags)):
        for flag in flags:
            counts.setdefault(flag.kind, [0, 0])[column] += 1
            names[flag.kind] = flag.name
    return tuple((names[kind], n_open, n_answered) for kind, (n_open, n_answered) in counts.items() if n_open or n_answered)


def action_headline(actions: Sequence[ActionLike], uncovered: int, status_names: Mapping[str, str]) -> ActionHeadline:
    """The action plan in one line; ``status_names`` maps each status, in order, to its label."""
    by_status = tuple(
        (name, n) for status, name in status_names.items() if (n := sum(1 for a in actions if a.status == status))
    )
    return ActionHeadline(len(actions), by_status, sum(1 for a in actions if a.overdue), uncovered)


def executive_summary(
    *,
    overall: str | None,
    overall_gap: int | None,
    domains: Iterable[tuple[str, str | None, int | None]],
    rows: Sequence[Row],
    flag_counts: tuple[tuple[str, int], ...],
    actions: Sequence[ActionLike],
    action_status_names: Mapping[str, str],
    uncovered: int,
    over_optimism: float | None = None,
    flags_open_answered: tuple[tuple[str, int, int], ...] = (),
    statutory_missing: tuple[str, ...] = (),
) -> ExecutiveSummary:
    """The summary page's content; ``rows`` are every benchmark row in framework order."""
    return ExecutiveSummary(
        overall=overall,
        overall_gap=overall_gap,
        domains=tuple(DomainLine(*line) for line in domains),
        largest_gaps=largest_gaps(rows),
        strengths=strengths(rows),
        strengths_held_back=sum(1 for row in rows if row.score is not None and not row.is_gap and row.open_flag_names),
        flag_counts=flag_counts,
        actions=action_headline(actions, uncovered, action_status_names),
        over_optimism=over_optimism,
        flag_status=flags_open_answered,
        statutory_missing=statutory_missing,
    )
