"""The framework loader: valid files become typed objects; broken ones are refused at the right line."""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.core.framework import (
    DOMAIN_IDS,
    LEVEL_IDS,
    Framework,
    FrameworkError,
    Text,
    load_framework,
    parse_framework,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "framework"
VALID = FIXTURES / "valid_minimal.yaml"
REAL = Path(__file__).parents[3] / "sait_domains.yaml"
BROKEN = sorted(path for path in FIXTURES.glob("*.yaml") if path != VALID)
EXPECT = re.compile(rb"# expect: (\d+): (.+)")
# Every message a user sees names the file and a line, whatever went wrong.
LOCATED = r"^{name}:\d+: \S"


def expectation(path: Path) -> tuple[int, str]:
    """The line and message a broken fixture's first line says the loader reports."""
    match = EXPECT.match(path.read_bytes())
    assert match, f"{path.name} must start with '# expect: <line>: <message>'"
    return int(match[1]), match[2].decode()


def line_of(text: str, path: Path = VALID) -> int:
    """The 1-based line of the first line of ``path`` that starts with ``text`` (after indentation)."""
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip().startswith(text))


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework(VALID)


def assert_refused(text: str, name: str = "test.yaml") -> list[str]:
    """Parse ``text``, expect FrameworkError, and check every message is located; returns them."""
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, name)
    errors = caught.value.errors
    assert errors
    for error in errors:
        assert re.match(LOCATED.format(name=re.escape(name)), error), error
        assert "Traceback" not in error
    return errors


# --- Broken files --------------------------------------------------------------------------


def test_the_broken_fixtures_cover_the_agreed_problems() -> None:
    names = {path.stem for path in BROKEN}
    agreed = {
        "broken_yaml_syntax", "unknown_key", "missing_descriptor", "duplicate_benchmark_id", "bad_prefix",
        "unknown_level_descriptor", "empty_text", "negative_weight", "bands_overlap", "bands_gap",
        "target_not_on_scale", "four_domains", "wrong_type", "duplicate_key", "too_few_benchmarks",
        "identical_descriptors",
        "floor_unknown_level", "floor_key_unknown_level", "floor_without_test", "floor_none_below_above_level",
        "caps_overall_missing_below", "caps_overall_unknown_domain", "caps_overall_unknown_level",
    }  # fmt: skip
    assert agreed <= names


@pytest.mark.parametrize("path", BROKEN, ids=lambda path: path.stem)
def test_broken_fixture_is_refused_with_one_message_at_its_line(path: Path) -> None:
    line, message = expectation(path)

    with pytest.raises(FrameworkError) as caught:
        load_framework(path)

    # Exactly one message: one mistake must not bury the author in knock-on errors.
    [error] = caught.value.errors
    assert error.startswith(f"{path}:{line}: "), error
    assert message in error


def test_every_problem_is_reported_in_line_order() -> None:
    text = (
        VALID.read_text()
        .replace("target_level: good", "target_level: excellent")
        .replace("          good: Reliable work on challenge, with evidence.\n", "")
        .replace("title: Outcome measures", "title: ''")
    )

    errors = assert_refused(text)

    assert errors == [
        f"test.yaml:{line_of('target_level')}: 'target_level' names unknown level 'excellent'"
        " (the levels are: inadequate, requires_improvement, good, outstanding)",
        f"test.yaml:{line_of('title: Outcome measures')}: 'title' of benchmark 'outcomes.1' is empty",
        f"test.yaml:{line_of('- id: governance.3') + 3}: benchmark 'governance.3' has no descriptor for level 'good'",
    ]


def test_a_duplicate_key_names_both_lines() -> None:
    text = VALID.read_text().replace('version: "test.1"\n', 'version: "test.1"\nversion: "test.2"\n')
    first = line_of("version:")

    errors = assert_refused(text)

    assert errors == [f"test.yaml:{first + 1}: the file has the key 'version' twice (first on line {first}); keep one"]


