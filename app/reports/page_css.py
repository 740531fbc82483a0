"""The words in the report's page margins, as CSS in the report's language.

WeasyPrint draws the running header and "Page 3 of 12" from ``@page``
rules. Their words cannot live in ``report.css`` (a static file, the same
for every language, and not read by the catalogue's extraction), so the
report template puts these rules in a ``<style>`` of the PDF's HTML, worded
by :func:`margin_css` while the report's language is forced. The print
stylesheet keeps the look of the margin boxes; the cover stays bare.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from markupsafe import Markup

__all__ = ["css_content", "css_string", "margin_css"]

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Kept as typed inside a CSS string; anything else is written as a CSS escape,
# so no text can end the string, the rule or the <style> element.
PLAIN = re.compile(r"[^\\\"'<>&\x00-\x1f\x7f]")


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string."""
    return '"' + "".join(ch if PLAIN.fullmatch(ch) else f"\\{ord(ch):x} " for ch in text) + '"'


def css_content(message: str, **expressions: str) -> str:
    """A CSS ``content`` value from a translated message whose ``%(name)s`` placeholders stand for CSS expressions.

    ``css_content("Page %(page)s of %(pages)s", page="counter(page)", pages="counter(pages)")``
    gives ``"Page " counter(page) " of " counter(pages)``, so a translation may
    put the numbers wherever its language needs them.
    """
    parts = PLACEHOLDER.split(message)
    values = [expressions[part] if n % 2 else css_string(part) for n, part in enumerate(parts) if n % 2 or part]
    return " ".join(values) or '""'


def margin_css(*, draft: bool = False) -> Markup:
    """The ``@page`` margin words in the current (forced) language, for the PDF's ``<style>``.

    A ``draft`` (a report the board has not approved) says so at the foot of every page, the cover included.
    """
    draft_rule = ""
    if draft:
        words = css_content(_("Draft: not yet approved by the board"))
        draft_rule = f"@page {{ @bottom-center {{ content: {words}; font-size: 8pt; font-weight: bold; }} }} "
    title = css_content(_("Self-evaluation report"))
    # string(produced) is the date on the cover, already in the report's language.
    produced = css_content(_("Produced %(date)s"), date="string(produced)")
    page = css_content(_("Page %(page)s of %(pages)s"), page="counter(page)", pages="counter(pages)")
    return Markup(
        "@page { "
        + f"@top-right {{ content: {title}; }} "
        + f"@bottom-left {{ content: {produced}; }} "
        + f"@bottom-right {{ content: {page}; }} "
        + "} "
        # The cover has no running header or page number.
        + "@page :first { @top-right { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } } "
        + draft_rule
    )
