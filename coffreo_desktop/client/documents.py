"""The documents API seen from the desktop (F2.2–F2.9): typed rows, search parameters, pages, the change feed.

:class:`SearchParams` also filters and sorts rows locally exactly as the server does, so that changed rows
find their place in the lists kept offline without asking the server again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from coffreo_desktop.client.api import ApiClient
from coffreo_desktop.client.errors import ApiError
from coffreo_desktop.client.json_fields import (
    check,
    decode,
    format_datetime,
    opt_str,
    parse_datetime,
)
from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.labels import QT_TRANSLATE_NOOP
from coffreo_desktop.domain.periods import Period

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The advanced search criteria (F2.3): the server's name → the French label shown in the drop-down.
CRITERIA: dict[str, str] = {
    "matricule": QT_TRANSLATE_NOOP("domain", "Matricule"),
    "last_name": QT_TRANSLATE_NOOP("domain", "Nom"),
    "first_name": QT_TRANSLATE_NOOP("domain", "Prénom"),
    "contract_number": QT_TRANSLATE_NOOP("domain", "Numéro de contrat"),
    "client": QT_TRANSLATE_NOOP("domain", "Client"),
    "invoice_number": QT_TRANSLATE_NOOP("domain", "Numéro de facture"),
    "title": QT_TRANSLATE_NOOP("domain", "Titre du document"),
}
#: The row field each criterion searches (the server's services/documents.py CRITERIA).
CRITERION_FIELDS: dict[str, str] = {
    "matricule": "matricule",
    "last_name": "employee_last_name",
    "first_name": "employee_first_name",
    "contract_number": "contract_number",
    "client": "client_name",
    "invoice_number": "invoice_number",
    "title": "title",
}
#: Every sort the server offers (its SORTS) → the row field it orders on.
SORT_FIELDS: dict[str, str] = {
    "document_date": "document_date",
    "doc_type": "doc_type",
    "title": "title",
    "last_name": "employee_last_name",
    "first_name": "employee_first_name",
    "matricule": "matricule",
    "client_name": "client_name",
    "contract_number": "contract_number",
    "invoice_number": "invoice_number",
    "size": "size",
    "created_at": "created_at",
    "invoice_state": "invoice_state",
    "signature_state": "signature_state",
    "agency": "agency_name",
}
# The server sorts these as text with NULL as '' (one order on SQLite and PostgreSQL).
_TEXT_SORTS = frozenset(SORT_FIELDS) - {"document_date", "size", "created_at", "signature_state", "agency"}
#: The server sorts signature states in the order of their French labels ("Non signé", "Sans signature",
#: "Signé"), not by their stored values.
SIGNATURE_SORT_RANKS: dict[SignatureState, int] = {
    SignatureState.UNSIGNED: 0,
    SignatureState.NOT_REQUIRED: 1,
    SignatureState.SIGNED: 2,
}
ORDERS = ("asc", "desc")
SIGNED_VALUES = ("yes", "no")

CORRUPTED_DOWNLOAD = (
    "Le document reçu ne correspond pas à son empreinte (transfert altéré) : réessayez son ouverture."
)


class DownloadCorrupted(ApiError):
    """The bytes received do not hash to the ETag the server announced: never shown nor cached."""

    def __init__(self) -> None:
        super().__init__(502, "download_corrupted", CORRUPTED_DOWNLOAD)


@dataclass(frozen=True)
class DocumentRow:
    """One document as the search returns it (the server's DocumentView)."""

    id: int
    agency_id: int
    agency_name: str
    doc_type: DocumentType
    title: str
    file_name: str
    size: int
    pages: int
    document_date: date
    employee_first_name: str | None
    employee_last_name: str | None
    matricule: str | None
    client_name: str | None
    contract_number: str | None
    invoice_number: str | None
    signature_state: SignatureState
    signed_at: datetime | None
    invoice_state: InvoiceState | None
    can_delete: bool
    created_at: datetime
    sha256: str = ""  # "" from a server that does not send it yet: the content is then not checked

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DocumentRow:
        signed_at = opt_str(data, "signed_at")
        invoice = opt_str(data, "invoice_state")
        return cls(
            id=check(data["id"], int, "id"),
            agency_id=check(data["agency_id"], int, "agency_id"),
            agency_name=check(data["agency_name"], str, "agency_name"),
            doc_type=DocumentType(data["doc_type"]),
            title=check(data["title"], str, "title"),
            file_name=check(data["file_name"], str, "file_name"),
            size=check(data["size"], int, "size"),
            pages=check(data["pages"], int, "pages"),
            document_date=date.fromisoformat(check(data["document_date"], str, "document_date")),
            employee_first_name=opt_str(data, "employee_first_name"),
            employee_last_name=opt_str(data, "employee_last_name"),
            matricule=opt_str(data, "matricule"),
            client_name=opt_str(data, "client_name"),
            contract_number=opt_str(data, "contract_number"),
            invoice_number=opt_str(data, "invoice_number"),
            signature_state=SignatureState(data["signature_state"]),
            signed_at=None if signed_at is None else parse_datetime(signed_at),
            invoice_state=None if invoice is None else InvoiceState(invoice),
            can_delete=check(data["can_delete"], bool, "can_delete"),
            created_at=parse_datetime(check(data["created_at"], str, "created_at")),
            sha256=opt_str(data, "sha256") or "",
        )

    def to_json(self) -> dict[str, Any]:
        """The API's JSON of this row (what domain.exports.csv_row reads)."""
        return {
            "id": self.id,
            "agency_id": self.agency_id,
            "agency_name": self.agency_name,
            "doc_type": self.doc_type.value,
            "title": self.title,
            "file_name": self.file_name,
            "size": self.size,
            "pages": self.pages,
            "document_date": self.document_date.isoformat(),
            "employee_first_name": self.employee_first_name,
            "employee_last_name": self.employee_last_name,
            "matricule": self.matricule,
            "client_name": self.client_name,
            "contract_number": self.contract_number,
            "invoice_number": self.invoice_number,
            "signature_state": self.signature_state.value,
            "signed_at": None if self.signed_at is None else format_datetime(self.signed_at),
            "invoice_state": None if self.invoice_state is None else self.invoice_state.value,
            "can_delete": self.can_delete,
            "created_at": format_datetime(self.created_at),
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class SearchParams:
    """A search (F2.2–F2.4) as the user set it; invalid names are refused here, in French.

    Its scope: every agency of the user (neither ``agency_id`` nor ``brand_id``), one agency, or one entity
    (``brand_id``, F2.2): the server then lists the user's agencies of that entity; ``brand_agencies`` are
    those the desktop knew of (``Me.agencies``), for filtering kept lists offline like the server does.
    """

    agency_id: int | None = None
    brand_id: int | None = None
    brand_agencies: frozenset[int] = frozenset()
    types: tuple[DocumentType, ...] = ()
    signed: str | None = None  # "yes" | "no" | None (both)
    period: Period = Period.ALL
    criterion: str | None = None
    value: str | None = None
    invoice_state: InvoiceState | None = None
    sort: str = "document_date"
    order: str = "desc"

    def __post_init__(self) -> None:
        if self.agency_id is not None and self.brand_id is not None:
            raise ValueError("Choisissez une agence ou une entité, pas les deux.")
        if self.criterion is not None and self.criterion not in CRITERIA:
            raise ValueError(f"Critère de recherche inconnu « {self.criterion} ».")
        if self.sort not in SORT_FIELDS:
            raise ValueError(f"Tri inconnu « {self.sort} ».")
        if self.order not in ORDERS:
            raise ValueError(f"Ordre de tri inconnu « {self.order} ».")
        if self.signed is not None and self.signed not in SIGNED_VALUES:
            raise ValueError(f"Filtre de signature inconnu « {self.signed} ».")

    @property
    def descending(self) -> bool:
        return self.order == "desc"

    def to_query(self) -> list[tuple[str, str]]:
        """The query parameters of ``GET /documents`` (defaults left out)."""
        query: list[tuple[str, str]] = []
        if self.agency_id is not None:
            query.append(("agency_id", str(self.agency_id)))
        if self.brand_id is not None:
            query.append(("brand_id", str(self.brand_id)))
        query += [("type", t.value) for t in self.types]
        if self.signed is not None:
            query.append(("signed", self.signed))
        if self.period is not Period.ALL:
            query.append(("period", self.period.value))
        if self.criterion is not None:
            query.append(("criterion", self.criterion))
            if self.value:
                query.append(("value", self.value))
        if self.invoice_state is not None:
            query.append(("invoice_state", self.invoice_state.value))
        query += [("sort", self.sort), ("order", self.order)]
        return query

    def to_json(self) -> dict[str, Any]:
        return {
            "agency_id": self.agency_id,
            "brand_id": self.brand_id,
            "brand_agencies": sorted(self.brand_agencies),
            "types": [t.value for t in self.types],
            "signed": self.signed,
            "period": self.period.value,
            "criterion": self.criterion,
            "value": self.value,
            "invoice_state": None if self.invoice_state is None else self.invoice_state.value,
            "sort": self.sort,
            "order": self.order,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SearchParams:
        agency_id = data.get("agency_id")
        brand_id = data.get("brand_id")  # absent from lists kept before the entity scope existed
        invoice = data.get("invoice_state")
        return cls(
            agency_id=None if agency_id is None else check(agency_id, int, "agency_id"),
            brand_id=None if brand_id is None else check(brand_id, int, "brand_id"),
            brand_agencies=frozenset(
                check(a, int, "brand_agencies") for a in data.get("brand_agencies") or ()
            ),
            types=tuple(DocumentType(t) for t in data.get("types") or ()),
            signed=opt_str(data, "signed"),
            period=Period(data.get("period") or Period.ALL.value),
            criterion=opt_str(data, "criterion"),
            value=opt_str(data, "value"),
            invoice_state=None if invoice is None else InvoiceState(invoice),
            sort=opt_str(data, "sort") or "document_date",
            order=opt_str(data, "order") or "desc",
        )

    def matches(self, row: DocumentRow, today: date) -> bool:
        """Whether the server's search would return ``row`` (its _filters); ``today`` in Paris."""
        if self.agency_id is not None and row.agency_id != self.agency_id:
            return False
        if self.brand_id is not None and row.agency_id not in self.brand_agencies:
            return False
        if self.types and row.doc_type not in self.types:
            return False
        if self.signed == "yes" and row.signature_state is not SignatureState.SIGNED:
            return False
        if self.signed == "no" and row.signature_state is not SignatureState.UNSIGNED:
            return False
        since = self.period.since(today)
        if since is not None and row.document_date < since:
            return False
        if self.criterion is not None and self.value:
            # "Contains", case-insensitive, every character literal (the server escapes % and _).
            field = getattr(row, CRITERION_FIELDS[self.criterion]) or ""
            if self.value.lower() not in str(field).lower():
                return False
        return self.invoice_state is None or row.invoice_state == self.invoice_state

    def sort_key(self, row: DocumentRow) -> tuple[Any, int]:
        """The server's order key (NULL as "" on text columns, id breaking ties); reverse it for "desc"."""
        if self.sort == "agency":  # the agency's name, equal names by the agency's id (code point order)
            return (row.agency_name, row.agency_id), row.id
        if self.sort == "signature_state":
            return SIGNATURE_SORT_RANKS[row.signature_state], row.id
        value = getattr(row, SORT_FIELDS[self.sort])
        if self.sort in _TEXT_SORTS:
            value = "" if value is None else str(value)
        return value, row.id

    def sort_rows(self, rows: Iterable[DocumentRow]) -> list[DocumentRow]:
        """``rows`` in the order the server would list them."""
        return sorted(rows, key=self.sort_key, reverse=self.descending)


@dataclass(frozen=True)
class SearchPage:
    items: list[DocumentRow]
    next_cursor: str | None
    total: int | None


@dataclass(frozen=True)
class Change:
    """One entry of the change feed: the document's state now (``row``), or its deletion."""

    id: int
    deleted: bool
    row: DocumentRow | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Change:
        document = data.get("document")
        row = None if document is None else DocumentRow.from_json(check(document, dict, "document"))
        deleted = check(data["deleted"], bool, "deleted")
        return cls(check(data["id"], int, "id"), deleted or row is None, None if deleted else row)


@dataclass(frozen=True)
class ChangesPage:
    items: list[Change]
    next: str  # the token to ask from next time
    more: bool  # more changes wait after ``next``: ask again at once


def _search_page(data: Mapping[str, Any]) -> SearchPage:
    total = data.get("total")
    return SearchPage(
        [DocumentRow.from_json(item) for item in check(data["items"], list, "items")],
        opt_str(data, "next_cursor"),
        None if total is None else check(total, int, "total"),
    )


def _changes_page(data: Mapping[str, Any]) -> ChangesPage:
    return ChangesPage(
        [Change.from_json(item) for item in check(data["items"], list, "items")],
        check(data["next"], str, "next"),
        check(data["more"], bool, "more"),
    )


def _quoted(etag: str) -> str:
    bare = etag.removeprefix("W/").strip('"')
    return f'"{bare}"'


class DocumentsApi:
    """The documents endpoints, every call through :meth:`ApiClient.request` (tokens, errors in French)."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    async def search(
        self,
        params: SearchParams,
        cursor: str | None = None,
        limit: int = 200,
        *,
        with_total: bool = False,
    ) -> SearchPage:
        """One page; counted (``total``) only with ``with_total``, which costs the server a read of every
        match: the desktop shows the first page at once and asks :meth:`count` apart."""
        query = [*params.to_query(), ("limit", str(limit))]
        if cursor is not None:
            query.append(("cursor", cursor))
        if with_total:
            query.append(("total", "true"))
        return decode(await self.api.request("GET", "/documents", params=query), _search_page)

    async def trust_certificates(self) -> list[bytes]:
        """The certificates this server's seals and signatures chain to (PEM): the viewer's trust roots."""
        body = (await self.api.request("GET", "/trust/certificates")).json()
        items = body.get("certificates", []) if isinstance(body, dict) else []
        return [i["pem"].encode() for i in items if isinstance(i, dict) and isinstance(i.get("pem"), str)]

    async def count(self, params: SearchParams) -> int:
        """How many documents match (exact), asked apart from the first page so that it shows sooner."""
        page = await self.search(params, limit=1, with_total=True)
        assert page.total is not None
        return page.total

    async def iterate(self, params: SearchParams, page_size: int = 500) -> AsyncIterator[DocumentRow]:
        """Every row of the search, page after page (keyset: no row skipped nor repeated)."""
        cursor: str | None = None
        while True:
            page = await self.search(params, cursor, page_size)
            for row in page.items:
                yield row
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def describe(self, document_id: int) -> DocumentRow:
        return decode(await self.api.request("GET", f"/documents/{document_id}"), DocumentRow.from_json)

    async def download(self, document_id: int, *, etag: str | None = None) -> bytes | None:
        """The PDF's bytes, checked against the SHA-256 of the ETag; None when ``etag`` is still current.

        ``etag`` is the SHA-256 of the copy held (bare or quoted).
        """
        headers = {"Accept": "application/pdf"}
        if etag:
            headers["If-None-Match"] = _quoted(etag)
        response = await self.api.request("GET", f"/documents/{document_id}/file", headers=headers)
        if response.status_code == 304:
            return None
        body = response.content
        announced = response.headers.get("ETag")
        if announced and _quoted(announced) != _quoted(hashlib.sha256(body).hexdigest()):
            log.warning("document %s : contenu reçu différent de son empreinte annoncée", document_id)
            raise DownloadCorrupted()
        return body

    async def delete(self, document_id: int) -> None:
        """Delete an unsigned contract (F2.6); 409/403 problem+json otherwise, 410 if already gone."""
        await self.api.request("DELETE", f"/documents/{document_id}")

    async def changes(self, since: str | None, limit: int = 500) -> ChangesPage:
        """What changed after token ``since``; with None, no items and the current head token."""
        query: list[tuple[str, str]] = [("limit", str(limit))]
        if since is not None:
            query.append(("since", since))
        response = await self.api.request("GET", "/documents/changes", params=query)
        return decode(response, _changes_page)