def test_a_missing_file_is_reported_without_a_line(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"

    with pytest.raises(FrameworkError) as caught:
        load_framework(path)

    assert caught.value.errors == [f"{path}: file not found"]
    assert str(caught.value) == f"{path}: file not found"


def test_a_folder_is_not_a_framework_file(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as caught:
        load_framework(tmp_path)

    assert caught.value.errors == [f"{tmp_path}: is a folder, not a file"]


def test_the_error_lists_every_message_on_its_own_line() -> None:
    error = FrameworkError(["a.yaml:1: first", "a.yaml:2: second"])

    assert str(error) == "a.yaml:1: first\na.yaml:2: second"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        "# only a comment\n",
        "[]",
        "42",
        "just words",
        "version: [",
        "version: 1\n---\nversion: 2\n",
        "title: *undefined",
        "a: &loop [*loop]",
        "a: \x07",
        "\t- tab",
        "? [a, b]\n: c\n",
        "[" * 1200,  # deeper than Python's recursion limit allows PyYAML to compose
        "a:\n" + "".join("  " * n + f"k{n}:\n" for n in range(1, 400)),
        "version: '1'\ntitle: t\nscale: {}\ntarget_level: good\nevidence_level: good\nrules: []\ndomains: {}\n",
        "version: '1'\ndomains: [1, [2], {id: 3, benchmarks: [{descriptors: {1: x, good: [y]}}]}]\n",
        "version: '1'\nrules: {bands: [{level: good, min: a, max: .nan}], limits: [{kind: x}, 5]}\n",
        "version: '1'\nscale: {levels: [{id: good, score: true}, {id: good, score: 1.5}]}\n",
        "rules: {limits: [{kind: {a: 1}}, {kind: [x], when: {b: 2}, domain: [c]}]}\n",
        "rules: {bands: [], limits: []}\nscale: {levels: []}\ndomains: [{benchmarks: []}]\n",
        "domains: [{id: {x: 1}, benchmarks: [{id: [y], descriptors: {good: {en: [z]}}}]}]\n",
    ],
    ids=lambda text: repr(text[:30]),
)
def test_any_bad_input_raises_only_framework_error_with_located_messages(text: str) -> None:
    assert_refused(text)


def test_messages_use_the_path_as_given(tmp_path: Path) -> None:
    path = tmp_path / "sait_domains.yaml"
    path.write_text(VALID.read_text().replace("target_level: good", "target_level: 3"))

    with pytest.raises(FrameworkError) as caught:
        load_framework(str(path))

    assert caught.value.errors == [
        f"{path}:{line_of('target_level')}: 'target_level' must be text, not the number 3 (put it in quotes)"
    ]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_deleting_any_line_gives_a_framework_or_located_errors(data: st.DataObject) -> None:
    lines = VALID.read_text().splitlines(keepends=True)
    gone = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    text = "".join(lines[:gone] + lines[gone + 1 :])

    try:
        parse_framework(text, "cut.yaml")
    except FrameworkError as error:
        for message in error.errors:
            assert re.match(LOCATED.format(name="cut\\.yaml"), message), message


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "en", "cy", "weight", "levels", "x", "good"]), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            key: YAML_VALUES
            for key in ("version", "title", "scale", "target_level", "evidence_level", "rules", "domains", "other")
        },
    )
)
def test_any_yaml_shape_gives_located_errors(document: dict[str, object]) -> None:
    # Exercises the translation of pydantic's errors: wrong types at every depth.
    text = yaml.safe_dump(document, allow_unicode=True)

    if document:
        assert_refused(text, "shape.yaml")


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path to a value inside parsed YAML, e.g. ("domains", 0, "benchmarks", 2, "weight")."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    return [path] + [found for key, child in items for found in _paths(child, (*path, key))]


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: the test makes many files
VALID_DATA = yaml.safe_load(VALID.read_text())
VALID_PATHS = _paths(VALID_DATA)[1:]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(VALID_PATHS), YAML_VALUES)
def test_replacing_any_value_gives_a_framework_or_located_errors(path: tuple[object, ...], value: object) -> None:
    document = copy.deepcopy(VALID_DATA)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value

    try:
        parse_framework(yaml.dump(document, Dumper=DUMPER, allow_unicode=True), "changed.yaml")
    except FrameworkError as error:
        for message in error.errors:
            assert re.match(LOCATED.format(name="changed\\.yaml"), message), message


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_located_errors(text: str) -> None:
    assert_refused(text, "noise.yaml")


