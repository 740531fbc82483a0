"""What people type never becomes markup in the report, and WeasyPrint fetches nothing from outside.

A trap server on 127.0.0.1 counts connections: the hostile text points at it,
so "nothing was fetched" is checked from the outside, not only from the
fetcher's own record.
"""

from __future__ import annotations

import io
import re
import socket
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.data.models import Action, ChallengeComment, EvidenceItem
from app.extensions import db
from app.reports import pdf as report_pdf
from app.reports.pdf import FetchRefused, StaticFilesFetcher, html_to_pdf
from tests.factories import page
from tests.integration.inspection_helpers import all_domains, record_findings

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"
TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates" / "reports"
PASSWD_LINE = "root:x:0:0"


class TrapServer:
    """A TCP server that accepts connections and counts them, answering nothing."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@pytest.fixture
def trap():
    server = TrapServer()
    yield server
    server.close()


@pytest.fixture
def fetchers(monkeypatch) -> list[StaticFilesFetcher]:
    """Every fetcher the renderer makes, to read what WeasyPrint asked it for."""
    made: list[StaticFilesFetcher] = []

    class RecordingFetcher(StaticFilesFetcher):
        def __init__(self, static_folder):
            super().__init__(static_folder)
            made.append(self)

    monkeypatch.setattr(report_pdf, "StaticFilesFetcher", RecordingFetcher)
    return made


def hostile(port: int) -> dict[str, str]:
    return {
        "script": "<script>document.write('pwned')</script>",
        "image": '<img src="file:///etc/passwd">',
        "link": '<a href="https://attacker.example/steal">See the audit</a>',
        "style": f'<link rel="stylesheet" href="http://127.0.0.1:{port}/evil.css">',
        "css": f'<p style="background: url(http://127.0.0.1:{port}/bg.png)">x</p>',
    }


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_hostile_text_is_printed_as_text_and_nothing_is_fetched(client, login, known_round, trap, fetchers):
    texts = hostile(trap.port)
    item = db.session.get(EvidenceItem, known_round.evidence.id)
    item.title = "Audit " + texts["script"]
    item.impact = "It shows " + texts["image"] + " and " + texts["css"]
    item.reference = texts["link"]
    action = db.session.query(Action).filter_by(round_id=known_round.round.id).first()
    action.description = "Act on " + texts["style"]
    record_findings(
        known_round.round,
        known_round.inspector,
        all_domains(known_round.built.framework, "good"),
        recommendations=[("Read " + texts["image"], "improvement", ("outcomes",))],
    )
    db.session.add(
        ChallengeComment(
            round_id=known_round.round.id, benchmark_id="outcomes.1", author_id=known_round.inspector.id, author_role="inspector", text=texts["link"]
        )
    )
    db.session.commit()

    login(known_round.manager)
    response = client.get(f"/rounds/{known_round.round.id}/report.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = squeeze(" ".join(p.extract_text() for p in reader.pages))
    for typed in texts.values():
        assert squeeze(typed) in text, typed
    assert PASSWD_LINE not in text and PASSWD_LINE.encode() not in response.data

    # WeasyPrint asked only for the chart (a data: URL): the escaped text was never markup to fetch.
    asked = [url for fetcher in fetchers for url in fetcher.asked]
    assert asked and all(url.startswith("data:") for url in asked), asked
    assert not [url for fetcher in fetchers for url in fetcher.refused]
    assert trap.connections == 0
    links = [
        str(annotation.get_object().get("/A", {}).get("/URI", ""))
        for pdf_page in reader.pages
        for annotation in pdf_page.get("/Annots", []) or []
    ]
    assert not [uri for uri in links if "attacker" in uri or "127.0.0.1" in uri]


def test_the_preview_escapes_what_people_typed(client, login, known_round):
    item = db.session.get(EvidenceItem, known_round.evidence.id)
    item.title = "<script>alert('x')</script> audit"
    item.impact = '<img src="file:///etc/passwd"> <b>bold</b>'
    db.session.commit()
    login(known_round.manager)
    soup = page(client.get(f"/rounds/{known_round.round.id}/report"))
    entry = soup.select_one("#evidence-E1")
    assert entry.h3.get_text(" ", strip=True) == "E1 <script>alert('x')</script> audit"
    assert entry.select_one("p.text").get_text() == '<img src="file:///etc/passwd"> <b>bold</b>'
    assert soup.select("script") == [] and soup.select("b") == []
    assert [img["src"][:26] for img in soup.select("img")] == ["data:image/svg+xml;base64,"]


def test_the_fetcher_refuses_everything_but_data_and_static_files(trap):
    """The second line of defence: markup that did reach WeasyPrint still fetches nothing outside."""
    html = f"""<!DOCTYPE html><html><head>
      <base href="file:///etc/">
      <link rel="stylesheet" href="file://{STATIC}/report/report.css">
      <link rel="stylesheet" href="http://127.0.0.1:{trap.port}/evil.css">
      <style>@import url("http://127.0.0.1:{trap.port}/import.css");
             @font-face {{ font-family: x; src: url(file:///etc/passwd); }}
             body {{ background: url(http://127.0.0.1:{trap.port}/bg.png); font-family: x; }}</style>
      </head><body>
      <img src="file:///etc/passwd"><img src="passwd"><img src="http://127.0.0.1:{trap.port}/x.png">
      <img src="file://localhost/{STATIC}/report/../../../../../etc/passwd">
      <img src="file://{STATIC}/report/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd">
      <object data="file:///etc/passwd"></object><embed src="file:///etc/passwd">
      <img src='data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd" width="9" height="9"/></svg>'>
      <p>Safe text</p></body></html>"""
    fetcher = StaticFilesFetcher(STATIC)
    pdf = html_to_pdf(html, str(STATIC), fetcher)
    assert "Safe text" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert PASSWD_LINE.encode() not in pdf
    assert trap.connections == 0
    assert f"file://{STATIC}/report/report.css" in fetcher.asked
    assert f"file://{STATIC}/report/report.css" not in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert f"http://127.0.0.1:{trap.port}/evil.css" in fetcher.refused
    assert f"http://127.0.0.1:{trap.port}/x.png" in fetcher.refused
    allowed = [url for url in fetcher.asked if url not in fetcher.refused]
    assert all(url.startswith("data:") or url == f"file://{STATIC}/report/report.css" for url in allowed), allowed


def test_static_paths_are_checked_after_resolving_links_and_dots(tmp_path):
    static = tmp_path / "static"
    (static / "report").mkdir(parents=True)
    (static / "report" / "ok.css").write_text("p { color: black }")
    (static / "report" / "passwd.css").symlink_to("/etc/passwd")
    (tmp_path / "secret.txt").write_text(PASSWD_LINE)
    fetcher = StaticFilesFetcher(static)
    assert fetcher.fetch(f"file://{static}/report/ok.css").read() == b"p { color: black }"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in (
        f"file://{static}/report/passwd.css",
        f"file://{static}/../secret.txt",
        f"file://{static}/report/%2E%2E/%2E%2E/secret.txt",
        f"file://elsewhere.example{static}/report/ok.css",
        f"file://{static}/report",
        "file:///etc/passwd",
        "http://127.0.0.1:9/ok.css",
        "https://example.org/ok.css",
        "ftp://example.org/ok.css",
        "javascript:alert(1)",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 10


def test_report_templates_never_mark_text_safe():
    for template in TEMPLATES.glob("*.html"):
        assert not re.search(r"\|\s*safe\b|Markup\(|autoescape\s+false", template.read_text(encoding="utf-8")), template.name
    # Named .html, so Jinja autoescapes them.
    assert all(path.suffix == ".html" for path in TEMPLATES.iterdir())
