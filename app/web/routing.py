"""Whole-number ids in web addresses are bounded by what the database can hold.

Every table's id is a 32-bit integer on PostgreSQL (and SQLite refuses numbers
past 64 bits), so an id outside 1..2**31-1 names no row. Werkzeug's `int`
converter would pass 2**63 or 10**30 straight to the database, which fails
there (a 500); this one refuses them while matching the route, so they are
"Page not found" like any other id that does not exist.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

#: The largest id any row can have (PostgreSQL's `integer`).
MAX_ID = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` with ids from 1 to MAX_ID unless a rule asks for other bounds."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Replace the `int` converter before any blueprint adds its rules."""
    app.url_map.converters["int"] = BoundedIntegerConverter