# --- A valid file ----------------------------------------------------------------------------


def test_valid_file_loads_with_the_right_counts(framework: Framework) -> None:
    assert framework.version == "test.1"
    assert framework.title.get("cy") == "Offeryn Hunanasesu a Gwella (prawf)"
    assert tuple(domain.id for domain in framework.domains) == DOMAIN_IDS
    assert [len(domain.benchmarks) for domain in framework.domains] == [6] * 5
    assert len(framework.benchmarks) == 30
    assert framework.scale.ids == LEVEL_IDS
    assert [level.score for level in framework.scale.levels] == [1, 2, 3, 4]
    assert (framework.target_level, framework.evidence_level) == ("good", "good")
    assert [band.level for band in framework.rules.bands] == list(LEVEL_IDS)
    assert [rule.kind for rule in framework.rules.limits] == ["benchmark_caps_domain", "overall_within_domain"]
    assert (framework.rules.disagreement_spread, framework.rules.moderation_above_median) == (2, 1)


def test_benchmarks_carry_their_content(framework: Framework) -> None:
    benchmark = framework.benchmark("outcomes.2")

    assert (benchmark.domain_id, benchmark.number) == ("outcomes", 2)
    assert str(benchmark.title) == "Children's voice"
    assert benchmark.weight == 1.0  # the default
    assert framework.benchmark("outcomes.1").weight == 2.0
    assert tuple(benchmark.descriptors) == LEVEL_IDS
    assert str(benchmark.descriptors["good"]) == "Reliable work on children's voice, with evidence."
    assert [str(prompt) for prompt in benchmark.evidence_prompts] == [
        "A report on children's voice",
        "Minutes showing challenge",
    ]
    assert str(benchmark.guidance) == "Look for what changed for children, not just what was done."
    assert framework.benchmark("outcomes.3").guidance is None


def test_descriptors_are_kept_in_scale_order_whatever_the_file_order() -> None:
    text = VALID.read_text().replace(
        "          inadequate: Nothing in place for outcome measures.\n", ""
    ).replace(
        "          outstanding: Work on outcome measures that others copy.\n",
        "          outstanding: Work on outcome measures that others copy.\n"
        "          inadequate: Nothing in place for outcome measures.\n",
    )

    benchmark = parse_framework(text, "reordered.yaml").benchmark("outcomes.1")

    assert tuple(benchmark.descriptors) == LEVEL_IDS


def test_lookups_by_id(framework: Framework) -> None:
    assert str(framework.domain("governance").title) == "Establishing effective governance"
    assert framework.domain("outcomes").weight == 2.0
    assert [b.id for b in framework.benchmarks[:7]] == [f"outcomes.{n}" for n in range(1, 7)] + ["strategy.1"]
    with pytest.raises(KeyError):
        framework.domain("finance")
    with pytest.raises(KeyError):
        framework.benchmark("governance.99")


def test_scale_helpers(framework: Framework) -> None:
    scale = framework.scale

    assert scale.level("good").label == Text(en="Good", cy="Da")
    assert scale.score("requires_improvement") == 2
    assert scale.level_for_score(4).id == "outstanding"
    assert scale.not_known.score_as == "inadequate"
    assert str(scale.not_applicable.label) == "Not applicable"
    with pytest.raises(KeyError):
        scale.level("excellent")
    with pytest.raises(KeyError):
        scale.level_for_score(5)


@pytest.mark.parametrize(
    ("score", "level"),
    [(1.0, "inadequate"), (1.74, "inadequate"), (1.75, "requires_improvement"), (3.25, "outstanding"), (4.0, "outstanding")],
)
def test_bands_include_their_min_and_only_the_top_band_its_max(framework: Framework, score: float, level: str) -> None:
    assert framework.rules.band_for(score).level == level


