"""Line numbers and cross-reference checks for :mod:`app.framework` (internal).

PyYAML's ``compose`` keeps every node's position; this module reads the file
through it so that each problem, whether found by pydantic or by the checks
below, is reported at the line a policy lead has to edit. Nothing here is
public API: import :mod:`app.framework` instead.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Loc = tuple[str | int, ...]

_MERGE_TAG = "tag:yaml.org,2002:merge"
# List keys whose items have a name users recognise, so messages say
# "benchmark 'governance.3'" rather than "domains[2].benchmarks[2]".
_NAMED_ITEMS = {
    ("domains",): "domain",
    ("domains", "*", "benchmarks"): "benchmark",
    ("scale", "levels"): "level",
    ("rules", "bands"): "band",
    ("rules", "limits"): "limit rule",
}
_LIMIT_KEYS = {
    "benchmark_caps_domain": ("when", "cap"),
    "overall_within_domain": ("domain", "max_levels_above"),
}
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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, at a 1-based line."""

    line: int
    message: str


def format_problems(filename: str, problems: Sequence[Problem]) -> list[str]:
    """``file:line: message`` strings, in line order, without repeats."""
    ordered = sorted(dict.fromkeys(problems), key=lambda problem: problem.line)
    return [f"{filename}:{problem.line}: {problem.message}" for problem in ordered]


def _line(node: Node) -> int:
    return node.start_mark.line + 1


