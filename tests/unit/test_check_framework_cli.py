"""`sait check-framework`: what an administrator sees when checking a framework file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo

from app.cli.framework import check_framework
from app.core.framework import load_framework

FIXTURES = Path(__file__).parents[1] / "fixtures" / "framework"
VALID = FIXTURES / "valid_minimal.yaml"
BROKEN = sorted(path for path in FIXTURES.glob("*.yaml") if path != VALID)


def run(*args: str, obj: object = None) -> Result:
    return CliRunner().invoke(check_framework, list(args), obj=obj)


def test_a_valid_file_is_summarised_and_passes() -> None:
    result = run(str(VALID))

    assert result.exit_code == 0
    assert result.stdout == f"{VALID} (version test.1): 5 domains, 30 benchmarks, 4 levels: OK\n"


def test_a_file_english_only_on_purpose_passes_and_counts_the_texts_without_welsh() -> None:
    untranslated = len(load_framework(VALID).untranslated())

    result = run(str(VALID))

    assert result.exit_code == 0
    assert result.stderr == (
        f"English only: {untranslated} texts have no Welsh translation (run with --list-untranslated to see them)\n"
    )


def test_a_text_without_welsh_is_refused_with_its_line(tmp_path: Path) -> None:
    bilingual = tmp_path / "framework.yaml"
    bilingual.write_text(VALID.read_text().replace("english_only: true\n", ""))
    source = bilingual.read_text().splitlines()
    question_line = next(n for n, line in enumerate(source, 1) if line.strip().startswith("question:"))

    result = run(str(bilingual))

    assert result.exit_code == 1
    assert "OK" not in result.stdout
    problems = result.stderr.splitlines()
    assert f"{bilingual}:{question_line}: 'question' of benchmark 'outcomes.1' has no Welsh text" in problems
    assert len(problems) == len(load_framework(bilingual).untranslated()) + 1
    assert "english_only: true" in problems[-1]


@pytest.mark.parametrize("name", ["sait_domains.yaml", "frameworks/sait_domains-2026.1.yaml"])
def test_the_shipped_frameworks_have_welsh_for_every_text(name: str) -> None:
    path = Path(__file__).parents[2] / name

    result = run(str(path))

    assert result.exit_code == 0, result.stderr
    assert result.stderr == "" and load_framework(path).english_only is False


def test_list_untranslated_prints_each_text_as_a_warning() -> None:
    expected = [f"warning: {warning}" for warning in load_framework(VALID).untranslated()]

    result = run(str(VALID), "--list-untranslated")

    assert result.exit_code == 0
    assert result.stderr.splitlines() == expected
    assert f"warning: {VALID}:" in result.stderr
    assert "has no Welsh text" in result.stderr


@pytest.mark.parametrize("path", BROKEN, ids=lambda path: path.stem)
def test_a_broken_file_fails_with_located_messages_and_no_traceback(path: Path) -> None:
    line = int(re.match(rb"# expect: (\d+):", path.read_bytes())[1])

    result = run(str(path))

    assert result.exit_code == 1
    assert result.stdout == ""
    messages = result.stderr.splitlines()
    assert messages
    assert messages[0].startswith(f"{path}:{line}: ")
    for message in messages:
        assert re.match(rf"^{re.escape(str(path))}:\d+: \S", message), message
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_every_problem_is_printed_one_per_line(tmp_path: Path) -> None:
    path = tmp_path / "two_problems.yaml"
    path.write_text(
        VALID.read_text()
        .replace("target_level: good", "target_level: best")
        .replace("disagreement_spread: 2", "disagreement_spread: 0")
    )

    result = run(str(path))

    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 2
    assert "'target_level' names unknown level 'best'" in result.stderr
    assert "'rules.disagreement_spread' must be at least 1, not the number 0" in result.stderr


def test_a_missing_file_fails_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "sait_domains.yaml"

    result = run(str(path))

    assert result.exit_code == 1
    assert result.stderr == f"{path}: file not found\n"


def make_app(**config: object) -> Flask:
    app = Flask("check_framework_test")
    app.config.update(config)
    return app


def test_without_a_path_it_checks_the_configured_file() -> None:
    app = make_app(SAIT_FRAMEWORK_PATH=str(VALID))

    result = run(obj=ScriptInfo(create_app=lambda: app))

    assert result.exit_code == 0
    assert result.stdout.startswith(f"{VALID} (version test.1): ")


def test_inside_an_app_context_it_uses_that_app() -> None:
    app = make_app(SAIT_FRAMEWORK_PATH=str(VALID))

    with app.app_context():
        result = run()

    assert result.exit_code == 0
    assert "5 domains, 30 benchmarks, 4 levels: OK" in result.stdout


def test_without_a_path_or_a_configured_one_it_says_what_to_do() -> None:
    app = make_app()

    result = run(obj=ScriptInfo(create_app=lambda: app))

    assert result.exit_code == 2
    assert "SAIT_FRAMEWORK_PATH is not configured; give the file's PATH instead." in result.stderr
    assert "Traceback" not in result.output


PAST = Path(__file__).parents[2] / "frameworks" / "sait_domains-2026.1.yaml"
SHIPPED = Path(__file__).parents[2] / "sait_domains.yaml"


def write_variant(tmp_path: Path, name: str, version: str, *replacements: tuple[str, str]) -> Path:
    """The minimal framework under another version, with some texts replaced."""
    text = VALID.read_text(encoding="utf-8").replace('version: "test.1"', f'version: "{version}"')
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_diff_lists_added_changed_and_retired_benchmarks_with_their_titles(tmp_path: Path) -> None:
    new = write_variant(
        tmp_path,
        "new.yaml",
        "test.2",
        ("- id: outputs.6\n        title: Section 28 audits", "- id: outputs.7\n        title: Schools' safeguarding audits"),
        ("How well does the board measure outcomes for children?", "How well does the board measure what changes for children?"),
        ("  moderation_above_median: 1", "  moderation_above_median: 1\n  ties: lower"),
    )

    result = run("--diff", str(VALID), str(new))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"From {VALID} (version test.1) to {new} (version test.2)"
    assert lines[lines.index("Benchmarks added (1):") + 1] == "  outputs.7 Schools' safeguarding audits"
    assert lines[lines.index("Benchmarks retired (1):") + 1] == "  outputs.6 Section 28 audits"
    assert lines[lines.index("Benchmarks changed (1):") + 1] == "  outcomes.1 Outcome measures: question"
    assert lines[lines.index("Rules changed (1):") + 1] == "  rules.ties: was upper, now lower"


def test_diff_says_which_marks_and_weights_changed(tmp_path: Path) -> None:
    new = write_variant(
        tmp_path,
        "new.yaml",
        "test.2",
        ("      - id: outcomes.1\n        title: Outcome measures\n", "      - id: outcomes.1\n        title: Outcome measures\n        key: true\n"),
        ("      - id: outcomes.2\n", "      - id: outcomes.2\n        multi_agency: true\n        weight: 2\n"),
    )

    result = run("--diff", str(VALID), str(new))

    assert result.exit_code == 0, result.output
    assert "  outcomes.1 Outcome measures: now a key benchmark" in result.stdout.splitlines()
    assert "  outcomes.2 Children's voice: weight (was 1, now 2), now marked multi-agency" in result.stdout.splitlines()
    assert "Benchmarks added: none" in result.stdout
    assert "Benchmarks retired: none" in result.stdout


def test_diff_of_a_file_with_itself_says_nothing_differs() -> None:
    result = run("--diff", str(VALID), str(VALID))

    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "No benchmarks, domains or rules differ."


def test_diff_checks_both_files_and_prints_every_problem_of_each(tmp_path: Path) -> None:
    broken_old = write_variant(tmp_path, "old.yaml", "test.0", ("target_level: good", "target_level: best"))
    broken_new = write_variant(tmp_path, "new.yaml", "test.2", ("disagreement_spread: 2", "disagreement_spread: 0"))

    result = run("--diff", str(broken_old), str(broken_new))

    assert result.exit_code == 1
    assert result.stdout == ""
    messages = result.stderr.splitlines()
    assert len(messages) == 2
    assert re.match(rf"^{re.escape(str(broken_old))}:\d+: 'target_level' names unknown level 'best'", messages[0])
    assert re.match(rf"^{re.escape(str(broken_new))}:\d+: 'rules.disagreement_spread' must be at least 1", messages[1])
    assert "Traceback" not in result.output


def test_diff_with_a_missing_file_names_it(tmp_path: Path) -> None:
    result = run("--diff", str(tmp_path / "gone.yaml"), str(VALID))

    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'gone.yaml'}: file not found\n"


def test_diff_and_a_path_together_are_refused() -> None:
    result = run(str(VALID), "--diff", str(VALID), str(VALID))

    assert result.exit_code == 2
    assert "Give either PATH or --diff OLD NEW, not both." in result.stderr


def test_diff_of_2026_1_and_the_shipped_file_lists_every_benchmark_whose_id_is_only_in_one() -> None:
    old, new = load_framework(PAST), load_framework(SHIPPED)

    result = run("--diff", str(PAST), str(SHIPPED))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"From {PAST} (version 2026.1) to {SHIPPED} (version 2026.2)"
    added = [b for b in new.benchmarks if b.id not in {o.id for o in old.benchmarks}]
    retired = [b for b in old.benchmarks if b.id not in {n.id for n in new.benchmarks}]
    for benchmark in added:
        assert any(line.startswith(f"  {benchmark.id} {benchmark.title.en}") for line in lines), benchmark.id
    for benchmark in retired:
        assert any(line.startswith(f"  {benchmark.id} {benchmark.title.en}") for line in lines), benchmark.id
    assert any(line.startswith("  outcomes.1 ") and "now a key benchmark" in line for line in lines)
    assert "  rules.ties: was upper, now lower" in lines
