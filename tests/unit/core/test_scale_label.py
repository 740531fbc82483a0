"""Scale.label: the words for a rating id, as pages, flags and reports show them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.framework import load_framework

REPO = Path(__file__).resolve().parents[3]
SCALE = load_framework(REPO / "sait_domains.yaml").scale


@pytest.mark.parametrize(
    ("rating", "lang", "label"),
    [
        ("good", "en", "Good"),
        ("good", "cy", "Da"),
        ("requires_improvement", "en", "Requires improvement"),
        ("requires_improvement", "cy", "Angen gwella"),
        ("not_known", "en", "Not known"),
        ("not_known", "cy", "Anhysbys"),
        ("not_applicable", "en", "Not applicable"),
        ("not_applicable", "cy", "Amherthnasol"),
    ],
)
def test_label_of_a_rating_in_each_language(rating: str, lang: str, label: str) -> None:
    assert SCALE.label(rating, lang) == label


def test_every_level_is_labelled_as_the_file_says() -> None:
    for level in SCALE.levels:
        assert SCALE.label(level.id, "en") == level.label.en
        assert SCALE.label(level.id, "cy-GB") == level.label.cy


def test_english_is_the_default_language() -> None:
    assert SCALE.label("outstanding") == "Outstanding"


def test_an_id_the_scale_cannot_place_is_shown_as_it_is() -> None:
    """Not passed off as a member's real "Not known"."""
    assert SCALE.label("excellent", "en") == "excellent"
    assert SCALE.label("excellent", "cy") == "excellent"
