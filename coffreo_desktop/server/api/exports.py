"""Server-side exports (F2.8, very large ones): ask for one, follow one's state, list one's own, and the
download by the emailed link (the link's token authenticates it: no session, as for an invitation)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, InvoiceState
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.periods import Period
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api.documents import ANY_ACCESS, SortName
from coffreo_desktop.server.api.rules import DB, Authenticated, Principal, Public, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.services import document_search, exports

router = APIRouter(prefix="/exports", tags=["exports"])


class ExportRequest(BaseModel):
    """The agencies (none: all the caller may see) and the search filters, as in GET /documents."""

    model_config = ConfigDict(extra="forbid")

    agency_ids: list[int] = Field(default_factory=list, max_length=1000)
    types: list[DocumentType] = Field(default_factory=list)
    signed: document_search.Signed | None = None
    period: Period = Period.ALL
    criterion: str | None = None
    value: str | None = Field(default=None, max_length=200)
    invoice_state: InvoiceState | None = None
    sort: SortName = "document_date"
    order: document_search.Order = document_search.Order.DESC
    include_pdfs: bool = False


@router.post("", status_code=202, response_model=exports.ExportView)
def create(
    request: Request, body: ExportRequest, who: Principal = requires(ANY_ACCESS), db: Session = DB
) -> exports.ExportView:
    filters = exports.ExportFilters(
        types=tuple(body.types),
        signed=body.signed,
        period=body.period,
        criterion=body.criterion,
        value=body.value,
        invoice_state=body.invoice_state,
        sort=body.sort,
        order=body.order,
    )
    moment = now(request)
    return exports.create(
        db,
        actor=who.actor,
        visible=who.agencies_with(*Right),
        agency_ids=body.agency_ids,
        filters=filters,
        include_pdfs=body.include_pdfs,
        today=moment.astimezone(ZoneInfo(DISPLAY_TZ)).date(),
        now=moment,
    )


@router.get("", response_model=list[exports.ExportView])
def recent(who: Principal = requires(Authenticated()), db: Session = DB) -> list[exports.ExportView]:
    return exports.recent(db, who.id)


@router.get("/{export_id}", response_model=exports.ExportView)
def describe(
    export_id: int, who: Principal = requires(Authenticated()), db: Session = DB
) -> exports.ExportView:
    return exports.view(exports.own_job(db, who.id, export_id))


@router.get("/{export_id}/file", response_class=FileResponse, dependencies=[requires(Public())])
def download(
    request: Request, export_id: int, token: str = Query(min_length=10, max_length=200), db: Session = DB
) -> FileResponse:
    ctx: AppContext = request.app.state.ctx
    job = exports.file_for_link(db, ctx.settings, export_id, token, now(request))
    zipped = bool(job.params.get("include_pdfs"))
    return FileResponse(
        exports.file_path(ctx.settings, job),
        media_type="application/zip" if zipped else "text/csv; charset=utf-8",
        filename=exports.download_name(job),
        headers={"ETag": f'"{job.blob_sha256}"', "Cache-Control": "private, no-store"},
    )
