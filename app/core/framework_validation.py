"""The checks behind :mod:`app.core.framework` that pydantic's field types cannot express (internal).

Two jobs: turning pydantic's errors into plain messages at the offending line,
and checking what spans several parts of the file (ids, levels named in other
places, bands, counts). Nothing here is public API: import :mod:`app.core.framework`.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Annotated, Any, TypeGuard, Union, get_args, get_origin

from pydantic import BaseModel

from app.core.framework_source import Loc, Problem, SourceDocument, child, suggest

_LIMIT_KEYS = {
    "benchmark_caps_domain": ("when", "cap"),
    "overall_within_domain": ("domain", "max_levels_above"),
    "domain_caps_overall": ("domain", "below", "cap"),
}
_FLOOR_TESTS = ("none_below", "share_above", "key_at_least")
_BENCHMARK_ID = re.compile(r"(?P<domain>[a-z][a-z_]*)\.(?P<number>[1-9][0-9]*)")
_MAPPING = "a mapping of keys and values"
_EXPECTED = {
    "string_type": "text",
    "text_type": "text, or a mapping with 'en' and optionally 'cy'",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
}
_BOUNDS = {"greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "more than")}


# --- Explaining pydantic's errors -------------------------------------------------------


def explain_validation_errors(
    document: SourceDocument, errors: Sequence[Mapping[str, Any]], root_model: type[BaseModel]
) -> list[Problem]:
    """Turn pydantic's errors into problems at the line of the offending node."""
    problems = []
    for error in errors:
        loc: Loc = tuple(error["loc"])
        kind = error["type"]
        if "[key]" in loc:  # a non-text descriptor key: check_references names it
            continue
        line, consumed = document.locate(loc)
        if kind == "missing":
            message = f"{document.target(loc[:-1])} is missing required key '{loc[-1]}'"
        elif kind in ("extra_forbidden", "invalid_key"):
            allowed = _allowed_keys(root_model, loc[:-1])
            hint = suggest(str(loc[-1]), allowed, "keys")
            message = f"{document.target(loc[:-1])} has unknown key '{loc[-1]}'{hint}"
        else:
            message = _value_message(document.target(loc[:consumed]), kind, error)
        problems.append(Problem(line, message))
    return problems


