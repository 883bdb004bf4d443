"""Login, token refresh and logout, invitations (F1.1)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from coffreo_desktop.server.api.rules import DB, Public, now, requires
from coffreo_desktop.server.services import auth

router = APIRouter(prefix="/auth", tags=["authentification"])
PUBLIC = [requires(Public())]


class Credentials(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class RefreshIn(BaseModel):
    refresh_token: str = Field(max_length=200)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class InvitationOut(BaseModel):
    email: str
    first_name: str
    last_name: str


class PasswordIn(BaseModel):
    password: str = Field(max_length=1024)


def _tokens(issued: auth.IssuedTokens) -> TokensOut:
    return TokensOut(
        access_token=issued.access_token, refresh_token=issued.refresh_token, expires_in=issued.expires_in
    )


@router.post("/token", response_model=TokensOut, dependencies=PUBLIC)
def token(body: Credentials, request: Request, db: Session = DB) -> TokensOut:
    address = request.client.host if request.client else ""
    return _tokens(auth.login(db, body.email, body.password, address=address, now=now(request)))


@router.post("/refresh", response_model=TokensOut, dependencies=PUBLIC)
def refresh(body: RefreshIn, request: Request, db: Session = DB) -> TokensOut:
    return _tokens(auth.refresh(db, body.refresh_token, now=now(request)))


@router.post("/logout", status_code=204, dependencies=PUBLIC)
def logout(body: RefreshIn, request: Request, db: Session = DB) -> Response:
    auth.logout(db, body.refresh_token, now=now(request))
    return Response(status_code=204)


@router.get("/invitations/{token}", response_model=InvitationOut, dependencies=PUBLIC)
def invitation(token: str, request: Request, db: Session = DB) -> InvitationOut:
    user = auth.describe_invitation(db, token, now=now(request))
    return InvitationOut(email=user.email, first_name=user.first_name, last_name=user.last_name)


@router.post("/invitations/{token}/accept", status_code=204, dependencies=PUBLIC)
def accept_invitation(token: str, body: PasswordIn, request: Request, db: Session = DB) -> Response:
    auth.accept_invitation(db, token, body.password, now=now(request))
    return Response(status_code=204)
