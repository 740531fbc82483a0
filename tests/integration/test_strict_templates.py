"""Templates fail loudly on a variable nobody defined (app/web/templating.py, NameStrictUndefined).

Strict for an undefined name; lenient, as Jinja's default, for a missing key or
attribute of an object that exists and inside the GOV.UK packages' own templates.
"""

from __future__ import annotations

import pytest
from jinja2 import Environment, UndefinedError

from tests.conftest import make_test_app

BUTTON = "{% from 'govuk_frontend_jinja/components/button/macro.html' import govukButton %}"


@pytest.fixture(scope="module")
def env() -> Environment:
    """The app's own Jinja environment; no database is touched."""
    return make_test_app(SQLALCHEMY_DATABASE_URI="sqlite://").jinja_env


def render(env: Environment, source: str, **context) -> str:
    return env.from_string(source).render(**context)


@pytest.mark.parametrize(
    "source",
    [
        "<p>{{ nobody_passed_this }}</p>",
        "{% if nobody_passed_this %}shown{% endif %}",
        "{% for item in nobody_passed_this %}{{ item }}{% endfor %}",
        "{{ nobody_passed_this | length }}",
        "{{ 'yes' if nobody_passed_this == 'x' else 'no' }}",
    ],
)
def test_an_undefined_name_raises_however_it_is_used(env, source):
    with pytest.raises(UndefinedError, match="'nobody_passed_this' is undefined"):
        render(env, source)


def test_a_missing_key_or_attribute_of_a_defined_object_renders_empty(env):
    source = "[{{ params.classes }}|{{ params['missing'] }}|{% if params.classes %}classes{% endif %}|{{ params.text }}]"
    assert render(env, source, params={"text": "Go"}) == "[|||Go]"


def test_a_truly_optional_name_can_still_be_tested_or_defaulted(env):
    source = "{% if caption is defined and caption %}{{ caption }}{% endif %}|{{ page_title | default('fallback') }}"
    assert render(env, source) == "|fallback"
    assert render(env, source, caption="Board", page_title="Title") == "Board|Title"


def test_a_macro_argument_left_out_raises_but_a_macro_called_without_call_does_not(env):
    with pytest.raises(UndefinedError, match="parameter 'text' was not provided"):
        render(env, "{% macro tag(text) %}<b>{{ text }}</b>{% endmacro %}{{ tag() }}")
    optional_caller = "{% macro box() %}[{% if caller %}{{ caller() }}{% endif %}]{% endmacro %}"
    assert render(env, optional_caller + "{{ box() }}") == "[]"
    assert render(env, optional_caller + "{% call box() %}inside{% endcall %}") == "[inside]"


def test_the_govuk_macros_keep_their_lenient_undefined_names(env):
    # The button macro compares with the name `undefined`, which nobody defines; attributes with
    # `optional` go through `[undefined, null, None]` in the library's attributes macro.
    html = render(env, BUTTON + "{{ govukButton({'text': 'Go', 'attributes': {'data-x': {'value': 'y', 'optional': true}}}) }}")
    assert 'class="govuk-button"' in html
    assert 'data-x="y"' in html
    assert ">\n  Go\n</button>" in html


def test_an_undefined_name_of_ours_still_raises_inside_a_govuk_macro(env):
    with pytest.raises(UndefinedError, match="'nobody_passed_this' is undefined"):
        render(env, BUTTON + "{{ govukButton({'text': nobody_passed_this}) }}")
