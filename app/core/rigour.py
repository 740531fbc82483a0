"""Rigour checks: the flags that answer the 2011 joint inspection's findings (pure functions).

Each check takes plain data gathered by the views (figures from
:mod:`app.data.aggregation`, agreed ratings, the dates of cited evidence,
inspection findings) and the framework whose thresholds it applies:
``evidence_level``, ``rules.disagreement_spread``,
``rules.moderation_above_median`` (2026.1) or ``rules.agreed_above_median_from``
(2026.2), ``rules.evidence_stale_months``, ``rules.evidence_reused_in`` and
each benchmark's ``multi_agency``. Nothing here reads the database.

:func:`round_flags` runs every check for a round and returns the flags in
the order a reader wants them: the round's own (missing partners) first,
then benchmark by benchmark in framework order.

Flags are worded in the ``lang`` they are asked for, from the app's
catalogue (:mod:`app.core.catalogue`), whatever language the caller's page is in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Protocol

from babel.dates import format_date
from babel.lists import format_list

from app.core.catalogue import translations
from app.core.framework import Framework, Rules, Scale
from app.core.scoring import effective_level, level_rank

__all__ = [
    "ABOVE_INSPECTION",
    "ACTIONS_AT_RISK",
    "REUSED_EVIDENCE",
    "SINGLE_AGENCY",
    "STALE_EVIDENCE",
    "AGREED_ABOVE_MEDIAN",
    "AGREED_UNEVIDENCED",
    "DISAGREEMENT",
    "FLAG_NAMES",
    "STATUTORY_MISSING",
    "UNEVIDENCED",
    "CitedItem",
    "Flag",
    "InspectionFinding",
    "MembersFigures",
    "above_inspection",
    "flag_explanations",
    "flag_names",
    "flags_by_benchmark",
    "is_above_median",
    "is_disagreement",
    "levels_above_median",
    "missing_statutory",
    "needs_evidence",
    "round_flags",
    "unevidenced_count",
]

STATUTORY_MISSING = "statutory_missing"
UNEVIDENCED = "unevidenced"
DISAGREEMENT = "disagreement"
AGREED_UNEVIDENCED = "agreed_unevidenced"
AGREED_ABOVE_MEDIAN = "agreed_above_median"
ABOVE_INSPECTION = "above_inspection"
STALE_EVIDENCE = "stale_evidence"
SINGLE_AGENCY = "single_agency"
REUSED_EVIDENCE = "reused_evidence"
ACTIONS_AT_RISK = "actions_at_risk"


def _texts(lang: str) -> tuple[Callable[[str], str], Callable[[str, str, int], str]]:
    """gettext and ngettext for ``lang``, named so the catalogue's extraction finds the text."""
    catalogue = translations(lang)
    return catalogue.gettext, catalogue.ngettext


def flag_names(lang: str = "en") -> dict[str, str]:
    """Short names for each kind of flag in ``lang``, in the order they are listed for a benchmark."""
    _ = _texts(lang)[0]
    return {
        STATUTORY_MISSING: _("Statutory partner missing"),
        UNEVIDENCED: _("Rating without evidence"),
        DISAGREEMENT: _("Members disagree"),
        AGREED_UNEVIDENCED: _("Agreed rating without evidence"),
        AGREED_ABOVE_MEDIAN: _("Agreed rating above members"),
        ABOVE_INSPECTION: _("Above the last inspection"),
        STALE_EVIDENCE: _("Evidence out of date"),
        SINGLE_AGENCY: _("Evidence from one agency"),
        REUSED_EVIDENCE: _("Same evidence in many answers"),
        ACTIONS_AT_RISK: _("Actions at risk"),
    }


