"""Uploaded JSON that would break or exhaust the reader is refused with its line (issue 12, defect 9).

A 5,000-digit number in a findings or assessment file gave a traceback
(Python refuses to turn 4,300 or more digits into an int, naming no line),
and deep nesting was caught only as a RecursionError after the stack was
spent. The hostile cases run in a child process capped at 1 GB of address
space and 20 s, so a regression fails the test instead of taking the machine
down; each must finish quickly and use only a few MB beyond the text itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.json_source import MAX_DEPTH, MAX_NUMBER_DIGITS, JsonShapeError, read_json

REPO = Path(__file__).parents[3]
FINDINGS = REPO / "tests" / "fixtures" / "findings"


def _refusal(text: str) -> JsonShapeError:
    with pytest.raises(JsonShapeError) as caught:
        read_json(text)
    return caught.value


def test_the_limits_are_those_of_framework_yaml():
    assert (MAX_NUMBER_DIGITS, MAX_DEPTH) == (18, 64)


def test_good_files_read_as_json_reads_them():
    for path in (FINDINGS / "good.json", FINDINGS / "bad_rows.json"):
        text = path.read_text(encoding="utf-8")
        assert read_json(text) == json.loads(text)
    text = '{"a": [1, -2, 0.5, 1.5e-3, -2E+10, true, false, null, "x\\n\\"y\\" \\u00e9 \\ud83d\\ude00"], "b": {}}'
    assert read_json(text) == json.loads(text)


def test_a_5000_digit_integer_is_refused_at_its_line():
    error = _refusal('{\n  "inspected_on": "2026-03-14",\n  "domains": ' + "9" * 5000 + "\n}")
    assert (error.line, error.column, error.reason) == (3, 14, "long_number")
    assert error.message == "the number 999999999999... is too long (5,000 characters; at most 18 digits)"


@pytest.mark.parametrize("sign", ["", "-"])
def test_18_digits_are_read_and_19_refused(sign):
    assert read_json(f"[{sign}{'9' * 18}]") == [int(f"{sign}{'9' * 18}")]
    error = _refusal(f"[1,\n {sign}{'9' * 19}]")
    assert (error.line, error.column, error.reason) == (2, 2, "long_number")


def test_the_line_is_that_of_the_number_not_of_the_same_digits_in_a_string():
    digits = "1" * 30
    error = _refusal(f'{{"reference": "{digits}",\n "n": {digits}}}')
    assert (error.line, error.column) == (2, 7)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("0." + "1" * 18, "long_number"),
        ("1" * 10 + "." + "1" * 10 + "e5", "long_number"),
        ("1e309", "large_number"),
        ("-1.5E+400", "large_number"),
        ("1e-1000", "large_number"),
        ("1e" + "9" * 5000, "large_number"),
        ("NaN", "constant"),
        ("Infinity", "constant"),
        ("-Infinity", "constant"),
    ],
)
def test_decimals_too_long_or_too_large_and_nan_are_refused(token, reason):
    error = _refusal(f'{{"a": 1,\n  "b": [2, {token}]}}')
    assert (error.line, error.column, error.reason, error.token) == (2, 12, reason, token)


def test_ordinary_decimals_are_read():
    assert read_json("[0.30000000000000004, 1e-999, 1e308, -0.0]") == [0.30000000000000004, 0.0, 1e308, -0.0]


@pytest.mark.parametrize(("opening", "inmost", "closing"), [("[", "", "]"), ('{"a":', "1", "}")])
def test_64_levels_are_read_and_65_refused_at_the_line_of_the_65th(opening, inmost, closing):
    assert json.dumps(read_json(opening * 64 + inmost + closing * 64)).count(opening[0]) == 64
    error = _refusal(f"{opening}\n" * 65 + inmost + closing * 65)
    assert (error.line, error.column, error.reason) == (65, 1, "depth")
    assert error.message == "lists and objects are nested too deeply (more than 64 levels)"


def test_brackets_inside_strings_do_not_count():
    assert read_json('["' + "[{" * 500 + '"]') == ["[{" * 500]
    # An escaped quote does not end the string; an escaped backslash before the closing quote does.
    assert read_json('["\\"' + "[" * 500 + '", "\\\\", []]') == ['"' + "[" * 500, "\\", []]
    error = _refusal('["\\\\", ' + "[" * 70)
    assert (error.line, error.column, error.reason) == (1, 71, "depth")


@pytest.mark.parametrize(
    ("text", "column", "token"),
    [('["a\\ud800"]', 4, "\\ud800"), ('["\\udc00x"]', 3, "\\udc00"), ('["\\ud800\\ud800\\udc00"]', 3, "\\ud800"), ('["\ud800"]', 3, "U+D800")],
)
def test_half_a_surrogate_pair_is_refused(text, column, token):
    error = _refusal(text)
    assert (error.line, error.column, error.reason, error.token) == (1, column, "surrogate", token)


def test_whole_pairs_and_escaped_backslashes_are_read():
    assert read_json('["\\ud83d\\ude00", "\\\\ud800", "\\u005cud800"]') == ["\U0001f600", "\\ud800", "\\ud800"]


@pytest.mark.parametrize("text", ['{"a": 1,}', "[1 2]", '{"a": "b', "", "[" * 64])
def test_invalid_json_is_reported_as_json_reports_it(text):
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as caught:
        read_json(text)
    assert (caught.value.lineno, caught.value.colno, caught.value.msg) == (expected.value.lineno, expected.value.colno, expected.value.msg)


# --- Hostile files of 1 MB -------------------------------------------------------------

CHILD = """
import json, resource, sys, time, tracemalloc
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from app.core.json_source import JsonShapeError, read_json
text = open(sys.argv[1], encoding="utf-8").read()

