"""The recipient side (F7.1): activation, login, a worker's vault or a client user's company space, the
download that feeds invoice control (F2.7), invoice validation, and signing with a one-time code mailed
(issue 4). Staff routes never accept these tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from coffreo_desktop.server.api.auth import PasswordIn, RefreshIn, TokensOut
from coffreo_desktop.server.api.rules import DB, Principal, Public, Recipient, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models.recipients import CLIENT_USER
from coffreo_desktop.server.pdf.entity_keys import seal_keys
from coffreo_desktop.server.services import recipient_auth, recipient_documents, recipient_signing
from coffreo_desktop.server.services.auth import IssuedTokens
from coffreo_desktop.server.services.documents import verified_blob

router = APIRouter(prefix="/recipient", tags=["destinataires"])
PUBLIC = [requires(Public())]


class RecipientCredentials(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)
    kind: Literal["employee", "client_user"] = Field(
        description="« employee » : coffre-fort d'un salarié ; "
        "« client_user » : espace d'une entreprise cliente."
    )


class ActivationOut(BaseModel):
    kind: str
    email: str
    first_name: str
    last_name: str


def _tokens(issued: IssuedTokens) -> TokensOut:
    return TokensOut(
        access_token=issued.access_token, refresh_token=issued.refresh_token, expires_in=issued.expires_in
    )


@router.get("/activation/{token}", response_model=ActivationOut, dependencies=PUBLIC)
def activation(token: str, request: Request, db: Session = DB) -> ActivationOut:
    view = recipient_auth.describe_activation(db, token, now=now(request))
    return ActivationOut(
        kind=view.kind, email=view.email, first_name=view.first_name, last_name=view.last_name
    )


@router.post("/activation/{token}", status_code=204, dependencies=PUBLIC)
def activate(token: str, body: PasswordIn, request: Request, db: Session = DB) -> Response:
    recipient_auth.activate(db, token, body.password, now=now(request))
    return Response(status_code=204)


@router.post("/token", response_model=TokensOut, dependencies=PUBLIC)
def token(body: RecipientCredentials, request: Request, db: Session = DB) -> TokensOut:
    address = request.client.host if request.client else ""
    issued = recipient_auth.login(db, body.kind, body.email, body.password, address=address, now=now(request))
    return _tokens(issued)


@router.post("/refresh", response_model=TokensOut, dependencies=PUBLIC)
def refresh(body: RefreshIn, request: Request, db: Session = DB) -> TokensOut:
    return _tokens(recipient_auth.refresh(db, body.refresh_token, now=now(request)))


@router.post("/logout", status_code=204, dependencies=PUBLIC)
def logout(body: RefreshIn, request: Request, db: Session = DB) -> Response:
    recipient_auth.logout(db, body.refresh_token, now=now(request))
    return Response(status_code=204)


@router.get("/documents", response_model=recipient_documents.RecipientPage)
def documents(
    limit: int = Query(default=recipient_documents.DEFAULT_LIMIT, ge=1, le=recipient_documents.MAX_LIMIT),
    cursor: str | None = Query(default=None, max_length=2000),
    who: Principal = requires(Recipient()),
    db: Session = DB,
) -> recipient_documents.RecipientPage:
    assert who.id is not None
    return recipient_documents.list_documents(db, who.id, limit=limit, cursor=cursor)


@router.get("/documents/{document_id}/file", response_class=FileResponse)
def download(
    request: Request, document_id: int, who: Principal = requires(Recipient()), db: Session = DB
) -> Response:
    assert who.id is not None
    ctx: AppContext = request.app.state.ctx
    found = recipient_documents.find(db, who.id, document_id)
    path = verified_blob(ctx.blobs, found.document)  # a corrupted file is neither served nor recorded
    # A GET runs in the request's read transaction; the record is a write of its own (BEGIN IMMEDIATE on
    # SQLite), committed before the file goes out.
    with ctx.db.writer() as writer, writer.begin():
        recipient_documents.record_download(writer, found, now=now(request))
    return FileResponse(
        path,
        media_type="application/pdf",
        filename=found.document.file_name,
        headers={"Cache-Control": "private, no-store"},
    )


@router.post("/documents/{document_id}/validation", response_model=recipient_documents.RecipientDocument)
def validate(
    request: Request,
    document_id: int,
    who: Principal = requires(Recipient(CLIENT_USER)),
    db: Session = DB,
) -> recipient_documents.RecipientDocument:
    assert who.id is not None
    return recipient_documents.validate_invoice(db, who.id, document_id, now=now(request))


class SignaturesOut(BaseModel):
    items: list[recipient_documents.RecipientDocument]


class CodeSentOut(BaseModel):
    email: str = Field(description="L'adresse à laquelle le code a été envoyé.")
    expires_at: datetime


class SignatureIn(BaseModel):
    code: str = Field(min_length=1, max_length=20, description="Le code à six chiffres reçu par e-mail.")


@router.get("/signatures", response_model=SignaturesOut)
def signatures(request: Request, who: Principal = requires(Recipient()), db: Session = DB) -> SignaturesOut:
    """The caller's documents awaiting their signature."""
    assert who.id is not None
    ctx: AppContext = request.app.state.ctx
    return SignaturesOut(items=recipient_signing.awaiting(db, ctx.blobs, who.id))


@router.post("/documents/{document_id}/signing-code", response_model=CodeSentOut, status_code=201)
def signing_code(
    request: Request, document_id: int, who: Principal = requires(Recipient()), db: Session = DB
) -> CodeSentOut:
    """Mail a one-time code (six digits, ten minutes) for the caller's signature of the document."""
    assert who.id is not None
    ctx: AppContext = request.app.state.ctx
    sent = recipient_signing.send_code(db, ctx.settings, ctx.blobs, who.id, document_id, now=now(request))
    return CodeSentOut(email=sent.email, expires_at=sent.expires_at)


@router.post("/documents/{document_id}/signature", response_model=recipient_documents.RecipientDocument)
def signature(
    request: Request,
    document_id: int,
    body: SignatureIn,
    who: Principal = requires(Recipient()),
    db: Session = DB,
) -> recipient_documents.RecipientDocument:
    """Sign the document with the code received by mail; answers the document's new state."""
    assert who.id is not None
    ctx: AppContext = request.app.state.ctx
    address = request.client.host if request.client else ""
    return recipient_signing.sign(
        db,
        ctx.blobs,
        seal_keys(ctx.settings),
        who.id,
        document_id,
        body.code,
        address=address,
        now=now(request),
    )
