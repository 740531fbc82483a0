"""Turning the report's HTML into a PDF with WeasyPrint, safely and quickly.

Safety: WeasyPrint fetches whatever a document points at (images, styles,
fonts). :class:`StaticFilesFetcher` lets it have ``data:`` URLs and files
inside the app's static folder, and nothing else: no network, no redirects,
no ``file://`` outside that folder. User text is escaped by the template, so
it never becomes markup to fetch; the fetcher is the second line of defence.

Speed: rendering happens in the app process. The font configuration and the
compiled print stylesheet are made once per process and reused (WeasyPrint's
own advice); a lock keeps one render at a time per process, as the shared
font configuration is not meant for concurrent use.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["RENDER_OPTIONS", "STYLESHEET", "FetchRefused", "StaticFilesFetcher", "html_to_pdf", "template_version"]

#: Where the print stylesheet lives, relative to the static folder.
STYLESHEET = "report/report.css"
#: Tagged PDF/UA-1 (accessible: structure tags, language, title); fonts are always embedded.
RENDER_OPTIONS: dict[str, object] = {"pdf_variant": "pdf/ua-1"}

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "reports"
_CHART_SOURCE = Path(__file__).resolve().parent.parent / "core" / "report_chart.py"
_PAGE_CSS_SOURCE = Path(__file__).resolve().parent / "page_css.py"
_CATALOGUES = Path(__file__).resolve().parent.parent / "translations"
_render_lock = threading.Lock()


class FetchRefused(ValueError):
    """A URL the report may not load. WeasyPrint logs it and leaves the resource out."""


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint fetcher for ``data:`` URLs and files inside ``static_folder`` only.

    ``asked`` and ``refused`` list the URLs WeasyPrint asked for and the ones
    refused, so tests can check nothing else was even tried.
    """

    def __init__(self, static_folder: str | Path) -> None:
        super().__init__(timeout=5, allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=False)
        self.root = Path(static_folder).resolve()
        self.asked: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        self.asked.append(url)
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.static_path(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        self.refused.append(url)
        raise FetchRefused(f"not loaded into the report: {url[:200]} (only data: URLs and the app's own static files are)")

    def static_path(self, url: str) -> Path | None:
        """The file a ``file:`` URL names, if it is a file inside the static folder (links resolved)."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(unquote(parts.path)).resolve()
        except (OSError, ValueError):
            return None
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path


@functools.cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet(static_folder: str) -> CSS:
    """The print stylesheet, parsed once per process."""
    return CSS(
        filename=str(Path(static_folder) / STYLESHEET),
        font_config=_font_config(),
        url_fetcher=StaticFilesFetcher(static_folder),
    )


def html_to_pdf(html: str, static_folder: str, fetcher: StaticFilesFetcher | None = None) -> bytes:
    """The PDF of a report's final HTML, with the print stylesheet; ``fetcher`` may be given to inspect it."""
    base_url = str(Path(static_folder).resolve()) + "/"
    fetcher = fetcher or StaticFilesFetcher(static_folder)
    stylesheet = _stylesheet(static_folder)
    with _render_lock:
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[stylesheet], font_config=_font_config(), **RENDER_OPTIONS)


@functools.cache
def template_version(static_folder: str) -> str:
    """A hash of what, besides the data, decides how the PDF looks.

    The report templates, the print stylesheet, the chart code, the page
    margins' words, the compiled translations, the render options and
    WeasyPrint's version: changing any of them changes every report's cache
    key, so no stale PDF survives a deployment (or a corrected translation).
    """
    digest = hashlib.sha256()
    sources = [
        *sorted(_TEMPLATES.glob("*.html")),
        Path(static_folder) / STYLESHEET,
        _CHART_SOURCE,
        _PAGE_CSS_SOURCE,
        *sorted(_CATALOGUES.glob("*/LC_MESSAGES/*.mo")),
    ]
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"{weasyprint.__version__} {sorted(RENDER_OPTIONS.items())}".encode())
    return digest.hexdigest()
