"""Documents search with keyset pagination (F2.2–F2.4, F2.7), metadata, verified download and deletion (F2.6).

Every function takes the agencies the caller may see and never returns anything outside them.

How a page stays as cheap at 1,000,000 documents as at 1,000, on SQLite and PostgreSQL: every sort has a
partial index (agency_id, sort key, id, filter columns) over live documents (models.documents,
SEARCH_SORT_KEYS). A page takes, for each agency in scope, the next ``limit + 1`` rows of that agency's range
of the index after the cursor, and merges them (UNION ALL, then ORDER BY ... LIMIT): a few index range
reads, never a sort of the whole result. The filters of the simple search are checked in the index; only the
advanced criterion (a "contains" LIKE) reads table rows. On SQLite the index is named (INDEXED BY): with
no statistics its planner would sometimes pick a filter's index and sort everything.

The total is exact but counted only when asked: by default on the first page (no cursor), never on the next
pages, whose ``total`` is None (the client keeps the first page's). Counting reads every matching index entry
(about 60 ms for 1,000,000 documents on SQLite, 110 ms on PostgreSQL), which no page should pay for: a client
that shows the first page at once asks for it with ``with_total=False`` and for the count separately
(:func:`count`).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState, can_delete
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.domain.rights import Right, RightSet
from coffreo_desktop.server.db.models import Agency, Document
from coffreo_desktop.server.db.models.documents import search_index_name
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
    # '' is written in the SQL, not bound: SQLite matches an index expression only to the same literal text
    # (models.documents.SEARCH_SORT_KEYS), and a bound parameter is never equal to it.
    return func.coalesce(type_coerce(column, String()), literal_column("''"))


#: Every sortable column (F2.4): the SQL key and how the cursor stores it. Each key is the expression of its
#: index (models.documents.SEARCH_SORT_KEYS); tests/server/test_documents_search.py checks the plans.
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
    #: Count the matching documents: None counts on the first page only (no cursor).
    with_total: bool | None = None


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
    sha256: str  # of the file: the desktop's offline cache checks what it keeps against it


@dataclass(frozen=True)
class SearchPage:
    items: list[DocumentView]
    next_cursor: str | None
    #: Every document the search finds, when counted (the first page by default); None otherwise.
    total: int | None


def like_pattern(value: str) -> str:
    """A "contains" LIKE pattern where % _ and the escape character itself match literally."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def unknown_criterion(name: str) -> Invalid:
    accepted = ", ".join(CRITERIA)
    return Invalid(
        f"Critère de recherche inconnu « {name} ». Critères acceptés : {accepted}.", code="unknown_criterion"
    )


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
        sha256=doc.blob_sha256,
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


@dataclass(frozen=True)
class _Shape:
    """What a search's SQL depends on, its values aside: the searches of one shape share one statement, built
    once (building and compiling the UNION of many agencies costs far more than running it)."""

    sort: str = "document_date"
    order: Order = Order.DESC
    limit: int = DEFAULT_LIMIT
    agencies: int = 0  # with ``lateral``, any number
    lateral: bool = False  # PostgreSQL: the scope is an array the statement runs through
    after: bool = False  # continues after a cursor
    types: bool = False
    signed: Signed | None = None
    since: bool = False
    criterion: str | None = None  # when a value is given
    invoice_state: bool = False

    @classmethod
    def of(cls, query: SearchQuery, today: date, lateral: bool = False) -> _Shape:
        if query.criterion is not None and query.criterion not in CRITERIA:
            raise unknown_criterion(query.criterion)
        return cls(
            query.sort,
            query.order,
            query.limit,
            0 if lateral else len(query.agency_ids),
            lateral,
            query.cursor is not None,
            bool(query.types),
            query.signed,
            query.period.since(today) is not None,
            query.criterion if query.value else None,
            query.invoice_state is not None,
        )

    def filters_only(self) -> _Shape:
        return _Shape(
            types=self.types,
            signed=self.signed,
            since=self.since,
            criterion=self.criterion,
            invoice_state=self.invoice_state,
        )


def _filters(shape: _Shape) -> list[ColumnElement[bool]]:
    """Every condition but the scope and the cursor; values are named parameters (see _values)."""
    # Written as the search indexes' own condition, so that both planners may use them (partial indexes).
    where: list[ColumnElement[bool]] = [Document.deleted_at.is_(None)]
    if shape.types:
        where.append(Document.doc_type.in_(bindparam("types", expanding=True)))
    if shape.signed is Signed.YES:
        where.append(Document.signature_state == SignatureState.SIGNED)
    elif shape.signed is Signed.NO:
        where.append(Document.signature_state == SignatureState.UNSIGNED)
    if shape.since:
        where.append(Document.document_date >= bindparam("since"))
    if shape.criterion is not None:
        column = CRITERIA[shape.criterion]
        where.append(func.lower(column).like(bindparam("pattern"), escape="\\"))
    if shape.invoice_state:
        where.append(Document.invoice_state == bindparam("invoice_state"))
    return where


def _values(query: SearchQuery, today: date) -> dict[str, Any]:
    """The values of the named parameters of _filters."""
    values: dict[str, Any] = {}
    if query.types:
        values["types"] = list(query.types)
    since = query.period.since(today)
    if since is not None:
        values["since"] = since
    if query.criterion is not None and query.value:
        values["pattern"] = like_pattern(query.value)
    if query.invoice_state is not None:
        values["invoice_state"] = query.invoice_state
    return values


