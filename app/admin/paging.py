"""The GOV.UK pagination component's parameters for a page of a long list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from flask_babel import gettext as _
from markupsafe import Markup


class Pagination(Protocol):
    """What the component needs of a page of results (app.data's paginated queries give this)."""

    @property
    def page(self) -> int: ...  # this page's number, from 1

    @property
    def pages(self) -> int: ...  # how many pages there are


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything odd means page 1."""
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def pagination(page: Pagination, href: Callable[[int], str]) -> dict | None:
    """Parameters for govukPagination: previous, next and nearby page numbers, worded in the page's language."""
    if page.pages <= 1:
        return None
    shown = sorted({1, page.pages, page.page - 1, page.page, page.page + 1} & set(range(1, page.pages + 1)))
    items: list[dict[str, object]] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append(
            {"number": number, "href": href(number), "current": number == page.page, "visuallyHiddenText": _("Page %(number)s", number=number)}
        )
        previous = number
    params: dict = {"items": items, "landmarkLabel": _("Pagination")}
    if page.page > 1:
        params["previous"] = {"href": href(page.page - 1), "html": _link_text(_("Previous"), _("page"))}
    if page.page < page.pages:
        params["next"] = {"href": href(page.page + 1), "html": _link_text(_("Next"), _("page"))}
    return params


def _link_text(shown: str, hidden: str) -> Markup:
    # As GOV.UK's own: "Next" on screen, "Next page" for a screen reader.
    return Markup('{}<span class="govuk-visually-hidden"> {}</span>').format(shown, hidden)
