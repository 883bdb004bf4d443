"""Documents: search (F2.2–F2.4, F2.7), the change feed (F2.9), metadata, the PDF itself, deletion of an
unsigned contract (F2.6)."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, InvoiceState
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api.rules import DB, OUT_OF_SCOPE, AgencyRight, Principal, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.errors import Forbidden, Invalid
from coffreo_desktop.server.services import document_changes, document_search, documents

router = APIRouter(prefix="/documents", tags=["documents"])

SortName = Literal[
    "document_date",
    "doc_type",
    "title",
    "last_name",
    "first_name",
    "matricule",
    "client_name",
    "contract_number",
    "invoice_number",
    "size",
    "created_at",
    "invoice_state",
    "signature_state",  # in the order of the French labels: "Non signé", "Sans signature", "Signé"
    "agency",  # by the agency's name, then its id; each agency's documents by id
]
#: Any right on an agency lets its documents be seen (F1.3); the search narrows to those agencies.
ANY_ACCESS = AgencyRight(*Right)


@router.get("", response_model=document_search.SearchPage)
def search(
    request: Request,
    agency_id: int | None = None,
    brand_id: int | None = Query(
        default=None, description="Une entité : ses agences que l'appelant peut voir"
    ),
    doc_type: list[DocumentType] = Query(default=[], alias="type"),
    signed: document_search.Signed | None = None,
    period: Period = Period.ALL,
    criterion: str | None = None,
    value: str | None = Query(default=None, max_length=200),
    invoice_state: InvoiceState | None = None,
    sort: SortName = "document_date",
    order: document_search.Order = document_search.Order.DESC,
    limit: int = Query(default=document_search.DEFAULT_LIMIT, ge=1, le=document_search.MAX_LIMIT),
    cursor: str | None = Query(default=None, max_length=2000),
    total: bool = Query(default=False, description="Compter les résultats (sur demande seulement : coûteux)"),
    who: Principal = requires(ANY_ACCESS),
    db: Session = DB,
) -> document_search.SearchPage:
    query = document_search.SearchQuery(
        types=tuple(doc_type),
        signed=signed,
        period=period,
        criterion=criterion,
        value=value,
        invoice_state=invoice_state,
        sort=sort,
        order=order,
        limit=limit,
        cursor=cursor,
        # Counting reads every matching index entry (over 100 ms at 1,000,000 documents): only when asked.
        with_total=total,
        agency_ids=_scope(who, agency_id, brand_id),
        brand_id=brand_id,
    )
    # Periods count in days as users see them (Paris), not in UTC.
    today = now(request).astimezone(ZoneInfo(DISPLAY_TZ)).date()
    return document_search.search(db, query, today, who.rights)


def _scope(who: Principal, agency_id: int | None, brand_id: int | None) -> frozenset[int]:
    """The agencies searched: the one named (the rule checked it is in the caller's scope), those of the
    entity named that the caller may see, or every agency they may see."""
    if agency_id is not None:
        if brand_id is not None:
            raise Invalid("Choisissez une agence ou une entité, pas les deux.", code="agency_and_brand")
        return frozenset({agency_id})
    visible = who.agencies_with(*Right)
    if brand_id is None:
        return visible
    of_brand = frozenset(a for a in visible if who.rights.agency_brands.get(a) == brand_id)
    if not of_brand:  # like an agency outside the caller's scope: refused, not an empty list
        raise Forbidden(OUT_OF_SCOPE)
    return of_brand


@router.get("/changes", response_model=document_changes.ChangesPage)
def changes(
    since: str | None = Query(default=None, max_length=500),
    limit: int = Query(default=document_changes.DEFAULT_LIMIT, ge=1, le=document_changes.MAX_LIMIT),
    agency_id: int | None = None,
    who: Principal = requires(ANY_ACCESS),
    db: Session = DB,
) -> document_changes.ChangesPage:
    """What changed since ``since`` (created, changed, deleted), for the desktop's incremental sync.

    Declared before ``/{document_id}`` so that "changes" is not taken for a document id.
    """
    agencies = frozenset({agency_id}) if agency_id is not None else who.agencies_with(*Right)
    scope = document_changes.FeedScope(who.id, agencies)
    return document_changes.changes(db, scope, who.rights, since, limit)


@router.get("/{document_id}", response_model=document_search.DocumentView)
def describe(
    document_id: int, who: Principal = requires(ANY_ACCESS), db: Session = DB
) -> document_search.DocumentView:
    return documents.describe(db, document_id, who.rights)


@router.get("/{document_id}/file", response_class=FileResponse)
def download(
    request: Request, document_id: int, who: Principal = requires(ANY_ACCESS), db: Session = DB
) -> Response:
    doc = documents.visible_document(db, document_id, who.rights.visible_agencies())
    ctx: AppContext = request.app.state.ctx
    etag = f'"{doc.blob_sha256}"'
    if request.headers.get("if-none-match") == etag:  # the caller's copy is this very content
        return Response(status_code=304, headers={"ETag": etag})
    path = documents.verified_blob(ctx.blobs, doc)
    return FileResponse(
        path,
        media_type="application/pdf",
        filename=doc.file_name,
        headers={"ETag": etag, "Cache-Control": "private, no-store"},
    )


@router.delete("/{document_id}", status_code=204)
def delete(
    request: Request,
    document_id: int,
    who: Principal = requires(AgencyRight(Right.ADMIN)),
    db: Session = DB,
) -> Response:
    documents.delete(db, document_id, who.rights, who.actor, now(request))
    return Response(status_code=204)
