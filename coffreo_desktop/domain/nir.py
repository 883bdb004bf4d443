"""The French national insurance number (NIR) must never appear in a file name or a title."""

from __future__ import annotations

import re

# 13 digits (sex, year, month, department incl. 2A/2B, commune, order) with an optional 2-digit key,
# written together or with spaces, dots or dashes between the groups.
_SEP = r"[ .\-_]?"
_NIR = re.compile(
    r"(?<![0-9])[12]"
    + _SEP
    + r"[0-9]{2}"
    + _SEP
    + r"(?:0[1-9]|1[0-2]|[2-9][0-9])"
    + _SEP
    + r"(?:[0-9]{2}|2[AaBb])"
    + _SEP
    + r"[0-9]{3}"
    + _SEP
    + r"[0-9]{3}"
    + r"(?:"
    + _SEP
    + r"[0-9]{2})?(?![0-9])"
)


def contains_nir(text: str) -> bool:
    """True when ``text`` holds something shaped like a NIR (with or without its key)."""
    return _NIR.search(text) is not None
