"""Documents search with keyset pagination (F2.2–F2.4, F2.7), metadata, verified download and deletion (F2.6).

Every function takes the agencies the caller may see and never returns anything outside them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, String, func, literal, select, tuple_, type_coerce
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState, can_delete
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.domain.rights import Right, RightSet
from coffreo_desktop.server.db.models import Agency, Document
from coffreo_desktop.server.errors import Conflict, Forbidden, Gone, Invalid, NotFound, ProblemError
from coffreo_desktop.server.services import audit, search_cursor
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.storage.blobs import BlobCorrupted, BlobMissing, BlobStore

log = logging.getLogger(__name__)

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
NOT_FOUND = "Document introuvable."
DELETED = "Ce document a été supprimé entre-temps : actualisez la liste."
NO_DELETE_RIGHT = "La suppression d'un document demande le droit « A » sur son établissement."
SIGNED_CONTRACT = "Ce contrat est déjà signé : il ne peut plus être supprimé."
NOT_A_CONTRACT = "Seul un contrat non signé peut être supprimé ; ce document n'en est pas un."


class Signed(StrEnum):
    YES = "yes"
    NO = "no"


class Order(StrEnum):
    ASC = "asc"
    DESC = "desc"


#: The advanced search criteria (F2.3) and the column each one searches.
CRITERIA: dict[str, Any] = {
    "matricule": Document.matricule,
    "last_name": Document.employee_last_name,
    "first_name": Document.employee_first_name,
    "contract_number": Document.contract_number,
    "client": Document.client_name,
    "invoice_number": Document.invoice_number,
    "title": Document.title,
}


def _text(column: Any) -> ColumnElement[str]:
    # NULL sorts as '' on both databases (their NULL orders differ), so keyset comparisons never meet NULL.
    return func.coalesce(type_coerce(column, String()), "")


#: Every sortable column (F2.4): the SQL key and how the cursor stores it.
SORTS: dict[str, tuple[Any, search_cursor.KeyKind]] = {
    "document_date": (Document.document_date, "date"),
    "doc_type": (type_coerce(Document.doc_type, String()), "str"),
    "title": (Document.title, "str"),
    "last_name": (_text(Document.employee_last_name), "str"),
    "first_name": (_text(Document.employee_first_name), "str"),
    "matricule": (_text(Document.matricule), "str"),
    "client_name": (_text(Document.client_name), "str"),
    "contract_number": (_text(Document.contract_number), "str"),
    "invoice_number": (_text(Document.invoice_number), "str"),
    "size": (Document.size, "int"),
    "created_at": (Document.created_at, "datetime"),
    "invoice_state": (_text(Document.invoice_state), "str"),
}


@dataclass(frozen=True)
class SearchQuery:
    types: tuple[DocumentType, ...] = ()
    signed: Signed | None = None
    period: Period = Period.ALL
    criterion: str | None = None
    value: str | None = None
    invoice_state: InvoiceState | None = None
    sort: str = "document_date"
    order: Order = Order.DESC
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    agency_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class DocumentView:
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


@dataclass(frozen=True)
class SearchPage:
    items: list[DocumentView]
    next_cursor: str | None
    total: int


def like_pattern(value: str) -> str:
    """A "contains" LIKE pattern where % _ and the escape character itself match literally."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def unknown_criterion(name: str) -> Invalid:
    accepted = ", ".join(CRITERIA)
    return Invalid(
        f"Critère de recherche inconnu « {name} ». Critères acceptés : {accepted}.", code="unknown_criterion"
    )


def _filters(query: SearchQuery, today: date) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        Document.agency_id.in_(sorted(query.agency_ids)),
        Document.deleted_at.is_(None),
    ]
    if query.types:
        where.append(Document.doc_type.in_(query.types))
    if query.signed is Signed.YES:
        where.append(Document.signature_state == SignatureState.SIGNED)
    elif query.signed is Signed.NO:
        where.append(Document.signature_state == SignatureState.UNSIGNED)
    since = query.period.since(today)
    if since is not None:
        where.append(Document.document_date >= since)
    if query.criterion is not None:
        if query.criterion not in CRITERIA:
            raise unknown_criterion(query.criterion)
        if query.value:
            column = CRITERIA[query.criterion]
            where.append(func.lower(column).like(like_pattern(query.value), escape="\\"))
    if query.invoice_state is not None:
        where.append(Document.invoice_state == query.invoice_state)
    return where


def deletable(doc: Document) -> bool:
    return can_delete(
        doc.doc_type,
        doc.signature_state is not SignatureState.NOT_REQUIRED,
        doc.signature_state is SignatureState.SIGNED,
    )