def test_a_score_outside_the_bands_has_no_band(framework: Framework) -> None:
    with pytest.raises(ValueError):
        framework.rules.band_for(4.5)


def test_loaded_objects_cannot_be_changed(framework: Framework) -> None:
    benchmark = framework.benchmark("outcomes.1")

    with pytest.raises(ValidationError):
        benchmark.weight = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        benchmark.descriptors["good"] = Text(en="changed")  # type: ignore[index]
    assert isinstance(framework.domains, tuple)
    assert isinstance(benchmark.evidence_prompts, tuple)
    assert hash(benchmark) == hash(framework.benchmark("outcomes.1"))


# --- Text and Welsh ---------------------------------------------------------------------------


def test_text_falls_back_to_english_where_there_is_no_welsh() -> None:
    english_only = Text(en="Good")
    both = Text(en="Good", cy="Da")

    assert english_only.get("cy") == "Good"
    assert both.get("cy") == "Da"
    assert both.get("cy-GB") == "Da"
    assert both.get() == "Good"
    assert both.get("fr") == "Good"
    assert str(both) == "Good"


def test_text_may_be_a_plain_string_or_a_mapping(framework: Framework) -> None:
    assert framework.scale.level("good").meaning == Text(en="The board does its job well and can show it.")
    assert framework.domain("outcomes").title.cy == "Gwella canlyniadau diogelu i blant"


def test_untranslated_texts_are_listed_with_their_lines(framework: Framework) -> None:
    warnings = framework.untranslated()

    assert f"{VALID}:{line_of('- id: strategy') + 1}: 'title' of domain 'strategy' has no Welsh text" in warnings
    assert f"{VALID}:{line_of('- id: outcomes.1') + 1}: 'title' of benchmark 'outcomes.1' has no Welsh text" in warnings
    assert not any("'title' of domain 'outcomes'" in warning for warning in warnings)  # it has cy
    assert not any("'label' of level" in warning for warning in warnings)
    for warning in warnings:
        assert re.match(rf"^{re.escape(str(VALID))}:\d+: .+ has no Welsh text$", warning), warning
    lines = [int(warning.split(":")[1]) for warning in warnings]
    assert lines == sorted(lines)


# --- Versions and re-parsing -------------------------------------------------------------------


def test_content_hash_is_the_sha256_of_the_file(framework: Framework) -> None:
    assert framework.content_hash == hashlib.sha256(VALID.read_bytes()).hexdigest()
    assert framework.source_text == VALID.read_text()


def test_content_hash_changes_when_one_byte_changes(framework: Framework) -> None:
    changed = framework.source_text.replace("Nothing in place for audits.", "Nothing in place for audits!")

    assert parse_framework(changed, "changed.yaml").content_hash != framework.content_hash


def test_stored_source_text_reproduces_the_same_framework(framework: Framework) -> None:
    again = parse_framework(framework.source_text, "framework version test.1")

    assert again == framework
    assert again.content_hash == framework.content_hash
    assert again.model_dump() == framework.model_dump()
    assert again.untranslated()[0].startswith("framework version test.1:")


# --- The real framework file ------------------------------------------------------------------


def test_the_real_framework_file_is_complete() -> None:
    real = load_framework(REAL)

    assert tuple(domain.id for domain in real.domains) == DOMAIN_IDS
    assert real.scale.ids == LEVEL_IDS
    for domain in real.domains:
        assert len(domain.benchmarks) >= 6, domain.id
        for benchmark in domain.benchmarks:
            assert benchmark.id.startswith(f"{domain.id}."), benchmark.id
            assert tuple(benchmark.descriptors) == LEVEL_IDS, benchmark.id
            assert len({text.en for text in benchmark.descriptors.values()}) == 4, benchmark.id
    assert len({benchmark.id for benchmark in real.benchmarks}) == len(real.benchmarks)
