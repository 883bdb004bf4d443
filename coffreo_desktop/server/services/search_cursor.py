"""The opaque keyset cursor of the documents search: base64 JSON of (sort, order, filters digest, key, id).

The cursor is validated on the way back: anything tampered with, or a cursor of another search, is refused
with 422 "invalid_cursor" rather than silently giving a wrong page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from coffreo_desktop.server.errors import Invalid

INVALID_CURSOR = "Curseur de pagination invalide : relancez la recherche."

#: How each sort key is written in the cursor and read back.
KeyKind = str  # "str" | "int" | "date" | "datetime"


@dataclass(frozen=True)
class Cursor:
    sort: str
    order: str
    digest: str
    key: str | int | date | datetime
    id: int


def filters_digest(filters: object) -> str:
    """A short digest of the search's filters: a cursor only continues the search it came from."""
    text = json.dumps(filters, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(cursor: Cursor) -> str:
    key = cursor.key
    raw = key.isoformat() if isinstance(key, date | datetime) else key
    payload = {"s": cursor.sort, "o": cursor.order, "f": cursor.digest, "k": raw, "i": cursor.id}
    data = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def decode(text: str, kind: KeyKind, sort: str, order: str, digest: str) -> Cursor:
    """The cursor, checked against the search it must continue; Invalid("invalid_cursor") otherwise."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(data)
        if not isinstance(payload, dict):
            raise ValueError("not an object")
        row_id = payload["i"]
        if type(row_id) is not int or (payload["s"], payload["o"], payload["f"]) != (sort, order, digest):
            raise ValueError("another search")
        key = _key(payload["k"], kind)
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise Invalid(INVALID_CURSOR, code="invalid_cursor") from None
    return Cursor(sort, order, digest, key, row_id)


def _key(raw: object, kind: KeyKind) -> str | int | date | datetime:
    if kind == "int":
        if type(raw) is not int:
            raise ValueError("int expected")
        return raw
    if not isinstance(raw, str):
        raise ValueError("str expected")
    if kind == "date":
        return date.fromisoformat(raw)
    if kind == "datetime":
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            raise ValueError("aware datetime expected")
        return moment
    return raw
