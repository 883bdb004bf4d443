"""Keyset pagination: the opaque cursor (base64 JSON of sort, order, filters digest, key, id), and the SQL
that merges pages read from several ordered index ranges (one per agency) into one.

The key of the sort by agency is the agency's (name, id): the agencies are ranked by it for each request.

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
from typing import Any

from sqlalchemy import Select, Table, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from coffreo_desktop.server.errors import Invalid

INVALID_CURSOR = "Curseur de pagination invalide : relancez la recherche."

#: How each sort key is written in the cursor and read back.
KeyKind = str  # "str" | "int" | "date" | "datetime" | "agency"
#: A cursor's key: the sort key of the last row read; for the sort by agency, its agency's (name, id).
Key = str | int | date | datetime | tuple[str, int]


@dataclass(frozen=True)
class Cursor:
    sort: str
    order: str
    digest: str
    key: Key
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


def _key(raw: object, kind: KeyKind) -> Key:
    if kind == "agency":
        if not (isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], str) and type(raw[1]) is int):
            raise ValueError("[name, agency id] expected")
        return raw[0], raw[1]
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


#: Ranges merged by one UNION ALL; more are merged by groups of this many (SQLite refuses a compound SELECT
#: of more than 500 terms).
MERGE_GROUP = 100


def ordering(columns: tuple[Any, Any], ascending: bool) -> tuple[Any, Any]:
    """ORDER BY (key, id), both the same way."""
    key, row_id = columns
    return (key.asc(), row_id.asc()) if ascending else (key.desc(), row_id.desc())


def merged(parts: list[Select[Any]], ascending: bool, limit: int) -> Select[Any]:
    """The first ``limit`` (sort_key, id) of ``parts``, each a SELECT of them already ordered and limited."""
    while len(parts) > 1:
        groups = [parts[i : i + MERGE_GROUP] for i in range(0, len(parts), MERGE_GROUP)]
        parts = [group[0] if len(group) == 1 else _union(group, ascending, limit) for group in groups]
    return parts[0]


def _union(parts: list[Select[Any]], ascending: bool, limit: int) -> Select[Any]:
    # Each part is wrapped: SQLite allows no ORDER BY / LIMIT on a member of a compound SELECT.
    union = union_all(*(select(part.subquery()) for part in parts)).subquery()
    columns = (union.c.sort_key, union.c.id)
    return select(*columns).order_by(*ordering(columns, ascending)).limit(limit)


@compiles(Table, "sqlite")
def _sqlite_from_hint(table: Table, compiler: SQLCompiler, **kw: Any) -> str:
    """SQLAlchemy drops FROM hints on SQLite: render them (a search's "INDEXED BY"); no hint, no change."""
    rendered = compiler.visit_table(table, **kw)
    hint = (kw.get("fromhints") or {}).get(table) if kw.get("asfrom") else None
    return f"{rendered} {hint}" if hint else rendered
