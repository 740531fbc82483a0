"""Framework YAML built to exhaust the reader is refused at once, with file:line (issue 12, defects 4 and 9).

A 66 KB "billion laughs" of aliases once cost `check-framework` 272 s and
6.8 GB before it was refused; a 5,000-digit number or deep nesting gave a
traceback. Each case runs in a child process capped at 1 GB of memory and
20 s, so a regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

VALID = Path(__file__).parents[2] / "fixtures" / "framework" / "valid_minimal.yaml"

CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from app.core.framework import FrameworkError, parse_framework
try:
    parse_framework(open(sys.argv[1], encoding="utf-8").read(), "bomb.yaml")
except FrameworkError as error:
    print("\\n".join(error.errors))
    sys.exit(3)
"""


def _laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 "lol"']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    return "\n".join(lines) + f"\nversion: *a{levels - 1}\n"


def _refusal(tmp_path, text: str) -> str:
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=20, cwd=Path(__file__).parents[3])
    assert done.returncode == 3, done.stderr[-2000:]
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout


def test_an_alias_bomb_is_refused_at_the_first_alias(tmp_path):
    assert _refusal(tmp_path, _laughs()).splitlines() == [
        "bomb.yaml:2: the alias '*a0' is not allowed: write the value out in full (a framework file has no anchors or aliases)"
    ]


def test_an_alias_inside_a_valid_framework_is_refused(tmp_path):
    text = VALID.read_text(encoding="utf-8").replace("\n", "\nextra_anchor: &shared x\nextra_alias: *shared\n", 1)
    assert "the alias '*shared' is not allowed" in _refusal(tmp_path, text)


@pytest.mark.parametrize("digits", [19, 5_000])
def test_an_over_long_number_says_where_it_is(tmp_path, digits):
    text = VALID.read_text(encoding="utf-8") + f"huge: {'9' * digits}\n"
    line = text.count("\n")
    out = _refusal(tmp_path, text)
    assert out.startswith(f"bomb.yaml:{line}: the number 999999999999... is too long ({digits:,} characters")


def test_deep_nesting_is_refused(tmp_path):
    out = _refusal(tmp_path, "version: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert out.startswith("bomb.yaml:1: ") and "nested too deeply" in out


def test_quoted_long_numbers_are_text_and_pass_the_shape_check():
    from app.core.framework_source import _shape_problem

    assert _shape_problem(f'reference: "{"9" * 40}"\n') is None
