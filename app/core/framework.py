"""The SAIT framework file (``sait_domains.yaml``) as typed, immutable objects.

This is the only module that reads the framework YAML; everything else works
with the objects it returns. :func:`load_framework` and :func:`parse_framework`
either return a fully checked :class:`Framework` or raise :class:`FrameworkError`
listing every problem found, each as ``file:line: message``.

The format is described for policy leads in ``docs/framework-format.md``. Line
numbers come from :mod:`app.core.framework_source`; the checks that span several
parts of the file are in :mod:`app.core.framework_validation`, so this module reads
as a list of the framework's parts.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.core import framework_source as source
from app.core import framework_validation as validation
from app.core.catalogue import InEnglish, is_welsh
from app.core.vocabulary import AGENCY_IDS

__all__ = [
    "DOMAIN_IDS",
    "LEVEL_IDS",
    "MIN_BENCHMARKS_PER_DOMAIN",
    "Band",
    "Benchmark",
    "Domain",
    "Framework",
    "Floor",
    "FrameworkError",
    "Level",
    "LimitRule",
    "NotApplicable",
    "NotKnown",
    "Rules",
    "Scale",
    "Text",
    "load_framework",
    "parse_framework",
]

#: The five SAIT domains, in the order every framework file must list them.
DOMAIN_IDS: Final = ("outcomes", "strategy", "governance", "capacity", "outputs")
#: The inspection judgement scale, low to high.
LEVEL_IDS: Final = ("inadequate", "requires_improvement", "good", "outstanding")
#: The brief asks for at least this many benchmarks in every domain.
MIN_BENCHMARKS_PER_DOMAIN: Final = 6


class FrameworkError(Exception):
    """The framework file cannot be used; ``errors`` lists every problem as ``file:line: message``."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors: list[str] = list(errors)
        super().__init__(*self.errors)

    def __str__(self) -> str:
        return "\n".join(self.errors)


def _problem(detail: str) -> PydanticCustomError:
    # One custom error type whose message is already user-facing; the translator
    # in framework_validation prefixes it with what the value is ("'weight' of ...").
    return PydanticCustomError("sait", "{detail}", {"detail": detail})


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise _problem("is empty")
    return value


def _positive(value: float) -> float:
    if not (math.isfinite(value) and value > 0):
        raise _problem(f"must be a positive number, not {value:g}")
    return value


NonBlank = Annotated[str, AfterValidator(_not_blank)]
Weight = Annotated[float, AfterValidator(_positive)]


class _Model(BaseModel):
    # strict: YAML's `score: "3"` or `weight: yes` is a mistake to report, not
    # something to coerce. frozen: a loaded framework is shared by every request.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Text(_Model):
    """A piece of user-facing text in English and, where translated, Welsh.

    In the file it is either a plain string (English only) or ``{en: ..., cy: ...}``.
    """

    en: NonBlank
    cy: NonBlank | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"en": value}
        if isinstance(value, (dict, Text)):
            return value
        raise PydanticCustomError("text_type", "Input should be text")

    def get(self, lang: str = "en") -> str:
        """The text in ``lang`` ("cy", "cy-GB" ...), falling back to English (marked as English: InEnglish)."""
        if is_welsh(lang):
            return self.cy if self.cy else InEnglish(self.en)
        return self.en

    def __str__(self) -> str:
        return self.en


class Level(_Model):
    """One point of the judgement scale, e.g. ``good`` scoring 3."""

    id: str
    score: int
    label: Text
    meaning: Text


class NotKnown(_Model):
    """The answer "Not known": counts as a gap, scored as level ``score_as``."""

    label: Text
    meaning: Text
    score_as: str


class NotApplicable(_Model):
    """The answer "Not applicable": left out of scores."""

    label: Text
    meaning: Text


