"""compare_frameworks: what a policy lead (and a round on another version) needs to know changed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.core.framework import Framework, load_framework, parse_framework
from app.core.framework_diff import compare_frameworks

REPO = Path(__file__).resolve().parents[3]
PAST = load_framework(REPO / "frameworks" / "sait_domains-2026.1.yaml")
SHIPPED = load_framework(REPO / "sait_domains.yaml")
MINIMAL = yaml.safe_load((REPO / "tests" / "fixtures" / "framework" / "valid_minimal.yaml").read_text(encoding="utf-8"))


def framework(version: str, edit=None) -> Framework:
    """The minimal test framework as ``version``, after ``edit(document)``."""
    document: dict[str, Any] = copy.deepcopy(MINIMAL)
    document["version"] = version
    if edit:
        edit(document)
    return parse_framework(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), f"{version}.yaml")


def benchmark(document: dict[str, Any], benchmark_id: str) -> dict[str, Any]:
    return next(b for d in document["domains"] for b in d["benchmarks"] if b["id"] == benchmark_id)


def domain(document: dict[str, Any], domain_id: str) -> dict[str, Any]:
    return next(d for d in document["domains"] if d["id"] == domain_id)


def test_the_same_content_under_a_new_version_differs_in_nothing_but_the_name() -> None:
    diff = compare_frameworks(framework("a"), framework("b"))

    assert diff.is_empty
    assert diff.versions_differ
    assert (diff.old_version, diff.new_version) == ("a", "b")


def test_a_benchmark_only_in_the_newer_file_is_added_and_one_only_in_the_older_is_retired() -> None:
    def edit(document: dict[str, Any]) -> None:
        outputs = domain(document, "outputs")["benchmarks"]
        retired = next(b for b in outputs if b["id"] == "outputs.2")
        outputs.remove(retired)
        added = copy.deepcopy(retired)
        added.update(id="outputs.7", title="Private fostering", question="Does the board know how many children are privately fostered?")
        added["descriptors"] = {level: f"{text} (private fostering)" for level, text in added["descriptors"].items()}
        outputs.append(added)
        outputs.append({**copy.deepcopy(added), "id": "outputs.8", "title": "Return interviews",
                        "descriptors": {level: f"{text} (returns)" for level, text in added["descriptors"].items()}})

    diff = compare_frameworks(framework("2026.1"), framework("2026.2", edit))

    assert diff.benchmarks_added == ("outputs.7", "outputs.8")
    assert diff.benchmarks_retired == ("outputs.2",)
    assert diff.benchmarks_changed == ()
    assert diff.moved == ()
    assert not diff.is_empty


def test_each_changed_part_of_a_benchmark_is_named() -> None:
    def edit(document: dict[str, Any]) -> None:
        b = benchmark(document, "governance.2")
        b["question"] = "A new question?"
        b["descriptors"]["good"] = "Reworded good descriptor."
        b["weight"] = 3
        b["key"] = True
        benchmark(document, "capacity.1")["multi_agency"] = True
        benchmark(document, "capacity.2")["title"] = {"en": benchmark(document, "capacity.2")["title"], "cy": "Teitl newydd"}

    diff = compare_frameworks(framework("old"), framework("new", edit))

    governance = diff.changed("governance.2")
    assert governance is not None
    assert governance.parts == ("question", "descriptors", "weight", "key")
    assert governance.descriptor_levels == ("good",)
    assert dict(governance.before) == {"weight": "1", "key": "no"}
    assert dict(governance.after) == {"weight": "3", "key": "yes"}
    assert diff.changed("capacity.1").parts == ("multi_agency",)
    assert diff.changed("capacity.2").parts == ("title (Welsh only)",)
    assert [change.id for change in diff.benchmarks_changed] == ["governance.2", "capacity.1", "capacity.2"]
    assert diff.changed("outcomes.1") is None
    assert diff.benchmarks_added == diff.benchmarks_retired == ()


def test_a_benchmark_given_a_new_id_in_another_domain_is_retired_and_added_and_said_to_have_moved() -> None:
    def edit(document: dict[str, Any]) -> None:
        outputs = domain(document, "outputs")["benchmarks"]
        moving = next(b for b in outputs if b["id"] == "outputs.6")
        outputs.remove(moving)
        domain(document, "outputs")["benchmarks"].append({**copy.deepcopy(benchmark(document, "outputs.1")), "id": "outputs.9",
                                                          "title": "Something else", "descriptors": {
                                                              level: f"{text} (else)" for level, text in moving["descriptors"].items()}})
        domain(document, "governance")["benchmarks"].append({**moving, "id": "governance.7"})

    diff = compare_frameworks(framework("old"), framework("new", edit))

    assert diff.benchmarks_retired == ("outputs.6",)
    assert diff.benchmarks_added == ("governance.7", "outputs.9")
    assert [(m.retired_id, m.added_id) for m in diff.moved] == [("outputs.6", "governance.7")]


def test_domain_and_rule_changes_are_listed_with_the_old_and_new_values() -> None:
    def edit(document: dict[str, Any]) -> None:
        domain(document, "capacity")["weight"] = 2
        document["rules"]["ties"] = "lower"
        document["rules"]["disagreement_spread"] = 3
        document["rules"]["limits"].pop()

    diff = compare_frameworks(framework("old"), framework("new", edit))

    assert [(c.id, c.parts) for c in diff.domains_changed] == [("capacity", ("weight",))]
    rules = {change.name: (change.before, change.after) for change in diff.rules_changed}
    assert rules == {
        "rules.limits": ("2 rules", "1 rule"),
        "rules.disagreement_spread": ("2", "3"),
        "rules.ties": ("upper", "lower"),
    }
    assert diff.domains_added == diff.domains_retired == ()


def test_2026_1_to_the_shipped_file_keeps_every_id_it_can_and_names_the_new_rules() -> None:
    diff = compare_frameworks(PAST, SHIPPED)

    past_ids = {b.id for b in PAST.benchmarks}
    shipped_ids = {b.id for b in SHIPPED.benchmarks}
    assert set(diff.benchmarks_added) == shipped_ids - past_ids
    assert set(diff.benchmarks_retired) == past_ids - shipped_ids
    assert {c.id for c in diff.benchmarks_changed} <= past_ids & shipped_ids
    # 2026.2 marks key benchmarks (2026.1 had no such mark): outcomes.1 is one in both drafts of 2026.2.
    assert "key" in diff.changed("outcomes.1").parts
    rules = {change.name: (change.before, change.after) for change in diff.rules_changed}
    assert rules["rules.ties"] == ("upper", "lower")
    assert rules["rules.floors"][0] == "none"
    assert (diff.old_version, diff.new_version) == ("2026.1", "2026.2")


@pytest.mark.parametrize("pair", [(PAST, PAST), (SHIPPED, SHIPPED)], ids=["2026.1", "shipped"])
def test_a_file_compared_with_itself_differs_in_nothing(pair: tuple[Framework, Framework]) -> None:
    diff = compare_frameworks(*pair)

    assert diff.is_empty
    assert not diff.versions_differ
