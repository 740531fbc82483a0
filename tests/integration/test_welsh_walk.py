"""Every page in Cymraeg: no English that comes from the product.

A board is built with a person in every role and data of every kind
(tests/integration/route_walk.py). Each of them, and someone not signed in,
asks for every page the app has in Welsh. A page fails when any of its text
(the visible text, the page title, and the words in attributes a screen reader
or GOV.UK's scripts read out: aria-label, title, alt, placeholder, a button's
value and GOV.UK's `data-i18n.*` messages) is English written by the product:

- text exactly equal to an English interface string whose Welsh differs
  (the catalogue's msgids, and GOV.UK Frontend's own words), or
- text with two or more common English words that never occur in Welsh
  ("the", "your", "with" ...).

What people typed (names, evidence, titles) is taken out first, and text
marked `lang="en"` is English on purpose (the "English" language link).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, NavigableString, Tag

from app.data.models import User
from app.extensions import db
from tests.integration.route_walk import BoardWorld, build_board, make_admin, path_for, signed_in_client, walked_rules

CATALOGUE = Path(__file__).resolve().parents[2] / "app" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"

# Words common in English text that are not Welsh words (nor parts of hyphenated Welsh words).
ENGLISH_ONLY_WORDS = frozenset([
    "the", "and", "your", "you", "with", "for", "has", "have", "been", "will", "what", "which", "this", "that",
    "are", "not", "from", "there", "their", "they", "was", "were", "should", "must", "cannot", "please", "enter",
    "select", "choose", "about", "when", "where", "who", "how"
])
BLOCKS = frozenset([
    "title", "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "label", "legend", "td", "th", "dt", "dd", "a",
    "button", "summary", "caption", "option", "span", "div", "strong"
])
READ_OUT_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
# Routes whose answer is not a page (files, scripts, redirects only).
NOT_PAGES = {"static", "main.govuk_assets", "i18n.choose_language", "auth.sign_out"}


def _english_strings() -> frozenset[str]:
    """Interface strings with no placeholder whose Welsh differs, and GOV.UK's own English words."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    found = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        welsh = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english and "%" not in english and english not in welsh:
                found.add(" ".join(english.split()))
    found.update(_govuk_english_words())
    return frozenset(found)


def _govuk_english_words() -> set[str]:
    """Words GOV.UK Frontend's macros and scripts write themselves unless given others."""
    return {
        "There is a problem", "Skip to main content", "Back", "Menu", "Previous", "Next", "Choose file",
        "No file chosen", "Drop file here", "Day", "Month", "Year", "Error:", "Support links", "Show all sections",
        "Hide all sections", "Show", "Hide", "Show password", "Hide password", "Navigation menu", "Important",
        "Success", "Contents", "Page", "Open in new tab", "Official Crown copyright",
    }


def _is_english_on_purpose(node) -> bool:
    for parent in node.parents:
        if isinstance(parent, Tag) and parent.has_attr("lang"):
            return parent["lang"].lower().startswith("en")
    return False


def page_texts(html: str) -> Iterator[str]:
    """The page's text, one block at a time, and the attributes that are read out."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.select("script, style, template"):
        hidden.decompose()
    blocks: dict[int, list[str]] = {}
    for string in soup.find_all(string=True):
        if not isinstance(string, NavigableString) or not string.strip() or _is_english_on_purpose(string):
            continue
        block = next((p for p in string.parents if p.name in BLOCKS), None)
        blocks.setdefault(id(block), []).append(str(string))
    for parts in blocks.values():
        yield " ".join(" ".join(parts).split())
    for tag in soup.find_all(True):
        if _is_english_on_purpose(tag):
            continue
        for name, value in tag.attrs.items():
            if name in READ_OUT_ATTRIBUTES or name.startswith("data-i18n") or (name == "value" and tag.get("type") == "submit"):
                yield " ".join(str(value).split())


def english_in(html: str, typed: list[str], english: frozenset[str]) -> list[str]:
    found = []
    for text in page_texts(html):
        for value in typed:
            text = text.replace(value, " ")
        text = " ".join(text.split())
        words = set(re.findall(r"[a-z']+", text.lower()))
        if text in english or len(words & ENGLISH_ONLY_WORDS) >= 2:
            found.append(text)
    return found


def typed_by_people(world: BoardWorld, people: list[User]) -> list[str]:
    values = [*world.names, *world.content, world.invitation.name, world.invitation.email, world.action.lead_person]
    for person in people:
        values += [person.name, person.email]
    return sorted(set(values), key=len, reverse=True)


def page_paths(app, world: BoardWorld) -> list[tuple[str, str]]:
    """(endpoint, path) of every page the app can serve with a GET."""
    with_ids = {rule.endpoint: rule for rule in walked_rules(app)}
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.arguments:
            if rule.endpoint in with_ids:
                paths.append((rule.endpoint, path_for(rule, world)))
        else:
            paths.append((rule.endpoint, rule.rule))
    return sorted(set(paths))


@pytest.fixture
def world(app) -> BoardWorld:
    return build_board("Zephyr")


def test_no_page_shows_english_from_the_product_in_cymraeg(app, world):
    admin = make_admin()
    people = [world.manager, world.member, world.inspector, admin]
    for person in people:
        person.language = "cy"
    db.session.commit()
    english = _english_strings()
    typed = typed_by_people(world, people)
    paths = page_paths(app, world)
    problems, pages_read = [], 0
    for label, user in [("not signed in", None), *((p.name, p) for p in people)]:
        client = signed_in_client(app, user)
        if user is None:
            client.get("/language/cy")
        for endpoint, path in paths:
            response = client.get(path)
            if not response.content_type.startswith("text/html") or response.status_code in (301, 302, 303):
                continue
            pages_read += 1
            html = response.get_data(as_text=True)
            assert '<html lang="cy"' in html, f"{path} as {label} is not a Welsh page"
            for text in english_in(html, typed, english):
                problems.append(f"{path} ({endpoint}) as {label}: {text!r}")
    assert pages_read > 60  # the walk reached the pages, not only refusals
    assert problems == [], f"{len(problems)} English texts on Welsh pages:\n" + "\n".join(sorted(set(problems))[:400])


def test_the_check_catches_english_text_and_lets_typed_and_marked_text_through():
    english = frozenset({"Save and continue"})
    html = """<html lang="cy"><head><title>Tudalen</title></head><body>
        <p>Rhowch y dystiolaeth</p>
        <button>Save and continue</button>
        <p>Choose the level that best matches your board</p>
        <p>Evidence typed by a member about the audit</p>
        <a href="/language/en" lang="en">English</a>
        <div data-i18n.characters-under-limit.other="You have %{count} characters remaining"></div>
    </body></html>"""

    found = english_in(html, ["Evidence typed by a member about the audit"], english)

    assert found == ["Save and continue", "Choose the level that best matches your board", "You have %{count} characters remaining"]
