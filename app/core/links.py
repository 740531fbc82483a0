"""Whether a reference people typed is a web address that may be shown as a link.

Only a whole http or https address with a host is a link; anything else
(a document reference, a filing place, ``javascript:``, an address with
spaces) is shown as the text it is. The pages and the report both use this.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["web_address"]


def web_address(reference: str) -> str | None:
    """The reference as a link target when it is a whole http(s) address with a host; None for anything else (text)."""
    text = reference.strip()
    if not text or any(char.isspace() or ord(char) < 32 or char in '<>"' for char in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme.lower() in ("http", "https") and parts.hostname else None
