"""E-mail address checks shared by the server's validation and the desktop's forms."""

from __future__ import annotations

import re

# Deliberately simple: one @, a dot in the domain, no spaces; the invitation mail proves the rest.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


def is_valid_email(text: str) -> bool:
    return len(text) <= 254 and _EMAIL.match(text) is not None


def normalize_email(text: str) -> str:
    return text.strip().lower()
