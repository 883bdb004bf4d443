"""Search keys for "search as you type": accents, case and spacing removed, hyphens and apostrophes read as
spaces, so that "Éloïse  LE-GALL" is found by "elo", "le-g" or "LE GALL" alike. Stored beside the names
(migration 0007 computed the stored keys with this rule), compared by prefix.

``fold`` is the plain rule (case and accents only) for searches by substring and sorts of names."""

from __future__ import annotations

import re
import unicodedata

# A hyphen or an apostrophe separates words like a space: "Le-Gall" / "le gall", "O'Brien" / "o brien".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": " ", "‘": " ", "ʼ": " ", "'": " ", "-": " "})
_SPACES = re.compile(r"\s+")
#: The stored keys are cut to this length (the columns are 80 characters wide).
KEY_LENGTH = 80


def strip_marks(text: str) -> str:
    """``text`` in NFKD without its combining marks: "Éloïse" gives "Eloise" (case kept)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case without accents, every other character kept: "Éloïse" and "eloise" compare equal (search
    by substring and French sort)."""
    return strip_marks(text.casefold())


def search_key(text: str) -> str:
    """The key a name or matricule is stored and searched under: NFKD without marks, casefolded, hyphens
    and apostrophes as spaces, runs of spaces as one."""
    plain = strip_marks(text.casefold().translate(_LIGATURES))
    return _SPACES.sub(" ", plain).strip()[:KEY_LENGTH]