def flag_explanations(lang: str = "en") -> dict[str, str]:
    """What each kind of flag means and what answers it, in plain words in ``lang`` (same keys as :func:`flag_names`)."""
    _ = _texts(lang)[0]
    return {
        STATUTORY_MISSING: _(
            "A statutory partner has not submitted a response, so the self-evaluation sees the board's work without that agency. "
            "Ask them to respond, or explain why they could not."
        ),
        UNEVIDENCED: _(
            "Members rated this benchmark good or better without giving evidence. An inspector will ask what shows it. "
            "Add evidence to the agreed rating, or lower it."
        ),
        DISAGREEMENT: _("Members' ratings are far apart. Agencies may see this work differently; the agreed rating should say why it settled where it did."),
        AGREED_UNEVIDENCED: _(
            "The agreed rating is good or better but cites no item in the evidence register that is about this benchmark or its domain. "
            "Cite evidence about it, or lower the rating."
        ),
        AGREED_ABOVE_MEDIAN: _(
            "The agreed rating is higher than most members rated it. It needs a rationale and cited evidence about this benchmark "
            "to show why the board rated it higher than its members."
        ),
        ABOVE_INSPECTION: _(
            "The agreed rating is above what inspectors found. Only evidence about this benchmark, dated after that inspection, "
            "shows the work has improved since."
        ),
        STALE_EVIDENCE: _(
            "All the evidence behind the agreed rating is older than the framework allows before the round opened. "
            "Cite more recent evidence, or lower the rating."
        ),
        SINGLE_AGENCY: _(
            "This benchmark is about agencies working together, but the evidence cited for its agreed rating comes from one agency or none. "
            "Cite evidence from another agency too."
        ),
        REUSED_EVIDENCE: _(
            "The same evidence text is given in many answers across the round. Evidence that fits everything shows nothing in particular: "
            "say what shows this benchmark."
        ),
        ACTIONS_AT_RISK: _(
            "The agreed rating is good or better, but the board's own actions for this benchmark are at risk or overdue. "
            "Say why the rating still holds, or lower it."
        ),
    }


#: The names in English; ``flag_names(lang)`` gives them in another language.
FLAG_NAMES: dict[str, str] = flag_names()


@dataclass(frozen=True)
class Flag:
    """One rigour flag: what kind, a sentence for the reader, what it is about, and its language."""

    kind: str
    message: str
    benchmark_id: str | None = None
    agency: str | None = None
    lang: str = field(default="en", compare=False)

    @property
    def name(self) -> str:
        return flag_names(self.lang)[self.kind]


@dataclass(frozen=True)
class InspectionFinding:
    """An inspector's judgement of one benchmark or one domain on a given day.

    ``subject_id`` is a benchmark id (``"governance.3"``) or a domain id
    (``"governance"``); ``level`` is a level id on the round's scale;
    ``inspected_on`` is the date of the inspection. A benchmark is compared with
    the latest finding for itself, or, when it has none, the latest finding for
    its domain.
    """

    subject_id: str
    level: str
    inspected_on: date


@dataclass(frozen=True)
class CitedItem:
    """One evidence register item an agreed rating cites, as the checks need it.

    ``subject_ids`` are the benchmark and domain ids the item is tagged with;
    empty means "not tagged" (items from before 2026.2), which counts for any
    benchmark until someone tags it. ``period_end`` is the end of the period
    the item covers, when given; its age is measured from that, else from ``day``.
    """

    day: date
    agency: str | None = None  # None: not known (the old ``cited`` form of round_flags)
    subject_ids: frozenset[str] = frozenset()
    period_end: date | None = None

    def bears_on(self, benchmark_id: str, domain_id: str) -> bool:
        """Whether the item counts as evidence for the benchmark: tagged with it or its domain, or not tagged at all."""
        return not self.subject_ids or benchmark_id in self.subject_ids or domain_id in self.subject_ids

    @property
    def covers_up_to(self) -> date:
        return self.period_end or self.day


#: Rationales that say nothing in particular, normalised (see :func:`normalised_text`).
STOCK_RATIONALES = frozenset(
    {
        "agreed",
        "agreed by the board",
        "agreed at the board",
        "agreed at board",
        "as discussed",
        "as agreed",
        "see evidence",
        "see above",
        "see attached",
        "see register",
        "none",
        "n a",
        "na",
        "tbc",
        "to follow",
        "cytunwyd",
        "gweler y dystiolaeth",
    }
)


def normalised_text(text: str) -> str:
    """Text compared without case, punctuation or extra whitespace."""
    kept = "".join(ch if ch.isalnum() else " " for ch in text.casefold())
    return " ".join(kept.split())