def _view(doc: Document, agency_name: str, rights: RightSet) -> DocumentView:
    return DocumentView(
        id=doc.id,
        agency_id=doc.agency_id,
        agency_name=agency_name,
        doc_type=doc.doc_type,
        title=doc.title,
        file_name=doc.file_name,
        size=doc.size,
        pages=doc.pages,
        document_date=doc.document_date,
        employee_first_name=doc.employee_first_name,
        employee_last_name=doc.employee_last_name,
        matricule=doc.matricule,
        client_name=doc.client_name,
        contract_number=doc.contract_number,
        invoice_number=doc.invoice_number,
        signature_state=doc.signature_state,
        signed_at=doc.signed_at,
        invoice_state=doc.invoice_state,
        # The bin icon: the domain rule, and the "A" right on the document's agency.
        can_delete=deletable(doc) and rights.has(Right.ADMIN, doc.agency_id),
        created_at=doc.created_at,
    )


def query_digest(query: SearchQuery) -> str:
    """What a cursor is bound to: the filters and the scope of the search it continues."""
    return search_cursor.filters_digest(
        [
            sorted(query.types),
            query.signed,
            query.period,
            query.criterion,
            query.value,
            query.invoice_state,
            sorted(query.agency_ids),
        ]
    )


def search(session: Session, query: SearchQuery, today: date, rights: RightSet) -> SearchPage:
    """One page of the caller's documents, keyset-paginated on (sort key, id)."""
    if query.sort not in SORTS:  # the router validates it; a guard for direct callers
        raise Invalid(f"Tri inconnu « {query.sort} ».", code="unknown_sort")
    where = _filters(query, today)
    key, kind = SORTS[query.sort]
    digest = query_digest(query)
    total = session.scalar(select(func.count()).select_from(Document).where(*where)) or 0
    page_where = list(where)
    if query.cursor:
        after = search_cursor.decode(query.cursor, kind, query.sort, query.order, digest)
        position = tuple_(key, Document.id)
        # The cursor's key binds with the key's own type (dates and timestamps as the column stores them).
        bound = tuple_(literal(after.key, type_=key.type), after.id)
        page_where.append(position > bound if query.order is Order.ASC else position < bound)
    ordering = (
        (key.asc(), Document.id.asc()) if query.order is Order.ASC else (key.desc(), Document.id.desc())
    )
    rows = session.execute(
        select(Document, Agency.name, key.label("sort_key"))
        .join(Agency, Agency.id == Document.agency_id)
        .where(*page_where)
        .order_by(*ordering)
        .limit(query.limit + 1)
    ).all()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = None
    if more and rows:
        last_doc, _, last_key = rows[-1]
        next_cursor = search_cursor.encode(
            search_cursor.Cursor(query.sort, query.order, digest, last_key, last_doc.id)
        )
    return SearchPage([_view(doc, name, rights) for doc, name, _ in rows], next_cursor, total)


def visible_document(session: Session, document_id: int, visible: Collection[int]) -> Document:
    """The document if its agency is visible to the caller (404 otherwise: existence is not revealed);
    410 if it was deleted."""
    doc = session.get(Document, document_id)
    if doc is None or doc.agency_id not in visible:
        raise NotFound(NOT_FOUND, code="document_not_found")
    if doc.deleted_at is not None:
        raise Gone(DELETED, code="document_deleted")
    return doc


def describe(session: Session, document_id: int, rights: RightSet) -> DocumentView:
    doc = visible_document(session, document_id, rights.visible_agencies())
    agency = session.get(Agency, doc.agency_id)
    assert agency is not None  # foreign key
    return _view(doc, agency.name, rights)


def verified_blob(blobs: BlobStore, doc: Document) -> Path:
    """The blob's path after checking its SHA-256 (a corrupted file is never served, even partly)."""
    try:
        with blobs.open(doc.blob_sha256) as handle:
            digest = hashlib.sha256()
            while chunk := handle.read(256 * 1024):
                digest.update(chunk)
    except (BlobCorrupted, BlobMissing) as exc:
        log.error("document %s : fichier illisible ou altéré (%s)", doc.id, exc)
        raise ProblemError(
            "Le fichier de ce document est altéré dans le stockage ; l'équipe technique est prévenue.",
            code="blob_corrupted",
            status=500,
        ) from None
    return blobs.path(doc.blob_sha256)


def delete(session: Session, document_id: int, rights: RightSet, actor: Actor, now: datetime) -> None:
    """Soft-delete an unsigned contract (F2.6) for a caller holding "A" on its agency; audited."""
    doc = visible_document(session, document_id, rights.visible_agencies())
    if not rights.has(Right.ADMIN, doc.agency_id):
        raise Forbidden(NO_DELETE_RIGHT)
    if not deletable(doc):
        reason = SIGNED_CONTRACT if doc.doc_type.is_contract else NOT_A_CONTRACT
        raise Conflict(reason, code="not_deletable")
    doc.deleted_at = now
    doc.changed_at = now
    audit.record(
        session,
        actor,
        "document.deleted",
        "document",
        doc.id,
        agency_id=doc.agency_id,
        details={"doc_type": doc.doc_type.value, "title": doc.title},
    )
