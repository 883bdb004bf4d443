"""Documents search with keyset pagination (F2.2–F2.4, F2.7): the query, the rows it lists (``DocumentView``)
and their pages, and the exact count. Every function takes the agencies the caller may see and returns nothing
outside them. The SQL, and why a page costs the same at any depth, are in :mod:`document_search_sql`.

The sort by agency ranks the agencies in scope by (name, id) for each request, names from the agencies table
compared by code point (like SQLite's text sorts), equal names by id; its cursor holds the last row's agency
(name, id) and id, and the next page reads that agency after that id, then the agencies after it.

The total is exact but counted only when asked (``with_total=True``; the API's ``total=true``): counting
reads every matching index entry (about 60 ms for 1,000,000 documents on SQLite, 110 ms on PostgreSQL), which
no page should pay for; the desktop shows the first page at once and asks for the count apart (:func:`count`).
Direct callers may leave ``with_total`` None to count on the first page (no cursor) only (the server export's
progress).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState, can_delete
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.domain.rights import Right, RightSet
from coffreo_desktop.server.db.models import Agency, Document
from coffreo_desktop.server.db.models.documents import AGENCY_SORT
from coffreo_desktop.server.errors import Invalid
from coffreo_desktop.server.services import search_cursor
from coffreo_desktop.server.services.document_search_sql import (
    CRITERIA,
    SORTS,
    Order,
    Shape,
    Signed,
    count_statement,
    page_statement,
)

__all__ = [
    "CRITERIA",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "SORTS",
    "DocumentView",
    "Order",
    "SearchPage",
    "SearchQuery",
    "Signed",
    "count",
    "deletable",
    "like_pattern",
    "query_digest",
    "search",
    "unknown_criterion",
    "view_of",
]

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
#: Above every id: the bound of an agency's whole range read downwards (the sort by agency, "desc").
_ABOVE_EVERY_ID = 2**63 - 1


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
    #: The entity the scope was chosen by (``agency_ids`` are its agencies the caller sees): a cursor of an
    #: entity's search continues that search only.
    brand_id: int | None = None


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
    #: Every document the search finds, when counted (asked for); None otherwise.
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


def view_of(doc: Document, agency_name: str, rights: RightSet) -> DocumentView:
    """The row of the list for ``doc`` of the agency named ``agency_name``, as the caller holding ``rights``
    sees it (the bin icon depends on their rights)."""
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
            query.brand_id,
        ]
    )


def _shape(query: SearchQuery, today: date, lateral: bool = False) -> Shape:
    if query.criterion is not None and query.criterion not in CRITERIA:
        raise unknown_criterion(query.criterion)
    return Shape(
        query.sort,
        query.order,
        query.limit,
        0 if lateral else len(query.agency_ids),
        lateral,
        # The sort by agency continues after a cursor by bounds per agency, not by ranges of a key.
        query.cursor is not None and query.sort != AGENCY_SORT,
        bool(query.types),
        query.signed,
        query.period.since(today) is not None,
        query.criterion if query.value else None,
        query.invoice_state is not None,
    )


def _values(query: SearchQuery, today: date) -> dict[str, Any]:
    """The values of the named parameters of document_search_sql.filters."""
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


def count(session: Session, query: SearchQuery, today: date) -> int:
    """How many documents the search finds (its filters and scope; sort and cursor do not matter)."""
    if not query.agency_ids:
        return 0
    statement = count_statement(_shape(query, today).filters_only())
    return session.scalar(statement, {"agencies": sorted(query.agency_ids), **_values(query, today)}) or 0


def _ranked_agencies(
    session: Session, query: SearchQuery, after: search_cursor.Cursor | None
) -> list[tuple[int, int]]:
    """The sort by agency: the agencies in scope by (name, id) ascending, each with the id its range starts
    after: the cursor's own agency the cursor's id; the ones still to read, none; the ones already read, an
    id beyond every other (an empty range: the statement keeps one shape for every page of the search)."""
    ascending = query.order is Order.ASC
    start, done = (0, _ABOVE_EVERY_ID) if ascending else (_ABOVE_EVERY_ID, 0)
    named = sorted(
        (name, agency_id)
        for agency_id, name in session.execute(
            select(Agency.id, Agency.name).where(Agency.id.in_(sorted(query.agency_ids)))
        )
    )
    if after is None:
        return [(agency_id, start) for _, agency_id in named]
    mark, after_id = after.key, after.id
    assert isinstance(mark, tuple)  # search_cursor.decode, kind "agency"

    def bound(name: str, agency_id: int) -> int:
        # The cursor's agency is known by its id: renamed since, it takes its new place and still goes on
        # after the cursor's id. (Once the pages have left it, a renamed agency is placed by its new name, as
        # any row whose key changes: renamed to sort later, its rows come again.)
        if agency_id == mark[1]:
            return after_id
        return start if ((name, agency_id) > mark) is ascending else done

    return [(agency_id, bound(name, agency_id)) for name, agency_id in named]


def _scope_values(agencies: list[int], bounds: list[int] | None, lateral: bool) -> dict[str, Any]:
    if lateral:
        return {"agencies": agencies} | ({} if bounds is None else {"bounds": bounds})
    values = {f"agency_{n}": agency for n, agency in enumerate(agencies)}
    return values | ({} if bounds is None else {f"bound_{n}": bound for n, bound in enumerate(bounds)})


def search(session: Session, query: SearchQuery, today: date, rights: RightSet) -> SearchPage:
    """One page of the caller's documents, keyset-paginated on (sort key, id)."""
    if query.sort not in SORTS:  # the router validates it; a guard for direct callers
        raise Invalid(f"Tri inconnu « {query.sort} ».", code="unknown_sort")
    lateral = session.get_bind().dialect.name == "postgresql"
    shape = _shape(query, today, lateral)
    digest = query_digest(query)
    counted = query.with_total if query.with_total is not None else query.cursor is None
    total = count(session, query, today) if counted else None
    values = _values(query, today)
    after = None
    if query.cursor:
        after = search_cursor.decode(query.cursor, SORTS[query.sort][1], query.sort, query.order, digest)
    if not query.agency_ids:
        return SearchPage([], None, total)
    if query.sort == AGENCY_SORT:
        ranked = _ranked_agencies(session, query, after)
        if not ranked:  # agencies unknown to the agencies table: nothing to read
            return SearchPage([], None, total)
        shape = replace(shape, agencies=0 if lateral else len(ranked))
        values |= _scope_values([a for a, _ in ranked], [b for _, b in ranked], lateral)
    else:
        if after is not None:
            values |= {"after_key": after.key, "after_id": after.id}
        values |= _scope_values(sorted(query.agency_ids), None, lateral)
    rows = session.execute(page_statement(shape), values).all()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = None
    if more and rows:
        last_doc, last_name, last_key = rows[-1]
        key = (last_name, last_doc.agency_id) if query.sort == AGENCY_SORT else last_key
        next_cursor = search_cursor.encode(
            search_cursor.Cursor(query.sort, query.order, digest, key, last_doc.id)
        )
    return SearchPage([view_of(doc, name, rights) for doc, name, _ in rows], next_cursor, total)