def says_something(rationale: str | None) -> bool:
    """Whether a rationale could silence a flag: not empty, not a stock phrase, and at least four words."""
    words = normalised_text(rationale or "")
    return bool(words) and words not in STOCK_RATIONALES and len(words.split()) >= 4


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it has fewer)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def reused_texts(framework: Framework, answer_evidence: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Members' evidence texts (normalised) given in ``rules.evidence_reused_in`` answers or more, with how many.

    ``answer_evidence`` maps benchmark ids to the free-text evidence of the
    round's submitted answers to it. Empty when the file sets no threshold.
    """
    threshold = framework.rules.evidence_reused_in
    if threshold is None:
        return {}
    counts: dict[str, int] = {}
    for texts in answer_evidence.values():
        for text in texts:
            key = normalised_text(text)
            if key:
                counts[key] = counts.get(key, 0) + 1
    return {key: n for key, n in counts.items() if n >= threshold}


class MembersFigures(Protocol):
    """What the checks need to know about members' ratings of one benchmark.

    :class:`app.data.aggregation.BenchmarkAgreement` provides these.
    """

    @property
    def distribution(self) -> Mapping[str, int]: ...  # rating id -> how many members chose it

    @property
    def without_evidence(self) -> Mapping[str, int]: ...  # rating id -> how many of those gave no evidence

    @property
    def middle(self) -> tuple[str, str] | None: ...  # the two middle levels (scoring.middle_levels)

    @property
    def spread(self) -> int | None: ...  # levels between highest and lowest (scoring.spread_in_levels)


def needs_evidence(framework: Framework, rating: str | None) -> bool:
    """Whether a rating is at or above the framework's ``evidence_level`` (so must have evidence)."""
    if rating is None or rating not in framework.scale.ids:
        return False
    return level_rank(framework.scale, rating) >= level_rank(framework.scale, framework.evidence_level)


def unevidenced_count(framework: Framework, without_evidence: Mapping[str, int]) -> int:
    """How many answers are at or above the evidence level with no evidence given."""
    return sum(n for rating, n in without_evidence.items() if needs_evidence(framework, rating))


def missing_statutory(agencies_responding: Iterable[str], statutory_agencies: Sequence[str]) -> tuple[str, ...]:
    """The statutory agencies (in the order given) with no submitted response."""
    responding = set(agencies_responding)
    return tuple(agency for agency in statutory_agencies if agency not in responding)


def is_disagreement(rules: Rules, spread: int | None) -> bool:
    """Whether members' ratings are ``rules.disagreement_spread`` levels apart or more."""
    return spread is not None and spread >= rules.disagreement_spread


def levels_above_median(scale: Scale, agreed: str | None, middle: tuple[str, str] | None) -> Fraction | None:
    """How many levels the agreed rating is above the members' median (negative if below).

    A median between two levels counts as halfway, so the result can end in a
    half. None when either side has no level (not applicable, nothing agreed,
    or no member chose a level). "Not known" counts as the level it is scored as.
    """
    level = effective_level(scale, agreed)
    if level is None or middle is None:
        return None
    median_rank = Fraction(level_rank(scale, middle[0]) + level_rank(scale, middle[1]), 2)
    return level_rank(scale, level) - median_rank


def is_above_median(framework: Framework, agreed: str | None, middle: tuple[str, str] | None) -> bool:
    """Whether the agreed rating is far enough above the median to flag.

    2026.2 files: ``rules.agreed_above_median_from`` levels or more; older
    files: more than ``rules.moderation_above_median`` levels.
    """
    difference = levels_above_median(framework.scale, agreed, middle)
    if difference is None:
        return False
    rules = framework.rules
    if rules.agreed_above_median_from is not None:
        return difference >= rules.agreed_above_median_from
    assert rules.moderation_above_median is not None  # Rules checks that one of the two is given
    return difference > rules.moderation_above_median


def _latest(findings: Iterable[InspectionFinding]) -> dict[str, InspectionFinding]:
    latest: dict[str, InspectionFinding] = {}
    for finding in findings:
        current = latest.get(finding.subject_id)
        if current is None or finding.inspected_on > current.inspected_on:
            latest[finding.subject_id] = finding
    return latest


def above_inspection(
    framework: Framework,
    agreed: Mapping[str, str | None],
    findings: Iterable[InspectionFinding],
    evidence_dates: Mapping[str, Iterable[date]],
    moderated_on: Mapping[str, date] | None = None,
) -> dict[str, InspectionFinding]:
    """Agreed ratings above the last inspection finding with no evidence newer than that inspection.

    ``agreed`` maps benchmark ids to agreed ratings; ``findings`` are the
    inspection findings for the board (see :class:`InspectionFinding`);
    ``evidence_dates`` maps benchmark ids to the dates of the evidence cited for
    them (only evidence that bears on the benchmark: see :meth:`CitedItem.bears_on`);
    ``moderated_on`` maps benchmark ids to the day the agreed rating was saved:
    evidence dated after that day does not count. Returns, for each benchmark
    that should be flagged, the finding it is above. A finding whose level is
    not on the round's scale is ignored.
    """
    scale = framework.scale
    latest = _latest(f for f in findings if f.level in scale.ids)
    moderated = moderated_on or {}
    flagged: dict[str, InspectionFinding] = {}
    for benchmark in framework.benchmarks:
        level = effective_level(scale, agreed.get(benchmark.id))
        finding = latest.get(benchmark.id) or latest.get(benchmark.domain_id)
        if level is None or finding is None:
            continue
        if level_rank(scale, level) <= level_rank(scale, finding.level):
            continue
        until = moderated.get(benchmark.id)
        if any(finding.inspected_on < day and (until is None or day <= until) for day in evidence_dates.get(benchmark.id, ())):
            continue
        flagged[benchmark.id] = finding
    return flagged


def is_stale(framework: Framework, items: Sequence[CitedItem], opened_on: date | None) -> bool:
    """Whether all the evidence behind a rating covers nothing later than ``rules.evidence_stale_months`` before the round opened."""
    months = framework.rules.evidence_stale_months
    if months is None or opened_on is None or not items:
        return False
    cutoff = months_before(opened_on, months)
    return all(item.covers_up_to < cutoff for item in items)


def is_single_agency(items: Sequence[CitedItem]) -> bool:
    """Whether the cited evidence comes from fewer than two agencies (none counts: so adding evidence never raises it).

    An item of unknown agency (the old form of ``cited``) could be from anyone, so it answers the flag.
    """
    agencies = {item.agency for item in items}
    return len(agencies) < 2 and None not in agencies


def expected_missing(evidence_from: Sequence[str], items: Sequence[CitedItem]) -> tuple[str, ...]:
    """The expected partners (``Benchmark.evidence_from``, in its order) that none of the cited items comes from."""
    cited = {item.agency for item in items}
    return tuple(agency for agency in evidence_from if agency not in cited)


def at_least_good(framework: Framework, agreed: str | None) -> bool:
    level = effective_level(framework.scale, agreed)
    return level is not None and "good" in framework.scale.ids and level_rank(framework.scale, level) >= level_rank(framework.scale, "good")


def _median_words(framework: Framework, middle: tuple[str, str], lang: str) -> str:
    _ = _texts(lang)[0]
    low, high = (framework.scale.label(level, lang) for level in middle)
    return low if middle[0] == middle[1] else _("between %(low)s and %(high)s") % {"low": low, "high": high}


def _levels(n: Fraction | int, lang: str) -> str:
    """'1 level', '2 levels', '1.5 levels' in ``lang``."""
    _, ngettext = _texts(lang)
    if n != int(n):
        # A median between two levels: a half, which takes the plural in both languages.
        return _("%(num)s levels") % {"num": f"{float(n):g}"}
    count = int(n)
    return ngettext("%(num)d level", "%(num)d levels", count) % {"num": count}


def _locale(lang: str) -> str:
    return lang.replace("-", "_")


def _long_date(day: date, lang: str) -> str:
    return format_date(day, "d MMMM y", locale=_locale(lang))


@dataclass(frozen=True)
class _Benchmark:
    """What the checks know about one benchmark of a round."""

    id: str
    multi_agency: bool
    members: MembersFigures | None
    agreed: str | None
    items: Sequence[CitedItem]  # cited items that bear on the benchmark
    rationale: str | None
    finding: InspectionFinding | None
    reused: Sequence[tuple[str, int]]  # (normalised text, how many answers) for this benchmark's answers
    actions_at_risk: int
    evidence_from: Sequence[str] = ()  # the partners whose evidence the benchmark expects, if it names them


def _benchmark_flags(
    framework: Framework, b: _Benchmark, opened_on: date | None, lang: str, names: Mapping[str, str] | None = None
) -> list[Flag]:
    _, ngettext = _texts(lang)
    names = names or {}
    flags: list[Flag] = []
    evidence_label = framework.scale.label(framework.evidence_level, lang)
    members, agreed = b.members, b.agreed
    if members is not None:
        missing = unevidenced_count(framework, members.without_evidence)
        if missing:
            message = ngettext(
                "%(num)s member rated it %(level)s or above without evidence",
                "%(num)s members rated it %(level)s or above without evidence",
                missing,
            ) % {"num": missing, "level": evidence_label}
            flags.append(Flag(UNEVIDENCED, message, b.id, lang=lang))
        if is_disagreement(framework.rules, members.spread):
            chosen = [level for level in framework.scale.ids if members.distribution.get(level, 0)]
            message = _("Members’ ratings are %(levels)s apart, from %(low)s to %(high)s") % {
                "levels": _levels(members.spread or 0, lang),
                "low": framework.scale.label(chosen[0], lang),
                "high": framework.scale.label(chosen[-1], lang),
            }
            flags.append(Flag(DISAGREEMENT, message, b.id, lang=lang))
    if agreed is not None and needs_evidence(framework, agreed) and not b.items:
        message = _("The agreed rating of %(level)s cites no evidence from the register") % {"level": framework.scale.label(agreed, lang)}
        flags.append(Flag(AGREED_UNEVIDENCED, message, b.id, lang=lang))
    if members is not None and is_above_median(framework, agreed, members.middle):
        # 2026.2: a rationale that says something, with cited evidence about the benchmark, answers it.
        explained = framework.rules.agreed_above_median_from is not None and bool(b.items) and says_something(b.rationale)
        if not explained:
            difference = levels_above_median(framework.scale, agreed, members.middle)
            assert agreed is not None and members.middle is not None and difference is not None
            message = _("The agreed rating of %(level)s is %(levels)s above the members’ median (%(median)s)") % {
                "level": framework.scale.label(agreed, lang),
                "levels": _levels(difference, lang),
                "median": _median_words(framework, members.middle, lang),
            }
            flags.append(Flag(AGREED_ABOVE_MEDIAN, message, b.id, lang=lang))
    if b.finding is not None and agreed is not None:
        message = _(
            "The agreed rating of %(level)s is above the inspection finding of %(finding)s (%(date)s), and no cited evidence is newer than that inspection"
        ) % {
            "level": framework.scale.label(agreed, lang),
            "finding": framework.scale.label(b.finding.level, lang),
            "date": _long_date(b.finding.inspected_on, lang),
        }
        flags.append(Flag(ABOVE_INSPECTION, message, b.id, lang=lang))
    if agreed is not None and is_stale(framework, b.items, opened_on):
        assert opened_on is not None and framework.rules.evidence_stale_months is not None
        newest = max(item.covers_up_to for item in b.items)
        message = _("The newest evidence behind the agreed rating covers up to %(date)s, more than %(months)s months before the round opened") % {
            "date": _long_date(newest, lang),
            "months": framework.rules.evidence_stale_months,
        }
        flags.append(Flag(STALE_EVIDENCE, message, b.id, lang=lang))
    if b.multi_agency and needs_evidence(framework, agreed) and is_single_agency(b.items):
        level = framework.scale.label(agreed or "", lang)
        if absent := expected_missing(b.evidence_from, b.items):
            message = _(
                "The agreed rating of %(level)s on a benchmark about agencies working together cites evidence from fewer than two agencies; "
                "it expects evidence from %(agencies)s too"
            ) % {"level": level, "agencies": format_list([names.get(agency, agency) for agency in absent], locale=_locale(lang))}
        else:
            message = _("The agreed rating of %(level)s on a benchmark about agencies working together cites evidence from fewer than two agencies") % {
                "level": level
            }
        flags.append(Flag(SINGLE_AGENCY, message, b.id, lang=lang))
    for _text, count in b.reused:
        message = _("The same evidence text is given in %(num)s answers across the round") % {"num": count}
        flags.append(Flag(REUSED_EVIDENCE, message, b.id, lang=lang))
        break  # one flag per benchmark, for the text reused most
    if b.actions_at_risk and at_least_good(framework, agreed):
        assert agreed is not None
        message = ngettext(
            "The agreed rating is %(level)s but %(num)s of the board’s actions for this benchmark is at risk or overdue",
            "The agreed rating is %(level)s but %(num)s of the board’s actions for this benchmark are at risk or overdue",
            b.actions_at_risk,
        ) % {"level": framework.scale.label(agreed, lang), "num": b.actions_at_risk}
        flags.append(Flag(ACTIONS_AT_RISK, message, b.id, lang=lang))
    return flags


def round_flags(
    framework: Framework,
    *,
    members: Mapping[str, MembersFigures],
    statutory_missing: Sequence[str],
    agreed: Mapping[str, str | None] | None = None,
    cited: Mapping[str, Sequence[date]] | None = None,
    findings: Iterable[InspectionFinding] = (),
    agency_names: Mapping[str, str] | None = None,
    lang: str = "en",
    cited_items: Mapping[str, Sequence[CitedItem]] | None = None,
    rationales: Mapping[str, str] | None = None,
    moderated_on: Mapping[str, date] | None = None,
    opened_on: date | None = None,
    answer_evidence: Mapping[str, Sequence[str]] | None = None,
    actions_at_risk: Mapping[str, int] | None = None,
) -> list[Flag]:
    """Every rigour flag for a round.

    ``members`` maps benchmark ids to members' figures (benchmarks nobody
    answered may be missing); ``statutory_missing`` lists statutory agencies
    with no submitted response; ``agreed`` maps benchmark ids to the board's
    agreed ratings; ``cited`` maps benchmark ids to the dates of the evidence
    register items the agreed rating cites (the old form: untagged items of no
    known agency), or ``cited_items`` gives them in full (:class:`CitedItem`;
    it wins over ``cited``), of which only the items that bear on the benchmark
    count; ``findings`` are inspection findings (none until inspections are
    recorded); ``agency_names`` turns agency ids into names for the messages.

    ``rationales`` and ``moderated_on`` give each agreed rating's rationale and
    the day it was saved; ``opened_on`` is the day the round opened;
    ``answer_evidence`` maps benchmark ids to the free-text evidence of
    submitted answers; ``actions_at_risk`` maps benchmark ids to how many of
    the board's actions for them are at risk or overdue.
    """
    _ = _texts(lang)[0]
    agreed = agreed or {}
    names = agency_names or {}
    if cited_items is None:
        cited_items = {benchmark_id: [CitedItem(day) for day in days] for benchmark_id, days in (cited or {}).items()}
    rationales = rationales or {}
    answer_evidence = answer_evidence or {}
    at_risk = actions_at_risk or {}
    flags = [
        Flag(STATUTORY_MISSING, _("No submitted response from %(agency)s") % {"agency": names.get(agency, agency)}, agency=agency, lang=lang)
        for agency in statutory_missing
    ]
    bearing = {
        benchmark.id: [item for item in cited_items.get(benchmark.id, ()) if item.bears_on(benchmark.id, benchmark.domain_id)]
        for benchmark in framework.benchmarks
    }
    over_inspection = above_inspection(
        framework, agreed, findings, {benchmark_id: [item.day for item in items] for benchmark_id, items in bearing.items()}, moderated_on
    )
    reused = reused_texts(framework, answer_evidence)
    for benchmark in framework.benchmarks:
        texts = {normalised_text(text) for text in answer_evidence.get(benchmark.id, ())}
        flags += _benchmark_flags(
            framework,
            _Benchmark(
                id=benchmark.id,
                multi_agency=benchmark.expects_several_agencies,
                evidence_from=benchmark.evidence_from,
                members=members.get(benchmark.id),
                agreed=agreed.get(benchmark.id),
                items=bearing[benchmark.id],
                rationale=rationales.get(benchmark.id),
                finding=over_inspection.get(benchmark.id),
                reused=sorted(((text, reused[text]) for text in texts if text in reused), key=lambda pair: (-pair[1], pair[0])),
                actions_at_risk=at_risk.get(benchmark.id, 0),
            ),
            opened_on,
            lang,
            names,
        )
    return flags


def flags_by_benchmark(flags: Iterable[Flag]) -> dict[str, list[Flag]]:
    """The benchmark flags grouped by benchmark id (round-level flags are left out)."""
    grouped: dict[str, list[Flag]] = {}
    for flag in flags:
        if flag.benchmark_id is not None:
            grouped.setdefault(flag.benchmark_id, []).append(flag)
    return grouped
