"""Demandes d'acomptes, staff side (F5.3, F5.4, F5.6, F5.7): the pending queue and its count for the badge,
the history and its CSV, the payroll file, a request's detail and the decision, the agency's policy. Right
"DA" on every route but the policy's (read: "DA" or "A"; change: "A"); lists cover the caller's "DA"
agencies whose brand has the service (or the one asked for). Contract: /tmp/advance_contract.md."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api.advances_models import (
    AdvanceDetail,
    AdvanceOut,
    AdvancePage,
    DecisionIn,
    MaximumOut,
    PendingCountOut,
    PolicyIn,
    PolicyOut,
)
from coffreo_desktop.server.api.rules import DB, AgencyRight, Principal, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.errors import Forbidden, Invalid
from coffreo_desktop.server.services import advances as service
from coffreo_desktop.server.services import advances_csv, advances_scope
from coffreo_desktop.server.services.advance_policy import policy_of, set_policy
from coffreo_desktop.server.services.advances_sql import Filters

router = APIRouter(prefix="/advances", tags=["demandes d'acomptes"])
# "DA" on the agency named by agency_id when given, else on at least one agency; the handlers then
# restrict every query to the caller's "DA" agencies, and a request outside them answers 404.
DA = AgencyRight(Right.ACOMPTES)
# The policy is read by those who process requests and by administrators; only "A" changes it.
POLICY_READ = AgencyRight(Right.ACOMPTES, Right.ADMIN)
POLICY_WRITE = AgencyRight(Right.ADMIN)


def _agencies(db: Session, who: Principal, agency_id: int | None) -> frozenset[int]:
    """The caller's "DA" agencies whose brand has the service (or the one asked for: 403 when its brand
    does not have it); "all my agencies" silently leaves out those without the service."""
    mine = who.agencies_with(Right.ACOMPTES)
    if agency_id is None:
        return advances_scope.with_service(db, mine)
    asked = mine & {agency_id}  # the rule checked "DA" on it
    if not advances_scope.with_service(db, asked):
        raise Forbidden(advances_scope.SERVICE_OFF, code="service_disabled")
    return asked


def _filters(
    db: Session, who: Principal, agency_id: int | None, date_from: date | None, date_to: date | None
) -> Filters:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise Invalid("La date de début doit précéder la date de fin.", code="invalid_period")
    return Filters(_agencies(db, who, agency_id), date_from, date_to)


def _page(page: service.Page) -> AdvancePage:
    assert page.total is not None
    return AdvancePage(
        items=[AdvanceOut(**item) for item in page.items], next_cursor=page.next_cursor, total=page.total
    )


@router.get("/pending", response_model=AdvancePage, summary="Demandes à traiter (les plus anciennes d'abord)")
def pending(
    agency_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    cursor: str | None = None,
    limit: int = 100,
    who: Principal = requires(DA),
    db: Session = DB,
) -> AdvancePage:
    return _page(service.pending(db, _filters(db, who, agency_id, date_from, date_to), cursor, limit))


@router.get(
    "/pending/count",
    response_model=PendingCountOut,
    summary="Nombre de demandes à traiter (ETag : If-None-Match répond 304 quand rien n'a changé)",
)
def pending_count(request: Request, who: Principal = requires(DA), db: Session = DB) -> Response:
    counted = service.pending_count(db, _agencies(db, who, None))
    headers = {"ETag": counted.etag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == counted.etag:
        return Response(status_code=304, headers=headers)
    body = PendingCountOut(
        total=counted.total,
        by_agency={str(a): n for a, n in sorted(counted.by_agency.items())},
        latest_id=counted.latest_id,
    )
    return Response(body.model_dump_json(), media_type="application/json", headers=headers)


@router.get("/history", response_model=AdvancePage, summary="Historique des demandes")
def history(
    agency_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    sort: str = "decided_at",
    order: str = "desc",
    cursor: str | None = None,
    limit: int = 100,
    who: Principal = requires(DA),
    db: Session = DB,
) -> AdvancePage:
    filters = _filters(db, who, agency_id, date_from, date_to)
    return _page(service.history(db, filters, sort, order, cursor, limit))


def _csv(name: str, rows: Iterator[bytes]) -> StreamingResponse:
    return StreamingResponse(
        rows,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/history.csv", response_class=StreamingResponse, summary="Export CSV de l'historique")
def history_csv(
    request: Request,
    agency_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    sort: str = "decided_at",
    order: str = "desc",
    who: Principal = requires(DA),
    db: Session = DB,
) -> Response:
    filters = _filters(db, who, agency_id, date_from, date_to)
    service.history(db, filters, sort, order, None, 1)  # checks sort and order before answering 200
    ctx: AppContext = request.app.state.ctx

    def rows() -> Iterator[bytes]:
        # Streamed from its own reader session: the request's closes once the handler returns.
        with ctx.db.reader() as session:
            views = service.iter_history(session, filters, sort, order)
            yield from advances_csv.encoded(
                advances_csv.HISTORY_HEADERS, (advances_csv.history_cells(v) for v in views)
            )

    return _csv("historique-acomptes.csv", rows())


@router.get(
    "/payroll.csv", response_class=StreamingResponse, summary="Acomptes accordés sur une période (paie)"
)
def payroll_csv(
    request: Request,
    agency_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    who: Principal = requires(DA),
    db: Session = DB,
) -> Response:
    filters = _filters(db, who, agency_id, date_from, date_to)
    ctx: AppContext = request.app.state.ctx

    def rows() -> Iterator[bytes]:
        with ctx.db.reader() as session:
            views = advances_csv.payroll_rows(session, filters)
            yield from advances_csv.encoded(
                advances_csv.PAYROLL_HEADERS, (advances_csv.payroll_cells(v) for v in views)
            )

    period = f"-{date_from:%Y%m%d}" if date_from else ""
    period += f"-{date_to:%Y%m%d}" if date_to else ""
    return _csv(f"acomptes-paie{period}.csv", rows())


@router.get("/policy", response_model=PolicyOut, summary="Politique d'acompte d'un établissement")
def policy(
    agency_id: int | None = None, who: Principal = requires(POLICY_READ), db: Session = DB
) -> PolicyOut:
    if agency_id is None:
        raise Invalid("Indiquez l'établissement (agency_id).", code="agency_required")
    found = policy_of(db, agency_id)
    return PolicyOut(agency_id=agency_id, percent=found.percent, ceiling_cents=found.ceiling_cents)


# Not narrowed to the service: an administrator may prepare the policy before the service is switched on.
@router.put("/policy", response_model=PolicyOut, summary="Modifier la politique d'acompte (droit « A »)")
def put_policy(
    body: PolicyIn,
    agency_id: int | None = None,
    who: Principal = requires(POLICY_WRITE),
    db: Session = DB,
) -> PolicyOut:
    if agency_id is None:
        raise Invalid("Indiquez l'établissement (agency_id).", code="agency_required")
    changed = set_policy(db, who.actor, agency_id, body.percent, body.ceiling)
    return PolicyOut(agency_id=agency_id, percent=changed.percent, ceiling_cents=changed.ceiling_cents)


@router.get("/{request_id}", response_model=AdvanceDetail, summary="Détail d'une demande")
def detail(
    request: Request, request_id: int, who: Principal = requires(DA), db: Session = DB
) -> AdvanceDetail:
    agencies = _agencies(db, who, None)
    view = service.visible(db, agencies, request_id)
    return AdvanceDetail(
        request=AdvanceOut(**view),
        maximum=MaximumOut.of(service.maximum_of(db, view, now(request))),
        past=[AdvanceOut(**p) for p in service.past_requests(db, agencies, view)],
    )


def _version(request: Request, body: DecisionIn) -> int:
    if body.version is not None:
        return body.version
    raw = request.headers.get("if-match", "").strip().strip('"').removeprefix("W/").strip('"')
    if raw.isdigit():
        return int(raw)
    raise Invalid(
        "Indiquez la version lue (version) : elle évite de traiter une demande déjà traitée par un collègue.",
        code="version_required",
    )


@router.post("/{request_id}/decision", response_model=AdvanceOut, summary="Accepter ou refuser une demande")
def decide(
    request: Request, request_id: int, body: DecisionIn, who: Principal = requires(DA), db: Session = DB
) -> AdvanceOut:
    ctx: AppContext = request.app.state.ctx
    decision = service.Decision(body.decision, body.amount, body.comment, _version(request, body))
    view = service.decide(
        db, ctx.settings, who.actor, _agencies(db, who, None), request_id, decision, now(request)
    )
    return AdvanceOut(**view)
