"""Health, and "Contactez-nous" (F1.4), which works logged in or not."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from coffreo_desktop import __version__
from coffreo_desktop.server.api.rules import DB, Public, now, requires
from coffreo_desktop.server.db.migrate import head_revision
from coffreo_desktop.server.services import support

router = APIRouter(tags=["système"])
PUBLIC = [requires(Public())]


class HealthOut(BaseModel):
    status: str
    version: str
    mode: str
    schema_revision: str


class SupportOut(BaseModel):
    email: str
    phone: str
    hours: str
    url: str


class SupportMessageIn(BaseModel):
    email: str = Field(max_length=254)
    subject: str = Field(min_length=1, max_length=200)
    message: str = Field(min_length=1, max_length=5000)


class SupportMessageOut(BaseModel):
    reference: str


@router.get("/health", response_model=HealthOut, dependencies=PUBLIC)
def health(request: Request) -> HealthOut:
    settings = request.app.state.ctx.settings
    return HealthOut(status="ok", version=__version__, mode=settings.mode, schema_revision=head_revision())


@router.get("/support", response_model=SupportOut, dependencies=PUBLIC)
def support_info(request: Request) -> SupportOut:
    s = request.app.state.ctx.settings
    return SupportOut(email=s.support_email, phone=s.support_phone, hours=s.support_hours, url=s.support_url)


@router.post("/support/messages", status_code=202, response_model=SupportMessageOut, dependencies=PUBLIC)
def support_message(body: SupportMessageIn, request: Request, db: Session = DB) -> SupportMessageOut:
    address = request.client.host if request.client else ""
    reference = support.queue_message(
        db,
        request.app.state.ctx.settings,
        str(body.email),
        body.subject,
        body.message,
        address=address,
        now=now(request),
    )
    return SupportMessageOut(reference=reference)
