"""Search keys for "search as you type": accents, case and spacing removed, hyphens and apostrophes read as
spaces, so that "Éloïse  LE-GALL" is found by "elo", "le-g" or "LE GALL" alike. Stored beside the names
(migration 0007 computed the stored keys with this rule), compared by prefix."""

from __future__ import annotations

import re
import unicodedata

# A hyphen or an apostrophe separates words like a space: "Le-Gall" / "le gall", "O'Brien" / "o brien".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": " ", "‘": " ", "ʼ": " ", "'": " ", "-": " "})
_SPACES = re.compile(r"\s+")
#: The stored keys are cut to this length (the columns are 80 characters wide).
KEY_LENGTH = 80


def search_key(text: str) -> str:
    """The key a name or matricule is stored and searched under: NFKD without marks, casefolded, hyphens
    and apostrophes as spaces, runs of spaces as one."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).strip()[:KEY_LENGTH]
