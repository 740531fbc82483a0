"""English that has to stand on a Welsh page is marked `lang="en"` (WCAG 3.1.2, language of parts).

A board whose framework has no Welsh at all (a file that says `english_only: true`),
whose name and round title have no Welsh either, is walked in Cymraeg by every
role, page by page. Each framework text the page shows as it is (a domain's title,
a question, a descriptor, a level's name) and the board's name must sit inside an
element marked `lang="en"`; and the marking must never break a page: no tag shows
as text, none lands in an attribute, a page title, a list box option or a chart.
"""

from __future__ import annotations

import io

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString, Tag
from pypdf import PdfReader

from app.config import Config
from app.core.framework import Framework, Text
from app.data.framework_store import current_framework
from app.extensions import db, limiter
from tests.conftest import make_test_app
from tests.integration.route_walk import build_board, make_admin, signed_in_client
from tests.integration.test_welsh_walk import page_paths


def _without_welsh(node):
    """The framework file's data with every {en, cy} text cut down to its English."""
    if isinstance(node, dict):
        if set(node) == {"en", "cy"}:
            return node["en"]
        return {key: _without_welsh(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_without_welsh(value) for value in node]
    return node


@pytest.fixture
def app(database_url, tmp_path):
    with open(Config.SAIT_FRAMEWORK_PATH, encoding="utf-8") as handle:
        data = _without_welsh(yaml.safe_load(handle))
    data["english_only"] = True
    path = tmp_path / "english_only.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    app = make_test_app(SQLALCHEMY_DATABASE_URI=database_url, SAIT_FRAMEWORK_PATH=str(path))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
        limiter.reset()


def framework_texts(framework: Framework) -> set[str]:
    """Every text of the framework a person reads, as shown (spaces run together)."""
    texts: list[Text] = [framework.scale.not_known.label, framework.scale.not_applicable.label]
    texts += [level.label for level in framework.scale.levels]
    for domain in framework.domains:
        texts += [domain.title, domain.summary]
        for benchmark in domain.benchmarks:
            texts += [benchmark.title, benchmark.question, *benchmark.descriptors.values()]
    return {" ".join(text.en.split()) for text in texts}


def _in_english(node) -> bool:
    for parent in node.parents:
        if isinstance(parent, Tag) and parent.has_attr("lang"):
            return parent["lang"].lower().startswith("en")
    return False


def marking_problems(html: str, english: set[str]) -> tuple[list[str], int]:
    """(what is wrong with the page, how many English texts were found marked)."""
    problems, marked = [], 0
    if "&lt;span" in html:
        problems.append("a tag escaped into text")
    soup = BeautifulSoup(html, "html.parser")
    for inside in soup.select("title span, option span, textarea span, svg span"):
        problems.append(f"a span inside <{inside.parent.name}>: {inside.get_text()!r}")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if "<span" in str(value):
                problems.append(f"a tag inside the attribute {name} of <{tag.name}>")
    for hidden in soup.select("script, style, template, title, option, textarea, svg"):
        hidden.decompose()
    for string in soup.find_all(string=True):
        text = " ".join(str(string).split()) if isinstance(string, NavigableString) else ""
        if text in english:
            if _in_english(string):
                marked += 1
            else:
                problems.append(f"not marked lang='en': {text[:80]!r}")
    return problems, marked


def test_english_on_welsh_pages_is_marked_and_the_marking_breaks_nothing(app):
    framework = current_framework()
    assert framework.english_only and all(level.label.cy is None for level in framework.scale.levels)
    world = build_board("Yarrow")
    admin = make_admin()
    people = [world.manager, world.member, world.inspector, admin]
    for person in people:
        person.language = "cy"
    db.session.commit()
    english = framework_texts(framework) | {world.board.name, world.round.title}
    problems, marked_per_page = [], {}
    for user in people:
        client = signed_in_client(app, user)
        for _endpoint, path in page_paths(app, world):
            response = client.get(path)
            if response.status_code != 200 or not response.content_type.startswith("text/html"):
                continue
            found, marked = marking_problems(response.get_data(as_text=True), english)
            problems += [f"{path} as {user.name}: {problem}" for problem in found]
            marked_per_page[path] = max(marked, marked_per_page.get(path, 0))

    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems))[:200])
    # The walk saw the English it was meant to: every question and descriptor of the first domain on its page.
    domain = framework.domains[0]
    assert marked_per_page[f"/rounds/{world.round.id}/respond/{domain.id}"] >= len(domain.benchmarks) * 5
    assert sum(1 for count in marked_per_page.values() if count) > 20


def test_the_welsh_report_of_an_english_only_round_shows_the_english_as_text(app):
    world = build_board("Yarrow")
    world.manager.language = "cy"
    db.session.commit()
    client = signed_in_client(app, world.manager)

    response = client.get(f"/rounds/{world.round.id}/report.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "span" not in text and "&lt;" not in text
    assert " ".join(current_framework().benchmarks[0].question.en.split()[:4]) in " ".join(text.split())


def test_marking_is_only_for_welsh():
    text = Text(en="Children are safe")

    assert text.get("cy").__html__() == '<span lang="en">Children are safe</span>'
    assert not hasattr(text.get("en"), "__html__")
    assert Text(en="Children are safe", cy="Mae plant yn ddiogel").get("cy") == "Mae plant yn ddiogel"
    assert f"{text.get('cy')}: more" == "Children are safe: more"  # joined into a sentence, plain text again