class SourceDocument:
    """The composed YAML tree and the plain data built from it (lists as tuples)."""

    def __init__(self, root: MappingNode, data: dict[Any, Any]) -> None:
        self.root = root
        self.data = data

    def locate(self, loc: Loc) -> tuple[int, int]:
        """The line for ``loc`` and how many of its parts exist in the file.

        A value reached through a key is reported at the key's line: for a block
        list or mapping that is where the author reads the name of the thing.
        """
        node: Node = self.root
        line, consumed = _line(node), 0
        for part in loc:
            if isinstance(node, MappingNode):
                # The last matching key is the one whose value the data holds.
                pairs = [(k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == str(part)]
                if not pairs:
                    break
                key, node = pairs[-1]
                line = _line(key)
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line = _line(node)
            else:
                break
            consumed += 1
        return line, consumed

    def line(self, loc: Loc) -> int:
        """The line to report a problem with ``loc`` at."""
        return self.locate(loc)[0]

    def describe(self, loc: Loc) -> tuple[str | None, Loc]:
        """The named thing ``loc`` is in ("benchmark 'outcomes.2'") and the path within it."""
        where: str | None = None
        start = 0
        value: Any = self.data
        pattern: list[str] = []
        for n, part in enumerate(loc):
            noun = _NAMED_ITEMS.get(tuple(pattern))
            if isinstance(part, int) and noun:
                item = value[part] if isinstance(value, tuple) and 0 <= part < len(value) else None
                where, start = _item_name(noun, part, item, where), n + 1
            pattern.append("*" if isinstance(part, int) else str(part))
            value = _child(value, part)
        return where, loc[start:]

    def target(self, loc: Loc) -> str:
        """How a message names the value at ``loc``: "'weight' of benchmark 'outcomes.2'"."""
        where, rest = self.describe(loc)
        field = _field_text(rest)
        if where and field:
            return f"{field} of {where}"
        return where or field or "the file"

    def name(self, loc: Loc) -> str:
        """The name of the named item at ``loc`` itself, e.g. "domain 'outcomes'"."""
        return self.describe(loc)[0] or "the file"


def _child(value: Any, part: str | int) -> Any:
    if isinstance(value, dict):
        return value.get(part)
    if isinstance(value, tuple) and isinstance(part, int) and 0 <= part < len(value):
        return value[part]
    return None


def _text_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def _item_name(noun: str, index: int, item: Any, parent: str | None) -> str:
    if noun == "band" and isinstance(item, dict) and isinstance(item.get("level"), str):
        return f"band {index + 1} ({item['level']})"
    if noun in ("domain", "benchmark", "level") and (item_id := _text_id(item)):
        return f"{noun} '{item_id}'"
    if noun == "benchmark" and parent:
        return f"benchmark {index + 1} of {parent}"
    return f"{noun} {index + 1}"


def _field_text(parts: Loc) -> str:
    words: list[str] = []
    keys: list[str] = []
    for part in parts:
        if isinstance(part, int):
            if keys:
                words.append("'" + ".".join(keys) + "'")
                keys = []
            words.append(f"item {part + 1}")
        else:
            keys.append(str(part))
    if keys:
        words.append("'" + ".".join(keys) + "'")
    return " ".join(words)


# --- Reading the YAML ----------------------------------------------------------------


def read_yaml(text: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Compose and construct ``text``; ``None`` when nothing further can be checked."""
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [Problem(mark.line + 1 if mark else 1, _yaml_message(exc))]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        return None, [Problem(line, f"the character {exc.character!r} is not allowed in a YAML file")]
    except yaml.YAMLError as exc:
        return None, [Problem(1, f"invalid YAML: {exc}")]
    if root is None:
        return None, [Problem(1, "the file is empty: it must be a mapping starting with 'version:'")]
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        return None, [Problem(_line(root), f"the top level must be a mapping of keys (version, title, scale, ...), not {kind}")]
    if (loop := _find_alias_loop(root, set())) is not None:
        return None, [Problem(_line(loop), "an alias refers to the list or mapping that contains it")]

    # Collected before constructing: SafeConstructor rewrites merge keys (<<) in place.
    duplicates = list(_duplicate_keys(root, ()))
    try:
        data = _freeze(yaml.SafeLoader("").construct_document(root))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [Problem(mark.line + 1 if mark else 1, _yaml_message(exc))]
    document = SourceDocument(root, data)
    problems = [
        Problem(line, f"{document.target(loc)} has the key '{key}' twice (first on line {first}); keep one")
        for loc, key, line, first in duplicates
    ]
    return document, problems


def _compose(text: str) -> Node | None:
    # libyaml is about 15 times faster, which matters because every app start (and
    # every test app) loads the framework; both build the same nodes, with marks.
    fast_loader = getattr(yaml, "CSafeLoader", None)
    if fast_loader is not None:
        try:
            return yaml.compose(text, Loader=fast_loader)
        except yaml.YAMLError:
            pass  # read again below: PyYAML's own messages name the character or alias at fault
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "the file is not valid YAML"
    if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        problem += f" ({exc.context} on line {exc.context_mark.line + 1})"
    elif exc.context:
        problem += f" ({exc.context})"
    return f"invalid YAML: {problem}"


def _find_alias_loop(node: Node, ancestors: set[int]) -> Node | None:
    if id(node) in ancestors:
        return node
    if isinstance(node, (MappingNode, SequenceNode)):
        ancestors = ancestors | {id(node)}
        children = [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else node.value
        for child in children:
            if (loop := _find_alias_loop(child, ancestors)) is not None:
                return loop
    return None


def _duplicate_keys(node: Node, loc: Loc) -> Iterator[tuple[Loc, str, int, int]]:
    """(mapping loc, key, line, first line) for each key repeated in one mapping.

    PyYAML silently keeps the last value, which would hide an author's mistake.
    """
    if isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*loc, index))
    elif isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.tag == _MERGE_TAG:
                continue
            if key.value in seen:
                yield loc, key.value, _line(key), seen[key.value]
            else:
                seen[key.value] = _line(key)
            yield from _duplicate_keys(value, (*loc, key.value))


def _freeze(value: Any) -> Any:
    # Tuples, because the models are strict and immutable.
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    if isinstance(value, dict):
        return {key: _freeze(item) for key, item in value.items()}
    return value


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
            message = f"{document.target(loc[:-1])} has unknown key '{loc[-1]}'{_suggest(str(loc[-1]), allowed, 'keys')}"
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
        hint = " (put it in quotes)" if kind in ("string_type", "text_type") and not isinstance(value, (dict, tuple)) else ""
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


def _suggest(value: str, choices: Sequence[str], plural: str) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if choices:
        return f" (the {plural} are: {', '.join(choices)})"
    return ""


def _text_en(value: Any) -> str | None:
    text = value.get("en") if isinstance(value, dict) else value
    return " ".join(text.split()).casefold() if isinstance(text, str) and text.strip() else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _items(value: Any) -> list[tuple[int, dict[Any, Any]]]:
    return [(n, item) for n, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, tuple) else []


# --- Checks that span several parts of the file -------------------------------------------


def check_references(
    document: SourceDocument, *, level_ids: Sequence[str], domain_ids: Sequence[str], min_benchmarks: int
) -> list[Problem]:
    """Problems pydantic's per-field checks cannot see: ids, levels named elsewhere, bands, counts.

    Works on the raw data and skips anything of the wrong type, which pydantic reports.
    """
    checker = _ReferenceChecker(document, tuple(level_ids), tuple(domain_ids))
    checker.check_scale()
    checker.check_level_names()
    checker.check_bands()
    checker.check_limits()
    checker.check_domains(min_benchmarks)
    return checker.problems


class _ReferenceChecker:
    def __init__(self, document: SourceDocument, level_ids: tuple[str, ...], domain_ids: tuple[str, ...]) -> None:
        self.document = document
        self.data = document.data
        self.level_ids = level_ids
        self.domain_ids = domain_ids
        self.problems: list[Problem] = []

    def report(self, loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.document.line(loc), message))

    def unknown(self, loc: Loc, noun: str, value: str, choices: Sequence[str], prefix: str) -> None:
        self.report(loc, f"{prefix} unknown {noun} '{value}'{_suggest(value, choices, noun + 's')}")

    def check_scale(self) -> None:
        levels_loc: Loc = ("scale", "levels")
        seen: dict[str, Loc] = {}
        clean = True
        for n, level in _items(_child(_child(self.data, "scale"), "levels")):
            level_id, loc = level.get("id"), (*levels_loc, n, "id")
            if not isinstance(level_id, str):
                clean = False
            elif level_id not in self.level_ids:
                self.unknown(loc, "level", level_id, self.level_ids, "the scale has")
                clean = False
            elif level_id in seen:
                self.report(loc, f"level '{level_id}' is defined twice (first on line {self.document.line(seen[level_id])})")
                clean = False
            else:
                seen[level_id] = loc
        if clean and isinstance(_child(_child(self.data, "scale"), "levels"), tuple):
            missing = [level_id for level_id in self.level_ids if level_id not in seen]
            if missing:
                self.report(levels_loc, f"the scale has no level {', '.join(map(repr, missing))}; it needs exactly: {', '.join(self.level_ids)}")
            elif tuple(seen) != self.level_ids:
                self.report(levels_loc, f"the scale's levels must be listed low to high: {', '.join(self.level_ids)}")
        previous: tuple[str, int] | None = None
        for n, level in _items(_child(_child(self.data, "scale"), "levels")):
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
        levels = _child(_child(self.data, "scale"), "levels")
        scores = [level.get("score") for _, level in _items(levels)]
        if not scores or not isinstance(levels, tuple) or len(scores) != len(levels):
            return None
        if not all(isinstance(score, int) and not isinstance(score, bool) for score in scores):
            return None
        return min(scores), max(scores)

    def check_level_names(self) -> None:
        for loc in (("target_level",), ("evidence_level",), ("scale", "not_known", "score_as")):
            value: Any = self.data
            for part in loc:
                value = _child(value, part)
            if isinstance(value, str) and value not in self.level_ids:
                self.unknown(loc, "level", value, self.level_ids, f"{self.document.target(loc)} names")

    def check_bands(self) -> None:
        bands_loc: Loc = ("rules", "bands")
        bands = _child(_child(self.data, "rules"), "bands")
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
                self.report((*bands_loc, n, "level"), f"{name} is a second band for level '{level}' (the first is band {seen[level] + 1})")
                clean = False
            else:
                seen[level] = n
            low, high = band.get("min"), band.get("max")
            if _is_number(low) and _is_number(high):
                if low >= high:
                    self.report((*bands_loc, n, "max"), f"{name} must end above where it starts (min {low:g}, max {high:g})")
                ranges.append((n, low, high))
        if clean:
            missing = [level for level in self.level_ids if level not in seen]
            if missing:
                self.report(bands_loc, f"there is no band for level {', '.join(map(repr, missing))}; each level needs exactly one band")
            elif tuple(seen) != self.level_ids:
                self.report(bands_loc, f"the bands must be listed low to high: {', '.join(self.level_ids)}")
        if len(ranges) == len(bands) and all(low < high for _, low, high in ranges):
            self._check_band_ranges(ranges)

    def _check_band_ranges(self, ranges: list[tuple[int, float, float]]) -> None:
        bands_loc: Loc = ("rules", "bands")
        for (n, _, high), (m, low, _) in zip(ranges, ranges[1:]):
            if low < high:
                self.report((*bands_loc, m, "min"), f"band {m + 1} overlaps band {n + 1}: it starts at {low:g} but band {n + 1} runs to {high:g}")
            elif low > high:
                self.report((*bands_loc, m, "min"), f"there is a gap between band {n + 1} (up to {high:g}) and band {m + 1} (from {low:g}); each band must start where the one before it ends")
        if (scores := self.scores()) is None:
            return
        lowest, highest = scores
        (first, first_low, _), (last, _, last_high) = ranges[0], ranges[-1]
        span = f"the bands must cover every score from {lowest} to {highest}"
        if first_low != lowest:
            self.report((*bands_loc, first, "min"), f"band {first + 1} starts at {first_low:g}, but the lowest score is {lowest}: {span}")
        if last_high != highest:
            self.report((*bands_loc, last, "max"), f"band {last + 1} ends at {last_high:g}, but the highest score is {highest}: {span}")

    def check_limits(self) -> None:
        limits_loc: Loc = ("rules", "limits")
        for n, rule in _items(_child(_child(self.data, "rules"), "limits")):
            kind, name = rule.get("kind"), self.document.name((*limits_loc, n))
            if kind not in _LIMIT_KEYS:
                continue  # pydantic names the allowed kinds
            for key in _LIMIT_KEYS[kind]:
                if rule.get(key) is None:
                    self.report((*limits_loc, n), f"{name} ({kind}) is missing required key '{key}'")
            for other_kind, keys in _LIMIT_KEYS.items():
                for key in keys:
                    if other_kind != kind and key in rule:
                        self.report((*limits_loc, n, key), f"{name}: '{key}' belongs to {other_kind} rules, not {kind}")
            for key in ("when", "cap"):
                if isinstance(value := rule.get(key), str) and value not in self.level_ids:
                    self.unknown((*limits_loc, n, key), "level", value, self.level_ids, f"'{key}' of {name} names")
            if isinstance(domain := rule.get("domain"), str) and domain not in self.domain_ids:
                self.unknown((*limits_loc, n, "domain"), "domain", domain, self.domain_ids, f"{name} names")

    def check_domains(self, min_benchmarks: int) -> None:
        domains = _child(self.data, "domains")
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
                self.report(("domains", n, "id"), f"domain '{domain_id}' appears twice (the first is domain {seen[domain_id] + 1})")
                clean = False
            else:
                seen[domain_id] = n
        missing = [domain_id for domain_id in self.domain_ids if domain_id not in seen]
        if len(domains) != len(self.domain_ids):
            detail = f"; missing: {', '.join(missing)}" if clean and missing else ""
            self.report(("domains",), f"there must be exactly {len(self.domain_ids)} domains ({expected}), not {len(domains)}{detail}")
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
                f"{self.document.name(('domains', n))} has {len(benchmarks)} benchmarks; each domain needs at least {min_benchmarks}",
            )
        for m, benchmark in _items(benchmarks):
            loc: Loc = ("domains", n, "benchmarks", m)
            benchmark_id = benchmark.get("id")
            if isinstance(benchmark_id, str):
                match = _BENCHMARK_ID.fullmatch(benchmark_id)
                example = f"{domain_id or 'outcomes'}.{m + 1}"
                if match is None:
                    self.report((*loc, "id"), f"benchmark id '{benchmark_id}' must be the domain id, a dot and a number, like '{example}'")
                elif domain_id and match["domain"] != domain_id:
                    self.report((*loc, "id"), f"benchmark '{benchmark_id}' is in domain '{domain_id}', so its id must start with '{domain_id}.'")
                if benchmark_id in seen:
                    self.report((*loc, "id"), f"benchmark id '{benchmark_id}' is used twice (first on line {self.document.line(seen[benchmark_id])})")
                else:
                    seen[benchmark_id] = (*loc, "id")
            if isinstance(descriptors := benchmark.get("descriptors"), dict):
                self._check_descriptors((*loc, "descriptors"), self.document.name(loc), descriptors)

    def _check_descriptors(self, loc: Loc, name: str, descriptors: dict[Any, Any]) -> None:
        suggested: set[str] = set()
        for key in descriptors:
            if key not in self.level_ids:
                close = difflib.get_close_matches(str(key), self.level_ids, n=1, cutoff=0.6)
                missing_close = [level for level in close if level not in descriptors]
                suggested.update(missing_close)
                self.unknown((*loc, str(key)), "level", str(key), missing_close or self.level_ids, f"{name} has a descriptor for")
        for level in self.level_ids:
            if level not in descriptors and level not in suggested:
                self.report(loc, f"{name} has no descriptor for level '{level}'")
        first_level_for: dict[str, Any] = {}
        for key, value in descriptors.items():
            if (text := _text_en(value)) is None:
                continue
            if text in first_level_for:
                self.report((*loc, str(key)), f"{name} has the same descriptor for '{first_level_for[text]}' and '{key}'; each level needs its own description")
            else:
                first_level_for[text] = key


# --- Untranslated texts ------------------------------------------------------------------


def untranslated_texts(document: SourceDocument, model: BaseModel, text_type: type[BaseModel]) -> list[tuple[int, str]]:
    """(line, what) for every ``text_type`` in ``model`` that has no Welsh (``cy``)."""
    found = [
        (document.line(loc), document.target(loc))
        for loc, text in _texts(model, (), text_type)
        if getattr(text, "cy", None) is None
    ]
    return sorted(found, key=lambda item: item[0])


def _texts(value: Any, loc: Loc, text_type: type[BaseModel]) -> Iterator[tuple[Loc, Any]]:
    if isinstance(value, text_type):
        yield loc, value
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _texts(getattr(value, field), (*loc, field), text_type)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index), text_type)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(item, (*loc, key), text_type)