def _ranges(shape: _Shape) -> list[tuple[tuple[ColumnElement[bool], ...], bool]]:
    """The rows after the cursor as index ranges, each with whether it is one tie of the key: the cursor's
    key with the ids beyond, then the keys beyond (no cursor: the whole range).

    Written so, not as (key, id) > (k, i): SQLite seeks a row value on its first column at most (on none for
    an expression), and would then step through every tie of the key (most documents have no invoice state).
    """
    if not shape.after:
        return [((), False)]
    key, _ = SORTS[shape.sort]
    # The cursor's key binds with the key's own type (dates and timestamps as the column stores them).
    bound, row = bindparam("after_key", type_=key.type), bindparam("after_id", type_=Document.id.type)
    if shape.order is Order.ASC:
        return [((key == bound, Document.id > row), True), ((key > bound,), False)]
    return [((key == bound, Document.id < row), True), ((key < bound,), False)]


def _agency_page(
    shape: _Shape, agency: ColumnElement[Any], span: tuple[ColumnElement[bool], ...], tie: bool
) -> Select[Any]:
    """The next rows of one agency in one range: a range of the sort's index read in order, no sort."""
    key, _ = SORTS[shape.sort]
    # Within a tie the order is the id's alone: SQLite would sort the whole tie for an ORDER BY on its
    # (constant) expression.
    row_order = Document.id.asc() if shape.order is Order.ASC else Document.id.desc()
    ordering = (row_order,) if tie else search_cursor.ordering((key, Document.id), shape.order is Order.ASC)
    return (
        select(key.label("sort_key"), Document.id.label("id"))
        .with_hint(Document, f"INDEXED BY {search_index_name(shape.sort)}", "sqlite")
        .where(Document.agency_id == agency, *_filters(shape), *span)
        .order_by(*ordering)
        .limit(shape.limit + 1)
    )


@functools.lru_cache(maxsize=256)
def _page_statement(shape: _Shape) -> Select[Any]:
    """One page: per agency and range, the next rows of the sort's index, merged; then their documents."""
    if shape.lateral:
        # PostgreSQL runs one per-agency query for each agency of an array (a LATERAL join): planned once,
        # whatever the number of agencies, where a UNION of hundreds of them takes longer to plan than to run.
        scope = (
            func.unnest(bindparam("agencies", type_=postgresql.ARRAY(BigInteger)))
            .table_valued("agency_id")
            .render_derived(name="scope")
        )
        arms = [_agency_page(shape, scope.c.agency_id, span, tie) for span, tie in _ranges(shape)]
        rows = (arms[0] if len(arms) == 1 else union_all(*arms)).lateral("rows")
        columns = (rows.c.sort_key, rows.c.id)
        merged = (
            select(*columns)
            .select_from(scope)
            .join(rows, true())
            .order_by(*search_cursor.ordering(columns, shape.order is Order.ASC))
            .limit(shape.limit + 1)
        )
    else:
        parts = [
            _agency_page(shape, bindparam(f"agency_{number}"), span, tie)
            for number in range(shape.agencies)
            for span, tie in _ranges(shape)
        ]
        merged = search_cursor.merged(parts, shape.order is Order.ASC, shape.limit + 1)
    page = merged.subquery("page")
    return (
        select(Document, Agency.name, page.c.sort_key)
        .select_from(page)
        .join(Document, Document.id == page.c.id)
        .join(Agency, Agency.id == Document.agency_id)
        .order_by(*search_cursor.ordering((page.c.sort_key, page.c.id), shape.order is Order.ASC))
    )


@functools.lru_cache(maxsize=64)
def _count_statement(shape: _Shape) -> Select[tuple[int]]:
    # Every search index holds the filter columns; the doc_type one serves the types as ranges, the
    # document_date one the period. A "contains" criterion alone reads every row of the scope: a plain scan
    # of the table costs less than reaching each row from an index (a tenth of it on SQLite).
    if shape.criterion is not None and not shape.since:
        hint = "NOT INDEXED"
    else:
        hint = f"INDEXED BY {search_index_name('doc_type' if shape.types else 'document_date')}"
    return (
        select(func.count())
        .select_from(Document)
        .with_hint(Document, hint, "sqlite")
        .where(Document.agency_id.in_(bindparam("agencies", expanding=True)), *_filters(shape))
    )


def count(session: Session, query: SearchQuery, today: date) -> int:
    """How many documents the search finds (its filters and scope; sort and cursor do not matter)."""
    if not query.agency_ids:
        return 0
    statement = _count_statement(_Shape.of(query, today).filters_only())
    return session.scalar(statement, {"agencies": sorted(query.agency_ids), **_values(query, today)}) or 0


def search(session: Session, query: SearchQuery, today: date, rights: RightSet) -> SearchPage:
    """One page of the caller's documents, keyset-paginated on (sort key, id)."""
    if query.sort not in SORTS:  # the router validates it; a guard for direct callers
        raise Invalid(f"Tri inconnu « {query.sort} ».", code="unknown_sort")
    lateral = session.get_bind().dialect.name == "postgresql"
    shape = _Shape.of(query, today, lateral)
    digest = query_digest(query)
    counted = query.with_total if query.with_total is not None else query.cursor is None
    total = count(session, query, today) if counted else None
    values = _values(query, today)
    if query.cursor:
        after = search_cursor.decode(query.cursor, SORTS[query.sort][1], query.sort, query.order, digest)
        values |= {"after_key": after.key, "after_id": after.id}
    if not query.agency_ids:
        return SearchPage([], None, total)
    if lateral:
        values["agencies"] = sorted(query.agency_ids)
    else:
        values |= {f"agency_{n}": agency for n, agency in enumerate(sorted(query.agency_ids))}
    rows = session.execute(_page_statement(shape), values).all()
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
