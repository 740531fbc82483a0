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


def test_missing_welsh_is_counted_but_does_not_fail() -> None:
    untranslated = len(load_framework(VALID).untranslated())

    result = run(str(VALID))

    assert result.exit_code == 0
    assert result.stderr == (
        f"{untranslated} texts have no Welsh translation (run with --list-untranslated to see them)\n"
    )


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
