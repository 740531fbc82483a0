"""The report's chart: each domain's self-assessed and agreed score against the target (and the inspection).

Drawn with pygal (see ``app/core/charts.py`` for the shared style). A printed
report is often photocopied in black and white, so every series has its own
fill pattern as well as its own colour, every bar carries its value, and the
legend names the patterns. The SVG goes into the report as a ``data:`` URL:
WeasyPrint's fetcher accepts those and nothing from outside the app.

The legend is worded in the report's language, from the app's catalogue
(:mod:`app.core.catalogue`); the domain titles and level labels come in the
``ChartData`` already in that language.
"""

from __future__ import annotations

import base64
import textwrap
from xml.etree import ElementTree

import pygal
from pygal.style import Style

from app.core.catalogue import translations
from app.core.charts import STYLE, SVG_NAMESPACE, without_scripts
from app.core.report_content import ChartData

__all__ = ["chart_data_url", "report_chart_svg"]

# Diagonal hatching, solid black, dots, and white: tell apart on a grey photocopy.
PATTERNS = (
    '<pattern id="members" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="7" height="7" fill="#ffffff"/><rect width="3" height="7" fill="#1d70b8"/></pattern>',
    '<pattern id="inspection" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.6" fill="#0b0c0c"/></pattern>',
)
FILLS = {"members": "url(#members)", "agreed": "#0b0c0c", "inspection": "url(#inspection)", "target": "#ffffff"}
# pygal outlines a bar in its own fill colour; an outline in black keeps the
# white target bar and the patterned ones visible, and the target is dashed.
EXTRA_CSS = (
    ".plot .bar rect{stroke:#0b0c0c;stroke-width:1}"
    ".plot .series.serie-{target} .bar rect{stroke-dasharray:4,2;stroke-width:1.5}"
    ".legends .legend rect{stroke:#0b0c0c !important;stroke-width:1}"
    # Values just after the end of each bar, not across it.
    ".text-overlay text.value{text-anchor:start}"
)


def report_chart_svg(chart: ChartData, *, lang: str = "en", width: int = 760, height: int = 600) -> str:
    """The chart as SVG text (no XML declaration, no scripts), its legend in ``lang``."""
    _ = translations(lang).gettext
    series = [(_("Members’ medians"), "members", chart.members), (_("Agreed ratings"), "agreed", chart.agreed)]
    if chart.inspection is not None:
        series.append((_("Inspection"), "inspection", chart.inspection))
    series.append((_("Target"), "target", (chart.target,) * len(chart.categories)))
    style = Style(**{**STYLE.to_dict(), "colors": tuple(FILLS[key] for _name, key, _values in series), "value_colors": ("#0b0c0c",) * len(series)})
    lowest = chart.levels[0][1]
    highest = chart.levels[-1][1]
    plot = pygal.HorizontalBar(
        style=style,
        js=[],
        defs=list(PATTERNS),
        disable_xml_declaration=True,
        width=width,
        height=height,
        range=(lowest - 1, highest),
        zero=lowest - 1,
        y_labels=[{"label": label, "value": score} for label, score in chart.levels],
        show_y_guides=True,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        legend_box_size=14,
        print_values=True,
        print_values_position="top",
        value_formatter=lambda value: f"{value:.1f}",
        truncate_label=-1,
        truncate_legend=-1,
        margin_right=30,
        spacing=8,
        tooltip_border_radius=0,
    )
    # pygal draws the first category at the bottom; reverse so the chart reads top down.
    # It sizes its left margin to the longest label, so it is given the longest
    # line of each wrapped domain title, and the whole title is put back after.
    wrapped = {_longest_line(title): title for title in chart.categories}
    plot.x_labels = [_longest_line(title) for title in reversed(chart.categories)]
    for name, _key, values in series:
        plot.add(name, [None if value is None else float(value) for value in reversed(values)])
    tree = without_scripts(plot.render_tree())
    _wrap_category_labels(tree, wrapped)
    _add_css(tree, EXTRA_CSS.replace("{target}", str(len(series) - 1)))
    ElementTree.register_namespace("", SVG_NAMESPACE)
    return ElementTree.tostring(tree, encoding="unicode")


LABEL_WIDTH = 24  # characters per line of a domain title


def _longest_line(title: str) -> str:
    return max(textwrap.wrap(title, LABEL_WIDTH) or [title], key=len)


def _wrap_category_labels(tree: ElementTree.Element, titles: dict[str, str]) -> None:
    """Replace each category label with its title on several lines, centred on the bars."""
    for text in tree.iter("text"):
        title = titles.get(text.text or "")
        if title is None:
            continue
        lines = textwrap.wrap(title, LABEL_WIDTH)
        text.text = None
        for n, line in enumerate(lines):
            span = ElementTree.SubElement(text, "tspan")
            span.set("x", text.get("x", "0"))
            span.set("dy", f"{-0.6 * (len(lines) - 1):.1f}em" if n == 0 else "1.2em")
            span.text = line


def _add_css(tree: ElementTree.Element, css: str) -> None:
    # pygal builds its tree with plain tag names and a literal xmlns attribute; so must we.
    defs = tree.find("defs")
    style = ElementTree.SubElement(tree if defs is None else defs, "style")
    style.set("type", "text/css")
    style.text = css


def chart_data_url(chart: ChartData, lang: str = "en") -> str:
    """The chart as a ``data:image/svg+xml`` URL for an ``<img>`` in the report, its legend in ``lang``."""
    svg = report_chart_svg(chart, lang=lang)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