def _value_message(target: str, kind: str, error: Mapping[str, Any]) -> str:
    value = error.get("input")
    context = error.get("ctx") or {}
    if kind == "sait":
        return f"{target} {error['msg']}"
    if kind in _EXPECTED:
        if value is None:
            return f"{target} is empty; it must be {_EXPECTED[kind]}"
        # A number, date or true/false where text belongs: YAML read an unquoted value literally.
        quotable = kind in ("string_type", "text_type") and not isinstance(value, (dict, tuple))
        hint = " (put it in quotes)" if quotable else ""
        return f"{target} must be {_EXPECTED[kind]}, not {_describe_value(value)}{hint}"
    if kind == "literal_error":
        return f"{target} must be one of {context.get('expected')}, not {_describe_value(value)}"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"{target} must be {words} {context.get(key)}, not {_describe_value(value)}"
    return f"{target} is not valid: {error.get('msg', kind)}"


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys allowed at ``loc``, found by following the model's field types."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part) if isinstance(part, str) else None
            annotation = field.annotation if field else None
        elif get_origin(annotation) is tuple:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) in (Mapping, dict):
            annotation = get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """``X`` from ``Annotated[X, ...]`` or ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
        else:
            return annotation


def _text_en(value: Any) -> str | None:
    text = value.get("en") if isinstance(value, dict) else value
    return " ".join(text.split()).casefold() if isinstance(text, str) and text.strip() else None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _items(value: Any) -> list[tuple[int, dict[Any, Any]]]:
    return [(n, item) for n, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, tuple) else []


# --- Checks that span several parts of the file -------------------------------------------


def check_references(
    document: SourceDocument,
    *,
    level_ids: Sequence[str],
    domain_ids: Sequence[str],
    min_benchmarks: int,
    agency_ids: Sequence[str] = (),
) -> list[Problem]:
    """Problems pydantic's per-field checks cannot see: ids, levels named elsewhere, bands, counts.

    Works on the raw data and skips anything of the wrong type, which pydantic reports.
    """
    checker = _ReferenceChecker(document, tuple(level_ids), tuple(domain_ids), tuple(agency_ids))
    checker.check_scale()
    checker.check_level_names()
    checker.check_bands()
    checker.check_limits()
    checker.check_floors()
    checker.check_domains(min_benchmarks)
    return checker.problems


class _ReferenceChecker:
    def __init__(
        self, document: SourceDocument, level_ids: tuple[str, ...], domain_ids: tuple[str, ...], agency_ids: tuple[str, ...] = ()
    ) -> None:
        self.document = document
        self.data = document.data
        self.level_ids = level_ids
        self.domain_ids = domain_ids
        self.agency_ids = agency_ids
        self.problems: list[Problem] = []

    def report(self, loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.document.line(loc), message))

    def unknown(self, loc: Loc, noun: str, value: str, choices: Sequence[str], prefix: str) -> None:
        self.report(loc, f"{prefix} unknown {noun} '{value}'{suggest(value, choices, noun + 's')}")

    def check_scale(self) -> None:
        levels_loc: Loc = ("scale", "levels")
        seen: dict[str, Loc] = {}
        clean = True
        for n, level in _items(child(child(self.data, "scale"), "levels")):
            level_id, loc = level.get("id"), (*levels_loc, n, "id")
            if not isinstance(level_id, str):
                clean = False
            elif level_id not in self.level_ids:
                self.unknown(loc, "level", level_id, self.level_ids, "the scale has")
                clean = False
            elif level_id in seen:
                first = self.document.line(seen[level_id])
                self.report(loc, f"level '{level_id}' is defined twice (first on line {first})")
                clean = False
            else:
                seen[level_id] = loc
        if clean and isinstance(child(child(self.data, "scale"), "levels"), tuple):
            missing = [level_id for level_id in self.level_ids if level_id not in seen]
            if missing:
                levels = f"{'level' if len(missing) == 1 else 'levels'} {', '.join(map(repr, missing))}"
                self.report(levels_loc, f"the scale has no {levels}; it needs exactly: {', '.join(self.level_ids)}")
            elif tuple(seen) != self.level_ids:
                self.report(levels_loc, f"the scale's levels must be listed low to high: {', '.join(self.level_ids)}")
        previous: tuple[str, int] | None = None
        for n, level in _items(child(child(self.data, "scale"), "levels")):
            score = level.get("score")
            if not isinstance(score, int) or isinstance(score, bool):
                previous = None
                continue
            if previous is not None and score <= previous[1]:
                self.report(
                    (*levels_loc, n, "score"),
                    f"{self.document.target((*levels_loc, n, 'score'))} must be higher than {previous[1]}, "
                    f"the score of {previous[0]}: scores go up from low to high",
                )
            previous = (self.document.name((*levels_loc, n)), score)

    def scores(self) -> tuple[int, int] | None:
        """The lowest and highest score, if every level has a whole-number score."""
        levels = child(child(self.data, "scale"), "levels")
        scores = [level.get("score") for _, level in _items(levels)]
        if not scores or not isinstance(levels, tuple) or len(scores) != len(levels):
            return None
        whole = [score for score in scores if isinstance(score, int) and not isinstance(score, bool)]
        if len(whole) != len(scores):
            return None
        return min(whole), max(whole)

    def check_level_names(self) -> None:
        for loc in (("target_level",), ("evidence_level",), ("scale", "not_known", "score_as")):
            value: Any = self.data
            for part in loc:
                value = child(value, part)
            if isinstance(value, str) and value not in self.level_ids:
                self.unknown(loc, "level", value, self.level_ids, f"{self.document.target(loc)} names")

    def check_bands(self) -> None:
        bands_loc: Loc = ("rules", "bands")
        bands = child(child(self.data, "rules"), "bands")
        if not isinstance(bands, tuple):
            return
        seen: dict[str, int] = {}
        clean = True
        ranges: list[tuple[int, float, float]] = []
        for n, band in _items(bands):
            name, level = self.document.name((*bands_loc, n)), band.get("level")
            if not isinstance(level, str):
                clean = False
            elif level not in self.level_ids:
                self.unknown((*bands_loc, n, "level"), "level", level, self.level_ids, f"{name} names")
                clean = False
            elif level in seen:
                message = f"{name} is a second band for level '{level}' (the first is band {seen[level] + 1})"
                self.report((*bands_loc, n, "level"), message)
                clean = False
            else:
                seen[level] = n
            low, high = band.get("min"), band.get("max")
            if _is_number(low) and _is_number(high):
                if low >= high:
                    message = f"{name} must end above where it starts (min {low:g}, max {high:g})"
                    self.report((*bands_loc, n, "max"), message)
                ranges.append((n, low, high))
        if clean:
            missing = [level for level in self.level_ids if level not in seen]
            if missing:
                levels = f"{'level' if len(missing) == 1 else 'levels'} {', '.join(map(repr, missing))}"
                self.report(bands_loc, f"there is no band for {levels}; each level needs exactly one band")
            elif tuple(seen) != self.level_ids:
                self.report(bands_loc, f"the bands must be listed low to high: {', '.join(self.level_ids)}")
        if ranges and len(ranges) == len(bands) and all(low < high for _, low, high in ranges):
            self._check_band_ranges(ranges)

    def _check_band_ranges(self, ranges: list[tuple[int, float, float]]) -> None:
        bands_loc: Loc = ("rules", "bands")
        for (n, _, high), (m, low, _) in pairwise(ranges):
            if low < high:
                message = f"band {m + 1} overlaps band {n + 1}: it starts at {low:g} but band {n + 1} runs to {high:g}"
                self.report((*bands_loc, m, "min"), message)
            elif low > high:
                message = (
                    f"there is a gap between band {n + 1} (up to {high:g}) and band {m + 1} (from {low:g}); "
                    "each band must start where the one before it ends"
                )
                self.report((*bands_loc, m, "min"), message)
        if (scores := self.scores()) is None:
            return
        lowest, highest = scores
        (first, first_low, _), (last, _, last_high) = ranges[0], ranges[-1]
        span = f"the bands must cover every score from {lowest} to {highest}"
        if first_low != lowest:
            message = f"band {first + 1} starts at {first_low:g}, but the lowest score is {lowest}: {span}"
            self.report((*bands_loc, first, "min"), message)
        if last_high != highest:
            message = f"band {last + 1} ends at {last_high:g}, but the highest score is {highest}: {span}"
            self.report((*bands_loc, last, "max"), message)

    def check_limits(self) -> None:
        limits_loc: Loc = ("rules", "limits")
        for n, rule in _items(child(child(self.data, "rules"), "limits")):
            kind, name = rule.get("kind"), self.document.name((*limits_loc, n))
            if not isinstance(kind, str) or kind not in _LIMIT_KEYS:
                continue  # pydantic names the allowed kinds
            for key in _LIMIT_KEYS[kind]:
                if rule.get(key) is None:
                    self.report((*limits_loc, n), f"{name} ({kind}) is missing required key '{key}'")
            for key in rule:
                # A key two kinds share (domain, cap) belongs to this rule too; name the first kind it belongs to.
                owner = next((k for k, keys in _LIMIT_KEYS.items() if k != kind and key in keys), None)
                if owner is not None and key not in _LIMIT_KEYS[kind]:
                    self.report((*limits_loc, n, key), f"{name}: '{key}' belongs to {owner} rules, not {kind}")
            for key in ("when", "cap", "below"):
                if isinstance(value := rule.get(key), str) and value not in self.level_ids:
                    self.unknown((*limits_loc, n, key), "level", value, self.level_ids, f"'{key}' of {name} names")
            if isinstance(domain := rule.get("domain"), str) and domain not in self.domain_ids:
                self.unknown((*limits_loc, n, "domain"), "domain", domain, self.domain_ids, f"{name} names")

    def check_floors(self) -> None:
        floors_loc: Loc = ("rules", "floors")
        seen: dict[str, int] = {}
        for n, floor in _items(child(child(self.data, "rules"), "floors")):
            name = f"floor {n + 1}"
            level = floor.get("level")
            for key in ("level", "none_below", "key_at_least"):
                if isinstance(value := floor.get(key), str) and value not in self.level_ids:
                    self.unknown((*floors_loc, n, key), "level", value, self.level_ids, f"'{key}' of {name} names")
            if not any(floor.get(key) is not None for key in _FLOOR_TESTS):
                message = f"{name} has nothing to check: give at least one of {', '.join(_FLOOR_TESTS)}"
                self.report((*floors_loc, n), message)
            if isinstance(level, str) and level in self.level_ids:
                if level in seen:
                    message = f"{name} is a second floor for level '{level}' (the first is floor {seen[level] + 1})"
                    self.report((*floors_loc, n, "level"), message)
                seen.setdefault(level, n)
                # A floor that let the level's own benchmarks fail it could never be met.
                below = floor.get("none_below")
                if isinstance(below, str) and below in self.level_ids and self.level_ids.index(below) > self.level_ids.index(level):
                    message = f"'none_below' of {name} is '{below}', above its level '{level}': it must be at or below the level it guards"
                    self.report((*floors_loc, n, "none_below"), message)

    def check_domains(self, min_benchmarks: int) -> None:
        domains = child(self.data, "domains")
        if not isinstance(domains, tuple):
            return
        expected = ", ".join(self.domain_ids)
        seen: dict[str, int] = {}
        clean = True
        for n, domain in _items(domains):
            domain_id = domain.get("id")
            if not isinstance(domain_id, str):
                clean = False
            elif domain_id not in self.domain_ids:
                self.unknown(("domains", n, "id"), "domain", domain_id, self.domain_ids, "the file has")
                clean = False
            elif domain_id in seen:
                message = f"domain '{domain_id}' appears twice (the first is domain {seen[domain_id] + 1})"
                self.report(("domains", n, "id"), message)
                clean = False
            else:
                seen[domain_id] = n
        missing = [domain_id for domain_id in self.domain_ids if domain_id not in seen]
        if len(domains) != len(self.domain_ids):
            detail = f"; missing: {', '.join(missing)}" if clean and missing else ""
            message = f"there must be exactly {len(self.domain_ids)} domains ({expected}), not {len(domains)}{detail}"
            self.report(("domains",), message)
        elif clean and tuple(seen) != self.domain_ids:
            self.report(("domains",), f"the domains must be listed in this order: {expected}")
        benchmark_ids: dict[str, Loc] = {}
        for n, domain in _items(domains):
            self._check_benchmarks(n, domain, min_benchmarks, benchmark_ids)

    def _check_benchmarks(self, n: int, domain: dict[Any, Any], min_benchmarks: int, seen: dict[str, Loc]) -> None:
        benchmarks = domain.get("benchmarks")
        if not isinstance(benchmarks, tuple):
            return
        # An unknown domain id is reported once; checking prefixes against it would repeat that.
        domain_id = domain.get("id") if domain.get("id") in self.domain_ids else None
        if len(benchmarks) < min_benchmarks:
            self.report(
                ("domains", n, "benchmarks"),
                f"{self.document.name(('domains', n))} has {_count(len(benchmarks), 'benchmark')}; "
                f"each domain needs at least {min_benchmarks}",
            )
        for m, benchmark in _items(benchmarks):
            loc: Loc = ("domains", n, "benchmarks", m)
            benchmark_id = benchmark.get("id")
            if isinstance(benchmark_id, str):
                match = _BENCHMARK_ID.fullmatch(benchmark_id)
                example = f"{domain_id or 'outcomes'}.{m + 1}"
                if match is None:
                    message = (
                        f"benchmark id '{benchmark_id}' must be the domain id, a dot and a number, like '{example}'"
                    )
                    self.report((*loc, "id"), message)
                elif domain_id and match["domain"] != domain_id:
                    message = (
                        f"benchmark '{benchmark_id}' is in domain '{domain_id}', "
                        f"so its id must start with '{domain_id}.'"
                    )
                    self.report((*loc, "id"), message)
                if benchmark_id in seen:
                    first = self.document.line(seen[benchmark_id])
                    self.report((*loc, "id"), f"benchmark id '{benchmark_id}' is used twice (first on line {first})")
                else:
                    seen[benchmark_id] = (*loc, "id")
            if isinstance(descriptors := benchmark.get("descriptors"), dict):
                self._check_descriptors((*loc, "descriptors"), self.document.name(loc), descriptors)
            if isinstance(expected := benchmark.get("evidence_from"), tuple):
                self._check_evidence_from((*loc, "evidence_from"), self.document.name(loc), expected)

    def _check_evidence_from(self, loc: Loc, name: str, codes: tuple[Any, ...]) -> None:
        # Non-text items are pydantic's to report; an agency code is checked like a level name.
        first: dict[str, int] = {}
        for n, code in enumerate(codes):
            if not isinstance(code, str):
                continue
            if self.agency_ids and code not in self.agency_ids:
                self.unknown((*loc, n), "agency", code, self.agency_ids, f"'evidence_from' of {name} names")
            elif code in first:
                message = f"'evidence_from' of {name} names '{code}' twice (items {first[code] + 1} and {n + 1})"
                self.report((*loc, n), message)
            else:
                first[code] = n
        if all(isinstance(code, str) for code in codes) and len(set(codes)) < 2:
            named = "only one agency" if codes else "no agency"
            message = (
                f"'evidence_from' of {name} names {named}; it must name at least two partners "
                "(leave it out for a benchmark whose evidence is the Board's own)"
            )
            self.report(loc, message)

    def _check_descriptors(self, loc: Loc, name: str, descriptors: dict[Any, Any]) -> None:
        suggested: set[str] = set()
        for key in descriptors:
            if key not in self.level_ids:
                close = difflib.get_close_matches(str(key), self.level_ids, n=1, cutoff=0.6)
                missing_close = [level for level in close if level not in descriptors]
                suggested.update(missing_close)
                choices = missing_close or self.level_ids
                self.unknown((*loc, str(key)), "level", str(key), choices, f"{name} has a descriptor for")
        for level in self.level_ids:
            if level not in descriptors and level not in suggested:
                self.report(loc, f"{name} has no descriptor for level '{level}'")
        first_level_for: dict[str, Any] = {}
        for key, value in descriptors.items():
            if (text := _text_en(value)) is None:
                continue
            if text in first_level_for:
                message = (
                    f"{name} has the same descriptor for '{first_level_for[text]}' and '{key}'; "
                    "each level needs its own description"
                )
                self.report((*loc, str(key)), message)
            else:
                first_level_for[text] = key
