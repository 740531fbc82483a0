"""Email addresses: one check (email-validator) for the forms, the command line and the assessment file."""

from __future__ import annotations

import pytest

from app.core.email_address import NotAnEmailAddress, is_email_address, normalised_email


def test_an_address_is_trimmed_and_kept_in_lower_case():
    assert normalised_email("  Rhian.Jones@Example.ORG ") == "rhian.jones@example.org"


@pytest.mark.parametrize("text", ["", "rhian", "rhian@", "@example.org", "rhian jones@example.org", "rhian@example", "rhian@@example.org"])
def test_what_is_not_an_address_is_refused_with_a_reason(text):
    assert not is_email_address(text)
    with pytest.raises(NotAnEmailAddress) as refused:
        normalised_email(text)
    assert str(refused.value)


def test_welsh_letters_are_allowed_in_an_address():
    assert normalised_email("Siân@example.org") == "siân@example.org"
