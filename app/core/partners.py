"""The partners file (``partners.yaml``): kinds of board and partner agencies, for Wales and England.

A board has a kind, a nation, the local authorities it covers and its own
partner agencies, some of them statutory (the ones whose missing response is
flagged). This file gives the choices: the kinds of board, every agency a
board can have (with its English and Welsh names) and, per nation, the
partners a new board starts with and which of them are statutory. The file is
checked on load; a broken one is refused with ``file:line: what is wrong``.
Nothing here reads the database or knows about Flask.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from app.core import framework_source as source
from app.core import framework_validation as validation
from app.core.framework import NonBlank
from app.core.vocabulary import AGENCY_IDS

#: A board's kind and nation ids: lower-case words joined by underscores.
ID_PATTERN = r"^[a-z][a-z_]*$"


class PartnersError(Exception):
    """The partners file cannot be used; ``errors`` lists every problem as ``file:line: message``."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors: list[str] = list(errors)
        super().__init__(*self.errors)

    def __str__(self) -> str:
        return "\n".join(self.errors)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Name(_Model):
    """A name in English and Welsh: both are required (every text a person reads exists in Welsh)."""

    en: NonBlank
    cy: NonBlank

    def get(self, lang: str | None = "en") -> str:
        """The name in ``lang`` ("cy", "cy-GB" ...), else English."""
        if lang and lang.replace("_", "-").split("-")[0].lower() == "cy":
            return self.cy
        return self.en

    def __str__(self) -> str:
        return self.en


class Kind(_Model):
    """A kind of board and the nations that have it."""

    id: NonBlank
    name: Name
    nations: tuple[NonBlank, ...]


class Agency(_Model):
    """A partner agency a board member can represent."""

    id: NonBlank
    name: Name


class NationPartner(_Model):
    agency: NonBlank
    statutory: bool


class Nation(_Model):
    """A nation, the law its boards work under, and the partners a new board there starts with."""

    id: NonBlank
    name: Name
    law: Name
    partners: tuple[NationPartner, ...]


class PartnerCatalogue(_Model):
    """The whole file: kinds, agencies and nations, in the file's order."""

    kinds: tuple[Kind, ...]
    agencies: tuple[Agency, ...]
    nations: tuple[Nation, ...]

    def kind(self, kind_id: str) -> Kind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def agency(self, agency_id: str) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def nation(self, nation_id: str) -> Nation | None:
        return next((n for n in self.nations if n.id == nation_id), None)


@dataclass(frozen=True)
class Partner:
    """One of a board's partner agencies and whether it is statutory for that board."""

    agency: str
    statutory: bool


def load_partners(path: str | os.PathLike[str]) -> PartnerCatalogue:
    """Read and check the partners file at ``path``; :class:`PartnersError` (and nothing else) if it cannot be used."""
    name = os.fspath(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise PartnersError([f"{name}: file not found"]) from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PartnersError([f"{name}: cannot read the file ({reason})"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PartnersError([f"{name}:{line}: the file is not valid UTF-8 text (save it with UTF-8 encoding)"]) from None
    return parse_partners(text, name)


def parse_partners(text: str, filename: str) -> PartnerCatalogue:
    """Check partners YAML held in memory; ``filename`` is used in messages."""
    try:
        document, problems = source.read_yaml(text)
    except RecursionError:
        raise PartnersError([f"{filename}:1: the file is nested too deeply to read"]) from None
    if document is None:
        raise PartnersError(source.format_problems(filename, problems))
    catalogue: PartnerCatalogue | None = None
    try:
        catalogue = PartnerCatalogue.model_validate(document.data)
    except ValidationError as exc:
        problems += validation.explain_validation_errors(document, exc.errors(include_url=False), PartnerCatalogue)
    problems += _check_references(document)
    if catalogue is None and not problems:
        problems.append(source.Problem(1, "the file is not a valid partners file"))
    if problems or catalogue is None:
        raise PartnersError(source.format_problems(filename, problems))
    return catalogue


def _items(data: Any, key: str) -> list[tuple[int, dict]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, tuple):
        return []
    return [(n, item) for n, item in enumerate(value) if isinstance(item, dict)]


def _ids(document: source.SourceDocument, key: str, noun: str, problems: list[source.Problem]) -> list[str]:
    """The ids of a top-level list, with a problem for each repeated or badly formed one."""
    seen: dict[str, int] = {}
    for n, item in _items(document.data, key):
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        line = document.line((key, n, "id"))
        if not re.match(ID_PATTERN, item_id):
            problems.append(source.Problem(line, f"{noun} id '{item_id}' must be lower-case letters and underscores"))
        elif item_id in seen:
            problems.append(source.Problem(line, f"{noun} '{item_id}' is listed twice (first on line {seen[item_id]}); keep one"))
        else:
            seen[item_id] = line
    return list(seen)


def _check_references(document: source.SourceDocument) -> list[source.Problem]:
    """Ids unique, every agency a known code, kinds' nations and nations' partners defined, a statutory partner per nation."""
    problems: list[source.Problem] = []
    agencies = _ids(document, "agencies", "agency", problems)
    nations = _ids(document, "nations", "nation", problems)
    _ids(document, "kinds", "kind", problems)
    for n, item in _items(document.data, "agencies"):
        agency_id = item.get("id")
        if isinstance(agency_id, str) and agency_id in agencies and agency_id not in AGENCY_IDS:
            problems.append(
                source.Problem(
                    document.line(("agencies", n, "id")),
                    f"agency '{agency_id}' is not one of the agency codes the app stores{source.suggest(agency_id, AGENCY_IDS, 'codes')} "
                    "(app/core/vocabulary.py AGENCY_IDS)",
                )
            )
    for n, item in _items(document.data, "kinds"):
        listed = item.get("nations")
        for m, nation_id in enumerate(listed if isinstance(listed, tuple) else ()):
            if isinstance(nation_id, str) and nation_id not in nations:
                hint = source.suggest(nation_id, nations, "nations")
                problems.append(source.Problem(document.line(("kinds", n, "nations", m)), f"kind's nation '{nation_id}' is not a nation in this file{hint}"))
    for n, item in _items(document.data, "nations"):
        partners = item.get("partners")
        if not isinstance(partners, tuple):
            continue
        seen: set[str] = set()
        for m, partner in enumerate(partners):
            agency_id = partner.get("agency") if isinstance(partner, dict) else None
            if not isinstance(agency_id, str):
                continue
            line = document.line(("nations", n, "partners", m, "agency"))
            if agency_id not in agencies:
                hint = source.suggest(agency_id, agencies, "agencies")
                problems.append(source.Problem(line, f"partner '{agency_id}' is not an agency listed under 'agencies'{hint}"))
            elif agency_id in seen:
                problems.append(source.Problem(line, f"partner '{agency_id}' is listed twice for this nation; keep one"))
            seen.add(agency_id)
        if partners and not any(isinstance(p, dict) and p.get("statutory") is True for p in partners):
            problems.append(source.Problem(document.line(("nations", n, "partners")), "a nation's partners must include at least one statutory partner"))
    return problems
