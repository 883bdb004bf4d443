"""A worker's salary advances from their vault (F5.1, F5.2): the agencies they may ask, a new request,
cancelling it while "Envoyée", and the list of their requests. Workers only (Recipient("employee"))."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, StrictFloat, StrictInt, StrictStr
from sqlalchemy.orm import Session

from coffreo_desktop.domain.advances import MAX_COMMENT
from coffreo_desktop.server.api.rules import DB, Principal, Recipient, now, requires
from coffreo_desktop.server.db.models.recipients import EMPLOYEE
from coffreo_desktop.server.services import recipient_advances as service
from coffreo_desktop.server.services.advance_policy import paris_today

router = APIRouter(prefix="/recipient/advances", tags=["destinataires"])
WORKER = Recipient(EMPLOYEE)


class AdvanceIn(BaseModel):
    agency_id: int
    amount: StrictStr | StrictInt | StrictFloat | None = Field(
        default=None,
        description="Montant en euros (« 120 », « 120,50 », 120.5) ; null : le montant maximum possible.",
    )
    wants_maximum: bool = False
    comment: str = Field(default="", max_length=MAX_COMMENT)


@router.get("/options", response_model=service.Options)
def options(request: Request, who: Principal = requires(WORKER), db: Session = DB) -> service.Options:
    """The employers and agencies the worker may ask, with today's maximum and any open request."""
    assert who.id is not None
    return service.options(db, who.id, today=paris_today(now(request)))


@router.get("", response_model=service.RecipientAdvances)
def requests(
    sort: Literal["date", "amount", "agency"] = Query(default="date"),
    order: Literal["asc", "desc"] = Query(default="desc"),
    who: Principal = requires(WORKER),
    db: Session = DB,
) -> service.RecipientAdvances:
    assert who.id is not None
    return service.list_requests(db, who.id, sort=sort, order=order)


@router.post("", response_model=service.RecipientAdvance, status_code=201)
def create(
    request: Request, body: AdvanceIn, who: Principal = requires(WORKER), db: Session = DB
) -> service.RecipientAdvance:
    """Send a request ("Envoyée"): 409 ``open_request_exists`` while another waits at that agency."""
    assert who.id is not None
    return service.create(
        db,
        who.id,
        agency_id=body.agency_id,
        amount=body.amount,
        wants_maximum=body.wants_maximum,
        comment=body.comment,
        now=now(request),
    )


@router.post("/{request_id}/cancel", response_model=service.RecipientAdvance)
def cancel(
    request: Request, request_id: int, who: Principal = requires(WORKER), db: Session = DB
) -> service.RecipientAdvance:
    """Cancel a request still "Envoyée"; 409 ``already_answered`` once the agency decided."""
    assert who.id is not None
    return service.cancel(db, who.id, request_id, now=now(request))