def outcome():
    try:
        read_json(text)
    except JsonShapeError as error:
        return f"{error.line}:{error.column}: {error.reason}"
    return "read"

start = time.perf_counter()
first = outcome()
seconds = time.perf_counter() - start
tracemalloc.start()
assert outcome() == first
peak = tracemalloc.get_traced_memory()[1]
print(first, f"{seconds:.3f}", peak // 1_000_000)
"""

MB = 1_000_000
HOSTILE = {
    "digits": ('{"a":\n' + "9" * MB + "}", "2:1: long_number"),
    "exponent": ("[1e" + "9" * MB + "]", "1:2: large_number"),
    "opening brackets": ("[" * MB, "1:65: depth"),
    "brackets in a string, then deep": ('["' + "[" * (MB // 2) + '",\n' + "[" * 100 + "]" * 100 + "]", "2:64: depth"),
    "strings, then a long number": ("[" + '"",' * (MB // 4) + "\n" + "9" * 30 + "]", "2:1: long_number"),
    "escaped backslashes, then half a pair": ('["' + "\\\\" * (MB // 2) + '\\ud800"]', f"1:{MB + 3}: surrogate"),
    "whole pairs, then half a pair": ('["' + "\\ud83d\\ude00" * (MB // 12) + '\\udc00"]', f"1:{MB // 12 * 12 + 3}: surrogate"),
    "many small numbers": ("[" + "1," * (MB // 2) + "1]", "read"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_megabyte_is_refused_quickly_in_little_memory(tmp_path, name):
    text, expected = HOSTILE[name]
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], check=False, capture_output=True, text=True, timeout=20, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    outcome, seconds, peak_mb = done.stdout.rsplit(" ", 2)
    assert outcome == expected
    # Typically well under 0.5 s; the bound leaves room for a busy test machine.
    assert float(seconds) < 3, seconds
    # The memory the reader allocates beyond the text (the list of small numbers is about 4 MB).
    assert int(peak_mb) < 8, f"{peak_mb} MB"
