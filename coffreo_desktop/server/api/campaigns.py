"""Diffusion pilotée (F4) routes: campaigns of an agency or a brand, their documents, launch and close,
duplicate, and the recipients (list, counts per day, CSV, mail). Contract: /tmp/campaign_contract.md."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from coffreo_desktop.domain import campaigns as rules
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.api import uploads
from coffreo_desktop.server.api.campaigns_models import (
    CampaignIn,
    CampaignList,
    CampaignOut,
    ClientOut,
    DailyOut,
    DayCount,
    DeliveryOut,
    DeliveryPage,
    OptionsOut,
    PeriodIn,
    Synthesis,
    VersionIn,
    view,
)
from coffreo_desktop.server.api.rules import DB, AgencyRight, Principal, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models.campaigns import Campaign
from coffreo_desktop.server.errors import Invalid
from coffreo_desktop.server.services import campaigns as service
from coffreo_desktop.server.services import campaigns_deliveries as deliveries
from coffreo_desktop.server.services import campaigns_documents as campaign_documents
from coffreo_desktop.server.services.documents import verified_blob

router = APIRouter(prefix="/campaigns", tags=["diffusion pilotée"])
# "D" on the agency named by agency_id when given, else on at least one agency; the handler then checks
# the campaign's own scope (brand campaigns need "D" granted on the brand). The right is repeated only
# because tests/server/test_route_rules.py names its test users after a rule's rights and path, not
# its method: two routes of one path need two distinct tuples.
READ = AgencyRight(Right.DIFFUSION)
WRITE = AgencyRight(Right.DIFFUSION, Right.DIFFUSION)
REMOVE = AgencyRight(Right.DIFFUSION, Right.DIFFUSION, Right.DIFFUSION)


def _scope(db: Session, who: Principal, agency_id: int | None, brand_id: int | None) -> service.ScopeRef:
    scope = service.ScopeRef.of(agency_id, brand_id)
    service.check_scope(db, who.rights, scope)
    return scope


def _today(request: Request) -> date:
    return service.today_of(now(request))


@router.get("", response_model=CampaignList, summary="Diffusions d'un établissement ou d'une marque")
def list_campaigns(
    request: Request,
    agency_id: int | None = None,
    brand_id: int | None = None,
    state: CampaignState | None = None,
    who: Principal = requires(READ),
    db: Session = DB,
) -> CampaignList:
    scope = _scope(db, who, agency_id, brand_id)
    today = _today(request)
    found = service.listed(db, scope, state)
    # The synthesis covers the scope's launched campaigns whatever tab (state) is listed.
    active = found if state is CampaignState.ACTIVE else service.listed(db, scope, CampaignState.ACTIVE)
    counts = service.delivery_counts(db, list({c.id for c in [*found, *active]}))
    running = [c for c in active if rules.is_running(c.state, c.starts_on, c.ends_on, today)]
    planned = [c for c in active if c.starts_on is not None and c.starts_on > today]
    synthesis = Synthesis(
        running=len(running), planned=len(planned), deliveries=sum(counts.get(c.id, 0) for c in running)
    )
    return CampaignList(synthesis=synthesis, items=[view(db, c, today, counts) for c in found])


@router.get("/options", response_model=OptionsOut, summary="Options d'une diffusion pour l'entité")
def options(
    request: Request,
    agency_id: int | None = None,
    brand_id: int | None = None,
    who: Principal = requires(READ),
    db: Session = DB,
) -> OptionsOut:
    scope = _scope(db, who, agency_id, brand_id)
    return OptionsOut(
        signed_available=service.signed_available(db, scope),
        clients=[ClientOut(id=c.id, name=c.name) for c in service.clients_of(db, scope)],
        max_retroactive_days=rules.MAX_RETROACTIVE_DAYS,
        max_document_size=rules.MAX_DOCUMENT_SIZE,
        earliest_retroactive_start=rules.earliest_start(_today(request), True),
    )


@router.post("", status_code=201, response_model=CampaignOut, summary="Créer une diffusion (brouillon)")
def create(
    request: Request, body: CampaignIn, who: Principal = requires(WRITE), db: Session = DB
) -> CampaignOut:
    scope = _scope(db, who, body.agency_id, body.brand_id)
    campaign = service.create(db, who.actor, scope, body.settings(), now(request))
    return view(db, campaign, _today(request))


def _campaign(db: Session, who: Principal, campaign_id: int) -> Campaign:
    return service.visible_campaign(db, who.rights, campaign_id)


@router.get("/{campaign_id}", response_model=CampaignOut, summary="Détail d'une diffusion")
def describe(
    request: Request, campaign_id: int, who: Principal = requires(READ), db: Session = DB
) -> CampaignOut:
    return view(db, _campaign(db, who, campaign_id), _today(request))


@router.put(
    "/{campaign_id}",
    response_model=CampaignOut,
    summary="Modifier une diffusion",
    responses={409: {"description": "Version périmée (stale_campaign) ou diffusion archivée"}},
)
def modify(
    request: Request, campaign_id: int, body: CampaignIn, who: Principal = requires(WRITE), db: Session = DB
) -> CampaignOut:
    campaign = _campaign(db, who, campaign_id)
    service.update_settings(db, who.actor, campaign, body.settings(), body.version, now(request))
    return view(db, campaign, _today(request))


@router.delete("/{campaign_id}", status_code=204, summary="Supprimer une diffusion sauvegardée")
def delete(
    request: Request,
    campaign_id: int,
    version: int | None = None,
    who: Principal = requires(REMOVE),
    db: Session = DB,
) -> Response:
    service.delete(db, who.actor, _campaign(db, who, campaign_id), version, now(request))
    return Response(status_code=204)


_FORM_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "Le PDF (2 Mo maximum)",
                        },
                        "title": {"type": "string", "maxLength": rules.MAX_DOCUMENT_TITLE},
                        "version": {"type": "integer"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/{campaign_id}/documents",
    status_code=201,
    response_model=CampaignOut,
    summary="Ajouter un document à une diffusion sauvegardée",
    responses={413: {"description": "Fichier de plus de 2 Mo"}, 422: {"description": "PDF refusé"}},
    openapi_extra=_FORM_SCHEMA,
)
async def add_document(
    request: Request, campaign_id: int, who: Principal = requires(WRITE), db: Session = DB
) -> CampaignOut:
    ctx: AppContext = request.app.state.ctx
    await run_in_threadpool(_campaign, db, who, campaign_id)
    # End the rule's transaction (the SQLite write lock) while the client streams its upload.
    await run_in_threadpool(db.commit)
    async with uploads.receive_form(
        request, uploads.upload_dir(ctx.settings), max_file_size=rules.MAX_DOCUMENT_SIZE
    ) as form:
        upload = form.file("file")
        raw_version = form.fields.get("version", "").strip()
        if raw_version and not raw_version.isdigit():
            raise Invalid("La version est un nombre entier.")

        def attach() -> CampaignOut:
            campaign = _campaign(db, who, campaign_id)
            campaign_documents.add_document(
                db,
                ctx.blobs,
                who.actor,
                campaign,
                path=upload.path,
                file_name=upload.file_name,
                title=form.fields.get("title", ""),
                version=int(raw_version) if raw_version else None,
                now=now(request),
            )
            return view(db, campaign, _today(request))

        return await run_in_threadpool(attach)


@router.delete(
    "/{campaign_id}/documents/{document_id}",
    response_model=CampaignOut,
    summary="Retirer un document d'une diffusion sauvegardée",
)
def remove_document(
    request: Request,
    campaign_id: int,
    document_id: int,
    version: int | None = None,
    who: Principal = requires(REMOVE),
    db: Session = DB,
) -> CampaignOut:
    campaign = _campaign(db, who, campaign_id)
    campaign_documents.remove_document(db, who.actor, campaign, document_id, version, now(request))
    return view(db, campaign, _today(request))


@router.get(
    "/{campaign_id}/documents/{document_id}/file",
    response_class=FileResponse,
    summary="Le PDF d'un document de diffusion",
)
def document_file(
    request: Request, campaign_id: int, document_id: int, who: Principal = requires(READ), db: Session = DB
) -> Response:
    doc = campaign_documents.campaign_document(db, _campaign(db, who, campaign_id), document_id)
    ctx: AppContext = request.app.state.ctx
    path = verified_blob(ctx.blobs, doc)  # type: ignore[arg-type]  # reads only .id and .blob_sha256
    return FileResponse(
        path,
        media_type="application/pdf",
        filename=doc.file_name,
        headers={"Cache-Control": "private, no-store"},
    )


@router.post("/{campaign_id}/launch", response_model=CampaignOut, summary="Lancer la diffusion")
def launch(
    request: Request, campaign_id: int, body: VersionIn, who: Principal = requires(WRITE), db: Session = DB
) -> CampaignOut:
    ctx: AppContext = request.app.state.ctx
    campaign = _campaign(db, who, campaign_id)
    service.launch(db, ctx.blobs, who.actor, campaign, body.version, now(request), settings=ctx.settings)
    return view(db, campaign, _today(request))


@router.post("/{campaign_id}/close", response_model=CampaignOut, summary="Clôturer la diffusion")
def close(
    request: Request, campaign_id: int, body: VersionIn, who: Principal = requires(WRITE), db: Session = DB
) -> CampaignOut:
    campaign = _campaign(db, who, campaign_id)
    service.close(db, who.actor, campaign, body.version, now(request))
    return view(db, campaign, _today(request))


@router.post("/{campaign_id}/duplicate", status_code=201, response_model=CampaignOut, summary="Dupliquer")
def duplicate(
    request: Request, campaign_id: int, who: Principal = requires(WRITE), db: Session = DB
) -> CampaignOut:
    copy = service.duplicate(db, who.actor, _campaign(db, who, campaign_id), now(request))
    return view(db, copy, _today(request))


@router.get("/{campaign_id}/deliveries", response_model=DeliveryPage, summary="Destinataires")
def list_deliveries(
    campaign_id: int,
    from_: date | None = Query(None, alias="from"),
    to: date | None = None,
    cursor: str | None = Query(None, max_length=80),
    limit: int = Query(100, ge=1, le=500),
    who: Principal = requires(READ),
    db: Session = DB,
) -> DeliveryPage:
    campaign = _campaign(db, who, campaign_id)
    items, next_cursor, total = deliveries.page(db, campaign.id, from_, to, cursor, limit)
    return DeliveryPage(
        items=[
            DeliveryOut(
                employee_id=i.employee_id,
                matricule=i.matricule,
                first_name=i.first_name,
                last_name=i.last_name,
                agency_name=i.agency_name,
                delivered_at=i.delivered_at,
            )
            for i in items
        ],
        next_cursor=next_cursor,
        total=total,
    )


@router.get("/{campaign_id}/deliveries/daily", response_model=DailyOut, summary="Diffusions par jour")
def daily_deliveries(
    campaign_id: int,
    from_: date | None = Query(None, alias="from"),
    to: date | None = None,
    who: Principal = requires(READ),
    db: Session = DB,
) -> DailyOut:
    campaign = _campaign(db, who, campaign_id)
    return DailyOut(days=[DayCount(day=d, count=n) for d, n in deliveries.daily(db, campaign.id, from_, to)])


@router.get(
    "/{campaign_id}/deliveries.csv",
    response_class=StreamingResponse,
    summary="Export CSV des destinataires",
)
def deliveries_csv(
    campaign_id: int,
    from_: date | None = Query(None, alias="from"),
    to: date | None = None,
    who: Principal = requires(READ),
    db: Session = DB,
) -> Response:
    campaign = _campaign(db, who, campaign_id)
    # Built before answering: the request's session closes once the handler returns.
    body = b"".join(deliveries.csv_bytes(db, campaign.id, from_, to))
    name = f"diffusion-{campaign.id}-destinataires.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/{campaign_id}/deliveries/mail",
    status_code=202,
    summary="Envoyer l'export des destinataires par courriel",
)
def mail_deliveries(
    request: Request, campaign_id: int, body: PeriodIn, who: Principal = requires(WRITE), db: Session = DB
) -> dict[str, int]:
    campaign = _campaign(db, who, campaign_id)
    count = deliveries.mail_export(db, who.actor, campaign, body.from_, body.to, now(request))
    return {"rows": count}