class Scale(_Model):
    """The rating scale: ``levels`` from low to high, plus the two non-rating answers."""

    levels: tuple[Level, ...]
    not_known: NotKnown
    not_applicable: NotApplicable

    @property
    def ids(self) -> tuple[str, ...]:
        """Level ids, low to high."""
        return tuple(level.id for level in self.levels)

    def level(self, level_id: str) -> Level:
        """The level with this id; ``KeyError`` if there is none."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(f"no level {level_id!r} on the scale")

    def score(self, level_id: str) -> int:
        """The score of the level with this id; ``KeyError`` if there is none."""
        return self.level(level_id).score

    def label(self, rating: str, lang: str = "en") -> str:
        """The label in ``lang`` of a rating id: a level id, ``"not_known"`` or ``"not_applicable"``.

        Any other id (stored data the scale cannot place) is returned as it
        is, so a page or report still reads and the odd value stays visible
        rather than passing for a real "not known".
        """
        if rating in self.ids:
            return self.level(rating).label.get(lang)
        if rating == "not_applicable":
            return self.not_applicable.label.get(lang)
        if rating == "not_known":
            return self.not_known.label.get(lang)
        return rating

    def level_for_score(self, score: int) -> Level:
        """The level whose score is exactly ``score``; ``KeyError`` if there is none."""
        for level in self.levels:
            if level.score == score:
                return level
        raise KeyError(f"no level with score {score!r} on the scale")


class Band(_Model):
    """Weighted mean scores from ``min`` (inclusive) to ``max`` (exclusive) are judged ``level``.

    The highest band's ``max`` is inclusive, so the top score falls in it.
    """

    level: str
    min: float
    max: float


class LimitRule(_Model):
    """A limiting rule applied after banding.

    ``benchmark_caps_domain``: if any benchmark in a domain is rated ``when``, the
    domain is judged at most ``cap``. ``overall_within_domain``: the overall
    judgement is at most ``max_levels_above`` levels above the judgement of
    ``domain``. ``domain_caps_overall`` (from 2026.2): while ``domain`` is judged
    below ``below``, the overall judgement is at most ``cap``. ``text`` states
    the rule for users.
    """

    kind: Literal["benchmark_caps_domain", "overall_within_domain", "domain_caps_overall"]
    text: Text
    when: str | None = None
    cap: str | None = None
    domain: str | None = None
    max_levels_above: int | None = Field(default=None, ge=0)
    below: str | None = None


class Floor(_Model):
    """Best fit with a floor (from 2026.2): what must hold for a domain to keep ``level`` or above.

    After banding (and the limiting rules), a domain judged ``level`` or higher
    drops one level while its floor fails, and is checked again at the level
    below. ``none_below``: no scored benchmark is below this level.
    ``share_above``: more than this share of the scored benchmarks (by count)
    is at ``level`` or above. ``key_at_least``: every scored key benchmark is
    at this level or above. ``text`` states the floor for users.
    """

    level: str
    text: Text
    none_below: str | None = None
    share_above: float | None = Field(default=None, ge=0, lt=1)
    key_at_least: str | None = None


class Rules(_Model):
    """Judgement rules: score bands, limiting rules and the flag thresholds.

    Every key added in 2026.2 is optional and defaults to what 2026.1 did, so
    a round pinned to an older file is judged exactly as it was.
    """

    bands: tuple[Band, ...]
    limits: tuple[LimitRule, ...]
    disagreement_spread: int = Field(ge=1)
    #: 2026.1: flag an agreed rating MORE than this many levels above the median.
    moderation_above_median: int | None = Field(default=None, ge=0)
    #: 2026.2: flag an agreed rating this many levels or more above the median,
    #: unless its rationale cites evidence. Used instead of the key above when given.
    agreed_above_median_from: int | None = Field(default=None, ge=1)
    #: Which band a mean exactly on a boundary takes ("upper": 2026.1).
    ties: Literal["upper", "lower"] = "upper"
    floors: tuple[Floor, ...] = ()
    #: A domain with more than this share of benchmarks not applicable is not judged.
    max_not_applicable_share: float | None = Field(default=None, ge=0, lt=1)
    #: Provisional judgements count an unevidenced answer at or above the evidence level one level lower.
    unevidenced_counts_lower: bool = False
    #: Evidence dated more than this many months before the round opened is flagged stale.
    evidence_stale_months: int | None = Field(default=None, ge=1)
    #: The same (normalised) evidence text in this many answers or more of a round is flagged.
    evidence_reused_in: int | None = Field(default=None, ge=2)

    @model_validator(mode="after")
    def _one_median_threshold(self) -> Rules:
        if self.moderation_above_median is None and self.agreed_above_median_from is None:
            raise _problem("needs 'agreed_above_median_from' (or, in files before 2026.2, 'moderation_above_median')")
        return self

    def band_for(self, score: float) -> Band:
        """The band a weighted mean ``score`` falls in; ``ValueError`` if outside them all."""
        for band in self.bands:
            if band.min <= score < band.max:
                return band
        if self.bands and score == self.bands[-1].max:
            return self.bands[-1]
        raise ValueError(f"score {score!r} is outside the judgement bands")


class _FrozenMapping(Mapping[str, Text]):
    """A read-only, hashable mapping, so a Benchmark stays immutable and hashable."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, Text]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> Text:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)


