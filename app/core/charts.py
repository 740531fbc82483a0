"""Charts as SVG text, drawn with pygal on the server (no Flask, no database).

The SVG has no script: pygal always adds an inline config script, which is
removed here, so the chart can be served as an image under the app's CSP or
embedded in a PDF. Bars use a dark and a light fill with a visible outline,
so the chart stays readable when printed in black and white.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

import pygal
from pygal.style import Style

from app.core.framework import Scale

# pygal appends a finder to sys.meta_path so map plugins import as pygal.maps.*
# (unused here). It lacks find_spec, so every later failed import anywhere in
# the process raises an ImportWarning: take it out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

__all__ = ["ChartSeries", "level_bar_chart", "without_scripts"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# GOV.UK blue, dark grey, then lighter tints: distinct in colour and in grey.
PALETTE = ("#1d70b8", "#b1b4b6", "#0b0c0c", "#d4351c")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    opacity="1",
    opacity_hover="1",
    colors=PALETTE,
    font_family='"DejaVu Sans", Arial, sans-serif',
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=14,
    title_font_size=18,
    value_font_size=12,
)


@dataclass(frozen=True)
class ChartSeries:
    """One set of bars: a name for the legend and one score per category (None: no bar)."""

    name: str
    values: Sequence[float | None]


def without_scripts(tree: ElementTree.Element) -> ElementTree.Element:
    """Remove every <script> element from an SVG tree (pygal adds one even with ``js=[]``)."""
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag in ("script", f"{{{SVG_NAMESPACE}}}script"):
                parent.remove(child)
    return tree


def level_bar_chart(
    scale: Scale,
    categories: Sequence[str],
    series: Sequence[ChartSeries],
    *,
    title: str | None = None,
    lang: str = "en",
    width: int = 900,
    height: int = 460,
) -> str:
    """A bar chart of scores on the rating scale, one group of bars per category.

    The vertical axis is labelled with the scale's level names at their scores
    (e.g. "Good" at 3), so a bar's height reads as a level. Returns SVG text
    without an XML declaration or scripts.
    """
    lowest = scale.levels[0].score
    highest = scale.levels[-1].score
    chart = pygal.HorizontalBar(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        width=width,
        height=height,
        title=title,
        range=(lowest - 1, highest),
        zero=lowest - 1,
        y_labels=[{"label": level.label.get(lang), "value": level.score} for level in scale.levels],
        show_y_guides=True,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, len(series)),
        truncate_label=-1,
        truncate_legend=-1,
        x_label_rotation=0,
        margin_right=50,
        stroke_style={"width": 1},
        tooltip_border_radius=0,
        no_prefix=False,
    )
    # pygal draws the first category at the bottom; reverse so the chart reads top down.
    chart.x_labels = list(reversed(categories))
    for one in series:
        chart.add(one.name, [None if value is None else float(value) for value in reversed(one.values)], stroke=True)
    tree = without_scripts(chart.render_tree())
    ElementTree.register_namespace("", SVG_NAMESPACE)
    return ElementTree.tostring(tree, encoding="unicode")
