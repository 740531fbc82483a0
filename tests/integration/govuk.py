"""Reading what a person sees on a GOV.UK page: error summary, banners, tables."""

from __future__ import annotations


def errors(soup) -> list[str]:
    """The messages in the error summary."""
    return [li.get_text(strip=True) for li in soup.select(".govuk-error-summary__list li")]


def banner(soup) -> str:
    """The text of the notification banner ('' if none)."""
    found = soup.select_one(".govuk-notification-banner")
    return found.get_text(" ", strip=True) if found else ""


def table_rows(soup, table_id: str) -> list[list[str]]:
    """The body cells of a table, row by row."""
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in soup.select(f"#{table_id} tbody tr")]