class Benchmark(_Model):
    """One benchmark a board rates itself against, e.g. ``governance.3``."""

    id: str
    title: Text
    question: Text
    weight: Weight = 1.0
    descriptors: Mapping[str, Text]
    evidence_prompts: tuple[Text, ...]
    guidance: Text | None = None
    #: A key benchmark must be at a floor's ``key_at_least`` for its domain to keep that floor's level.
    key: bool = False
    #: Evidence for it should come from more than one agency (a flag says when it does not).
    multi_agency: bool = False
    #: The partner agencies (codes from ``AGENCY_IDS``) whose evidence it expects; two or more, or none.
    evidence_from: tuple[str, ...] = ()

    @field_validator("descriptors")
    @classmethod
    def _in_scale_order(cls, value: Mapping[str, Text]) -> Mapping[str, Text]:
        # Authors may list descriptors in any order; pages and reports want low to high.
        rank = {level_id: n for n, level_id in enumerate(LEVEL_IDS)}
        return _FrozenMapping(dict(sorted(value.items(), key=lambda item: rank.get(item[0], len(rank)))))

    @field_validator("evidence_prompts")
    @classmethod
    def _at_least_one_prompt(cls, value: tuple[Text, ...]) -> tuple[Text, ...]:
        if not value:
            raise _problem("must list at least one prompt")
        return value

    @field_serializer("descriptors", mode="wrap")
    def _descriptors_as_dict(self, value: Mapping[str, Text], handler: Any) -> Any:
        return handler(dict(value))

    @property
    def expects_several_agencies(self) -> bool:
        """Whether evidence for it should come from more than one agency: marked multi-agency, or naming the partners it expects."""
        return self.multi_agency or bool(self.evidence_from)

    @property
    def domain_id(self) -> str:
        """The domain this benchmark belongs to (the part of the id before the dot)."""
        return self.id.partition(".")[0]

    @property
    def number(self) -> int:
        """The benchmark's number within its domain (the part of the id after the dot)."""
        return int(self.id.partition(".")[2])


class Domain(_Model):
    """One of the five SAIT domains and its benchmarks."""

    id: str
    title: Text
    summary: Text
    weight: Weight
    benchmarks: tuple[Benchmark, ...]


