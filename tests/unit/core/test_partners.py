"""The partners file: kinds of board, agencies and each nation's partners; a broken file says file:line: what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.partners import PartnersError, load_partners, parse_partners

REAL = Path(__file__).parents[3] / "partners.yaml"
TEXT = REAL.read_text(encoding="utf-8")


def refused(text: str) -> list[str]:
    with pytest.raises(PartnersError) as caught:
        parse_partners(text, "partners.yaml")
    return caught.value.errors


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_the_shipped_file_has_both_nations_with_their_statutory_partners() -> None:
    catalogue = load_partners(REAL)
    wales, england = catalogue.nation("wales"), catalogue.nation("england")
    assert wales is not None and england is not None
    assert [p.agency for p in wales.partners if p.statutory] == ["local_authority", "health_board", "nhs_trust", "police", "probation", "youth_offending"]
    assert [p.agency for p in england.partners if p.statutory] == ["local_authority", "integrated_care_board", "police"]
    regional = catalogue.kind("regional_safeguarding_board")
    assert regional is not None and regional.nations == ("wales",)
    # Every name is in both languages.
    assert all(agency.name.en and agency.name.cy for agency in catalogue.agencies)
    assert catalogue.agency("police").name.get("cy") == "Heddlu"


CASES = {
    "an agency with no code in the app": (
        ("  - id: housing\n", "  - id: housng\n"),
        "housng",
        "agency 'housng' is not one of the agency codes the app stores",
    ),
    "a kind in a nation the file does not list": (
        ("    nations: [wales]\n", "    nations: [scotland]\n"),
        "nations: [scotland]",
        "kind's nation 'scotland' is not a nation in this file",
    ),
    "a nation's partner that is not an agency": (
        ("      - {agency: probation, statutory: true}\n", "      - {agency: probaton, statutory: true}\n"),
        "probaton",
        "partner 'probaton' is not an agency listed under 'agencies'",
    ),
    "a partner listed twice": (
        ("      - {agency: probation, statutory: true}\n", "      - {agency: police, statutory: true}\n"),
        None,
        "partner 'police' is listed twice for this nation; keep one",
    ),
    "a name without Welsh": (
        ("    name: {en: Housing, cy: Tai}\n", "    name: {en: Housing}\n"),
        "name: {en: Housing}",
        "cy",
    ),
    "an unknown key": (
        ("  - id: housing\n", "  - id: housing\n    colour: blue\n"),
        "colour: blue",
        "colour",
    ),
    "a kind listed twice": (
        ("  - id: safeguarding_partnership\n", "  - id: regional_safeguarding_board\n"),
        None,
        "kind 'regional_safeguarding_board' is listed twice",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_broken_variant_is_refused_with_its_line(case: str) -> None:
    (old, new), fragment, message = CASES[case]
    assert old in TEXT, old
    text = TEXT.replace(old, new, 1)
    errors = refused(text)
    assert len(errors) == 1, errors
    assert message in errors[0]
    if fragment is not None:
        assert errors[0].startswith(f"partners.yaml:{line_of(text, fragment)}: "), errors[0]
    else:
        assert errors[0].startswith("partners.yaml:") and errors[0].split(":")[1].isdigit(), errors[0]


def test_a_nation_with_no_statutory_partner_is_refused() -> None:
    england = TEXT[TEXT.index("  - id: england"):]
    text = TEXT.replace(england, england.replace("statutory: true", "statutory: false"))
    [error] = refused(text)
    england_line = line_of(text, "  - id: england")
    partners_line = next(n for n, line in enumerate(text.splitlines(), start=1) if n > england_line and line.strip() == "partners:")
    assert error.startswith(f"partners.yaml:{partners_line}: ")
    assert "a nation's partners must include at least one statutory partner" in error


def test_broken_yaml_and_missing_files_are_reported_not_raised(tmp_path: Path) -> None:
    assert refused("kinds: [\n")[0].startswith("partners.yaml:")
    with pytest.raises(PartnersError) as caught:
        load_partners(tmp_path / "missing.yaml")
    assert str(caught.value) == f"{tmp_path / 'missing.yaml'}: file not found"
