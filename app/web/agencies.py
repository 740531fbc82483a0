"""Partner agencies and kinds of board, from partners.yaml, and each board's own partners.

The file (app/core/partners.py) is read once and checked at start-up: a broken
file stops the app with its ``file:line`` messages. A board keeps its own list
of partners, some statutory: the bodies it must hear from, whose missing
response is flagged. A board with no list of its own (made outside the admin
pages) has its nation's partners from the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from flask import Flask
from flask_babel import get_locale
from flask_babel.speaklater import LazyString

from app.config import REPO_ROOT
from app.core import vocabulary
from app.core.partners import Nation, Partner, PartnerCatalogue, PartnersError, load_partners

if TYPE_CHECKING:
    from app.data.models import Board

PARTNERS_PATH = REPO_ROOT / "partners.yaml"


@lru_cache(maxsize=1)
def catalogue() -> PartnerCatalogue:
    """The partners file's kinds, agencies and nations (read once per process)."""
    try:
        return load_partners(PARTNERS_PATH)
    except PartnersError as error:
        raise SystemExit("The partners file is not valid, so the app cannot start:\n" + str(error)) from None


def init_app(app: Flask) -> None:
    """Check the partners file at start-up (SystemExit with ``file:line`` messages if broken)."""
    app.extensions["sait_partners"] = catalogue()


def _lang() -> str | None:
    locale = get_locale()
    return str(locale) if locale else None


@dataclass(frozen=True)
class Agency:
    id: str
    name: LazyString  # in the page's language when shown; agency_name() gives plain text
    statutory: bool  # in the list boards had before they kept their own (Wales)


def agency_name(agency_id: str | None) -> str:
    """The display name of an agency id in the page's language ('' for none, the id itself if unknown)."""
    if not agency_id:
        return ""
    agency = catalogue().agency(agency_id)
    return agency.name.get(_lang()) if agency else agency_id


def kind_name(kind_id: str) -> str:
    """A kind of board's name in the page's language (the id if the file no longer has it)."""
    kind = catalogue().kind(kind_id)
    return kind.name.get(_lang()) if kind else kind_id


def nation_name(nation_id: str) -> str:
    """A nation's name in the page's language (the id if the file no longer has it)."""
    nation = catalogue().nation(nation_id)
    return nation.name.get(_lang()) if nation else nation_id


def _lazy_name(agency_id: str) -> LazyString:
    return LazyString(agency_name, agency_id)


AGENCIES: tuple[Agency, ...] = tuple(
    Agency(agency.id, _lazy_name(agency.id), agency.id in vocabulary.STATUTORY_AGENCY_IDS) for agency in catalogue().agencies
)
AGENCY_BY_ID: dict[str, Agency] = {agency.id: agency for agency in AGENCIES}


class _PartnerRow(Protocol):
    agency: str
    statutory: bool


def nation_partners(nation: Nation | None) -> tuple[Partner, ...]:
    """The partners a new board in ``nation`` starts with (today's Welsh list if the nation is unknown)."""
    if nation is None:
        return tuple(Partner(a, a in vocabulary.STATUTORY_AGENCY_IDS) for a in vocabulary.AGENCY_IDS[:10])
    return tuple(Partner(p.agency, p.statutory) for p in nation.partners)


def partners_of(rows: Sequence[_PartnerRow], nation_id: str) -> tuple[Partner, ...]:
    """A board's partners from its rows, or its nation's list when it has none of its own."""
    if rows:
        return tuple(Partner(row.agency, row.statutory) for row in rows)
    return nation_partners(catalogue().nation(nation_id))


def board_partners(board: Board) -> tuple[Partner, ...]:
    """The board's partner agencies in its order, each marked statutory or not (loads ``board.partners``: one query)."""
    return partners_of(board.partners, board.nation)


def statutory_agencies(board: Board) -> tuple[str, ...]:
    """The agency ids of the board's statutory partners, in the board's order."""
    return tuple(p.agency for p in board_partners(board) if p.statutory)


def agency_choices(board: Board, keep: str | None = None) -> list[tuple[str, str]]:
    """The select's choices for a member of ``board``: its partners (plus ``keep``, an agency a member already has)."""
    ids = [p.agency for p in board_partners(board)]
    if keep and keep not in ids:
        ids.append(keep)
    return [(agency_id, agency_name(agency_id)) for agency_id in ids]