class Framework(_Model):
    """A checked framework file. Build it with :func:`load_framework` or :func:`parse_framework`."""

    version: NonBlank
    title: Text
    scale: Scale
    target_level: str
    evidence_level: str
    rules: Rules
    domains: tuple[Domain, ...]
    #: The file is English only on purpose: ``check-framework`` then accepts
    #: texts without Welsh (Welsh pages show them marked as English).
    english_only: bool = False

    _source_text: str = PrivateAttr(default="")
    _filename: str = PrivateAttr(default="")
    _untranslated: tuple[str, ...] | None = PrivateAttr(default=None)
    _domains_by_id: dict[str, Domain] = PrivateAttr(default_factory=dict)
    _benchmarks_by_id: dict[str, Benchmark] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._domains_by_id = {domain.id: domain for domain in self.domains}
        self._benchmarks_by_id = {benchmark.id: benchmark for benchmark in self.benchmarks}

    def __eq__(self, other: object) -> bool:
        # The same checked content from the same text; which filename it was read
        # under, and whether untranslated() has been asked yet, do not matter.
        if not isinstance(other, Framework):
            return NotImplemented
        return self._source_text == other._source_text and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((self._source_text, self.version))

    @property
    def source_text(self) -> str:
        """The file's text exactly as read, so a round can store it and re-parse it later."""
        return self._source_text

    @property
    def content_hash(self) -> str:
        """SHA-256 (hex) of the file's bytes: two frameworks with the same hash are the same file."""
        return hashlib.sha256(self._source_text.encode("utf-8")).hexdigest()

    @property
    def benchmarks(self) -> tuple[Benchmark, ...]:
        """Every benchmark, domain by domain, in file order."""
        return tuple(benchmark for domain in self.domains for benchmark in domain.benchmarks)

    def domain(self, domain_id: str) -> Domain:
        """The domain with this id; ``KeyError`` if there is none."""
        try:
            return self._domains_by_id[domain_id]
        except KeyError:
            raise KeyError(f"no domain {domain_id!r} in framework {self.version}") from None

    def benchmark(self, benchmark_id: str) -> Benchmark:
        """The benchmark with this id (e.g. ``"governance.3"``); ``KeyError`` if there is none."""
        try:
            return self._benchmarks_by_id[benchmark_id]
        except KeyError:
            raise KeyError(f"no benchmark {benchmark_id!r} in framework {self.version}") from None

    def reference(self, subject_id: str) -> str:
        """How people refer to a benchmark or domain: "1.5" for the fifth benchmark of the first domain, "1" for
        that domain; an id the framework does not have is given as it is."""
        domain_id, _dot, number = subject_id.partition(".")
        position = next((n for n, domain in enumerate(self.domains, start=1) if domain.id == domain_id), None)
        if position is None:
            return subject_id
        return f"{position}.{number}" if number else str(position)

    def untranslated(self) -> list[str]:
        """One ``file:line: <what> has no Welsh text`` warning per text without ``cy``, in line order.

        Worked out on first use (only ``check-framework`` needs it) from ``source_text``.
        """
        if self._untranslated is None:
            document, _ = source.read_yaml(self._source_text)
            found = source.untranslated_texts(document, self, Text) if document else []
            self._untranslated = tuple(f"{self._filename}:{line}: {what} has no Welsh text" for line, what in found)
        return list(self._untranslated)


def load_framework(path: str | os.PathLike[str]) -> Framework:
    """Read and check the framework file at ``path``.

    Raises :class:`FrameworkError` (and nothing else) if the file is missing,
    unreadable, not UTF-8 or not a valid framework. Messages name the file as
    ``path`` was given.
    """
    name = os.fspath(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise FrameworkError([f"{name}: file not found"]) from None
    except IsADirectoryError:
        raise FrameworkError([f"{name}: is a folder, not a file"]) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise FrameworkError([f"{name}: cannot read the file ({reason})"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FrameworkError(
            [f"{name}:{line}: the file is not valid UTF-8 text (save it with UTF-8 encoding)"]
        ) from None
    return parse_framework(text, name)


def parse_framework(text: str, filename: str) -> Framework:
    """Check framework YAML held in memory; ``filename`` is used in messages.

    Raises :class:`FrameworkError` (and nothing else) listing every problem found.
    The same text and filename give the same (immutable, shared) object.
    """
    try:
        return _parse(text, filename)
    except RecursionError:
        # PyYAML composes nested collections recursively; absurd nesting must not escape as a traceback.
        raise FrameworkError([f"{filename}:1: the file is nested too deeply to read"]) from None


# A Framework is immutable, so one parse per text serves every app made in this
# process (the test suite makes one per test).
@functools.lru_cache(maxsize=16)
def _parse(text: str, filename: str) -> Framework:
    document, problems = source.read_yaml(text)
    if document is None:
        raise FrameworkError(source.format_problems(filename, problems))

    framework: Framework | None = None
    try:
        framework = Framework.model_validate(document.data)
    except ValidationError as exc:
        problems += validation.explain_validation_errors(document, exc.errors(include_url=False), Framework)
    # Cross-reference checks read the raw data, so they run (and report) even when
    # some other part of the file failed validation.
    problems += validation.check_references(
        document,
        level_ids=LEVEL_IDS,
        domain_ids=DOMAIN_IDS,
        agency_ids=AGENCY_IDS,
        min_benchmarks=MIN_BENCHMARKS_PER_DOMAIN,
    )
    if framework is None and not problems:  # defensive: every validation error should be explained
        problems.append(source.Problem(1, "the file is not a valid framework"))
    if problems or framework is None:
        raise FrameworkError(source.format_problems(filename, problems))

    framework._source_text = text
    framework._filename = filename
    return framework
