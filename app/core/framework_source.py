"""Where things are in the framework file (internal to :mod:`app.core.framework`).

PyYAML's ``compose`` keeps every node's position. This module reads the file
through it and answers two questions for every problem found later, whether by
pydantic or by :mod:`app.core.framework_validation`: which line should the author
edit, and what do we call the thing there ("'weight' of benchmark 'outcomes.2'").
Nothing here is public API: import :mod:`app.core.framework` instead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
            value = child(value, part)
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


def child(value: Any, part: str | int) -> Any:
    """``value[part]`` in the plain data, or ``None`` where the file has something else there."""
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


# A framework file needs no aliases (a 66 KB "billion laughs" of them once cost
# 272 s and 6.8 GB before it was refused), no number longer than this many
# digits (Python refuses to read 4,300 or more) and no deeper nesting than this.
MAX_NUMBER_DIGITS = 18
MAX_DEPTH = 64
_NUMBER = re.compile(r"[-+]?(0[xob])?[0-9_]+(\.[0-9_]*)?([eE][-+]?[0-9]+)?")


def _shape_problem(text: str) -> Problem | None:
    """The first alias, over-long number or too-deep nesting in ``text``, read as events (no tree is built).

    Invalid YAML is left to the composer, whose messages say what is wrong.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, yaml.AliasEvent):
                return Problem(line, f"the alias '*{event.anchor}' is not allowed: write the value out in full (a framework file has no anchors or aliases)")
            if isinstance(event, yaml.ScalarEvent):
                value = event.value
                if event.implicit[0] and len(value) > MAX_NUMBER_DIGITS and _NUMBER.fullmatch(value):
                    return Problem(line, f"the number {value[:12]}... is too long ({len(value):,} characters; at most {MAX_NUMBER_DIGITS} digits)")
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(line, f"lists and mappings are nested too deeply (more than {MAX_DEPTH} levels)")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def read_yaml(text: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Compose and construct ``text``; ``None`` when nothing further can be checked."""
    if (problem := _shape_problem(text)) is not None:
        return None, [problem]
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [Problem(mark.line + 1 if mark else 1, _yaml_message(exc))]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        return None, [Problem(line, f"the control character U+{code:04X} is not allowed in a YAML file")]
    except yaml.YAMLError as exc:
        return None, [Problem(1, f"invalid YAML: {exc}")]
    if root is None:
        return None, [Problem(1, "the file is empty: it must be a mapping starting with 'version:'")]
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        message = f"the top level must be a mapping of keys (version, title, scale, ...), not {kind}"
        return None, [Problem(_line(root), message)]
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
    if "unhashable key" in problem:
        return "invalid YAML: a key must be a single value, not a list or mapping"
    if problem.startswith("but ") and exc.context:  # "expected a single document ..., but found another"
        return f"invalid YAML: {exc.context}, {problem}"
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


def suggest(value: str, choices: Sequence[str], plural: str) -> str:
    """" (did you mean 'x'?)" for a near miss, else the list of allowed ``plural``."""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if choices:
        return f" (the {plural} are: {', '.join(choices)})"
    return ""


# --- Texts without Welsh ------------------------------------------------------------------


def untranslated_texts(
    document: SourceDocument, model: BaseModel, text_type: type[BaseModel]
) -> list[tuple[int, str]]:
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
