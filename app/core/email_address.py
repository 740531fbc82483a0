"""Email addresses, checked one way everywhere: the web forms, the command line and the assessment file.

email-validator does the checking (syntax only: no DNS lookup, so it works
offline and in tests). The product keeps addresses in lower case, so one
person cannot hold two accounts that differ only in capitals.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


class NotAnEmailAddress(ValueError):
    """The text is not an email address; the message says why, in English (for logs, files and the CLI)."""


def normalised_email(text: str) -> str:
    """``text`` as the product stores an address: trimmed, checked, lower case; :class:`NotAnEmailAddress` if it is not one."""
    try:
        checked = validate_email(text.strip(), check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as error:
        raise NotAnEmailAddress(str(error)) from None
    return checked.normalized.lower()


def is_email_address(text: str) -> bool:
    try:
        normalised_email(text)
    except NotAnEmailAddress:
        return False
    return True
