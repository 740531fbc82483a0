"""What changed between two framework versions, compared by their stable ids.

Benchmark and domain ids are permanent (``docs/framework-format.md``,
"Versions"), so two frameworks are compared id by id: an id only in the newer
file was added, an id only in the older one was retired, and an id in both is
the same benchmark, perhaps reworded, reweighted or re-marked. Rounds on
different versions are compared, and answers carried forward, on the same
terms (:func:`compare_frameworks` is what they ask).

Pure: plain data in, plain data out, no Flask or database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from app.core.framework import Benchmark, Domain, Framework, Text

__all__ = ["BenchmarkChange", "DomainChange", "FrameworkDiff", "Moved", "RuleChange", "compare_frameworks"]

#: The parts of a benchmark compared, in the order they are listed.
BENCHMARK_PARTS: Final = (
    "title",
    "question",
    "descriptors",
    "evidence_prompts",
    "guidance",
    "weight",
    "key",
    "multi_agency",
    "evidence_from",
)
#: The parts of a domain compared.
DOMAIN_PARTS: Final = ("title", "summary", "weight")


@dataclass(frozen=True)
class BenchmarkChange:
    """A benchmark in both versions whose content differs.

    ``parts`` names what changed (from :data:`BENCHMARK_PARTS`, plus
    ``"domain"`` if it is listed under another domain); a text whose English is
    unchanged but whose Welsh differs is named ``"<part> (Welsh only)"``.
    ``descriptor_levels`` lists the levels whose descriptor changed.
    ``before``/``after`` give the old and new value of the non-text parts
    (weight, key, multi_agency, evidence_from, domain), for saying "was 1, now 2".
    """

    id: str
    parts: tuple[str, ...]
    descriptor_levels: tuple[str, ...] = ()
    before: tuple[tuple[str, str], ...] = ()
    after: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DomainChange:
    """A domain in both versions whose title, summary or weight differs."""

    id: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class RuleChange:
    """One judgement rule (or the scale, target or evidence level) that differs.

    ``before`` and ``after`` are short plain descriptions of the two values
    ("upper", "lower", "2 rules", "not set").
    """

    name: str
    before: str
    after: str


@dataclass(frozen=True)
class Moved:
    """A retired benchmark that reappears, with a new id, in another domain (same English title).

    For comparison it is still one retired and one added benchmark (ids are
    what rounds are compared by); this is only said so policy leads see why.
    """

    retired_id: str
    added_id: str


@dataclass(frozen=True)
class FrameworkDiff:
    """Everything that differs between an older and a newer framework."""

    old_version: str
    new_version: str
    domains_added: tuple[str, ...]
    domains_retired: tuple[str, ...]
    domains_changed: tuple[DomainChange, ...]
    benchmarks_added: tuple[str, ...]
    benchmarks_retired: tuple[str, ...]
    benchmarks_changed: tuple[BenchmarkChange, ...]
    rules_changed: tuple[RuleChange, ...]
    moved: tuple[Moved, ...] = ()

    @property
    def versions_differ(self) -> bool:
        """True when the two frameworks have different version names."""
        return self.old_version != self.new_version

    @property
    def is_empty(self) -> bool:
        """True when nothing a round could notice differs (the version name aside)."""
        return not (
            self.domains_added
            or self.domains_retired
            or self.domains_changed
            or self.benchmarks_added
            or self.benchmarks_retired
            or self.benchmarks_changed
            or self.rules_changed
        )

    def changed(self, benchmark_id: str) -> BenchmarkChange | None:
        """The change to this benchmark, or None if it is unchanged (or not in both versions)."""
        for change in self.benchmarks_changed:
            if change.id == benchmark_id:
                return change
        return None


def compare_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """What changed from ``old`` to ``new``, by domain and benchmark id (each list in file order)."""
    old_domains = {domain.id: domain for domain in old.domains}
    new_domains = {domain.id: domain for domain in new.domains}
    old_home = {benchmark.id: domain.id for domain in old.domains for benchmark in domain.benchmarks}
    new_home = {benchmark.id: domain.id for domain in new.domains for benchmark in domain.benchmarks}
    old_benchmarks = {benchmark.id: benchmark for benchmark in old.benchmarks}
    new_benchmarks = {benchmark.id: benchmark for benchmark in new.benchmarks}

    added = tuple(b.id for b in new.benchmarks if b.id not in old_benchmarks)
    retired = tuple(b.id for b in old.benchmarks if b.id not in new_benchmarks)
    changed = []
    for benchmark in new.benchmarks:
        before = old_benchmarks.get(benchmark.id)
        if before is not None:
            change = _benchmark_change(before, benchmark, old_home[benchmark.id], new_home[benchmark.id])
            if change is not None:
                changed.append(change)

    domain_changes = []
    for domain in new.domains:
        if domain.id in old_domains:
            parts = _domain_parts(old_domains[domain.id], domain)
            if parts:
                domain_changes.append(DomainChange(domain.id, parts))

    return FrameworkDiff(
        old_version=old.version,
        new_version=new.version,
        domains_added=tuple(d.id for d in new.domains if d.id not in old_domains),
        domains_retired=tuple(d.id for d in old.domains if d.id not in new_domains),
        domains_changed=tuple(domain_changes),
        benchmarks_added=added,
        benchmarks_retired=retired,
        benchmarks_changed=tuple(changed),
        rules_changed=_rule_changes(old, new),
        moved=_moved(retired, added, old_benchmarks, new_benchmarks, old_home, new_home),
    )


def _text_part(name: str, old: Text | None, new: Text | None) -> str | None:
    if old == new:
        return None
    if old is not None and new is not None and old.en == new.en:
        return f"{name} (Welsh only)"
    return name


def _texts_part(name: str, old: tuple[Text, ...], new: tuple[Text, ...]) -> str | None:
    if old == new:
        return None
    if len(old) == len(new) and all(a.en == b.en for a, b in zip(old, new, strict=True)):
        return f"{name} (Welsh only)"
    return name


def _agencies(codes: tuple[str, ...]) -> str:
    """The expected partners as the file lists them ("local_authority, police"), or "none"."""
    return ", ".join(codes) if codes else "none"


def _benchmark_change(old: Benchmark, new: Benchmark, old_domain: str, new_domain: str) -> BenchmarkChange | None:
    parts: list[str] = []
    for name in ("title", "question"):
        if part := _text_part(name, getattr(old, name), getattr(new, name)):
            parts.append(part)
    levels = tuple(
        level for level in dict.fromkeys((*old.descriptors, *new.descriptors)) if old.descriptors.get(level) != new.descriptors.get(level)
    )
    if levels:
        english = [level for level in levels if _en(old.descriptors.get(level)) != _en(new.descriptors.get(level))]
        parts.append("descriptors" if english else "descriptors (Welsh only)")
    if part := _texts_part("evidence_prompts", old.evidence_prompts, new.evidence_prompts):
        parts.append(part)
    if part := _text_part("guidance", old.guidance, new.guidance):
        parts.append(part)
    before: list[tuple[str, str]] = []
    after: list[tuple[str, str]] = []
    for name, was, now in (
        ("weight", f"{old.weight:g}", f"{new.weight:g}"),
        ("key", _yes_no(old.key), _yes_no(new.key)),
        ("multi_agency", _yes_no(old.multi_agency), _yes_no(new.multi_agency)),
        ("evidence_from", _agencies(old.evidence_from), _agencies(new.evidence_from)),
        ("domain", old_domain, new_domain),
    ):
        if was != now:
            parts.append(name)
            before.append((name, was))
            after.append((name, now))
    if not parts:
        return None
    return BenchmarkChange(new.id, tuple(parts), levels, tuple(before), tuple(after))


def _domain_parts(old: Domain, new: Domain) -> tuple[str, ...]:
    parts = [part for name in ("title", "summary") if (part := _text_part(name, getattr(old, name), getattr(new, name)))]
    if old.weight != new.weight:
        parts.append("weight")
    return tuple(parts)


def _rule_changes(old: Framework, new: Framework) -> tuple[RuleChange, ...]:
    changes = []
    if old.scale != new.scale:
        was, now = ", ".join(old.scale.ids), ", ".join(new.scale.ids)
        changes.append(RuleChange("scale", was, now if now != was else f"{now} (reworded)"))
    for name in ("target_level", "evidence_level"):
        if getattr(old, name) != getattr(new, name):
            changes.append(RuleChange(name, getattr(old, name), getattr(new, name)))
    for name in type(old.rules).model_fields:
        was, now = getattr(old.rules, name), getattr(new.rules, name)
        if was != now:
            before, after = _describe(was, name), _describe(now, name)
            if before == after:  # the same number of bands, limits or floors, but not the same ones
                after += " (changed)"
            changes.append(RuleChange(f"rules.{name}", before, after))
    return tuple(changes)


def _moved(
    retired: tuple[str, ...],
    added: tuple[str, ...],
    old_benchmarks: dict[str, Benchmark],
    new_benchmarks: dict[str, Benchmark],
    old_home: dict[str, str],
    new_home: dict[str, str],
) -> tuple[Moved, ...]:
    by_title: dict[str, str] = {}
    for benchmark_id in added:
        by_title.setdefault(_normal(new_benchmarks[benchmark_id].title.en), benchmark_id)
    moved = []
    for benchmark_id in retired:
        match = by_title.get(_normal(old_benchmarks[benchmark_id].title.en))
        if match is not None and new_home[match] != old_home[benchmark_id]:
            moved.append(Moved(benchmark_id, match))
    return tuple(moved)


_COUNTED: Final = {"bands": ("band", "bands"), "limits": ("rule", "rules"), "floors": ("floor", "floors")}


def _describe(value: object, name: str) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        one, many = _COUNTED.get(name, ("entry", "entries"))
        return "none" if not value else f"1 {one}" if len(value) == 1 else f"{len(value)} {many}"
    if isinstance(value, (str, int)):
        return str(value)
    return "set"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _en(text: Text | None) -> str | None:
    return text.en if text is not None else None


def _normal(title: str) -> str:
    return " ".join(title.lower().split())
