"""Administration "Droits et accès" (F6.1): the rights matrix of one agency, one cell at a time, and the
creation and removal of accesses; "A" on the agency for everything.
Contract: /tmp/admin_rights_contract.md."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api.rules import DB, AgencyRight, Principal, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.services import admin_accesses, admin_rights

router = APIRouter(prefix="/admin", tags=["administration"])
# "A" on the agency named by the query parameter agency_id (the rule answers 403 elsewhere). Each route
# has its own path, so one rule tuple serves them all (tests/server/test_route_rules.py names its test
# users after a rule's rights and path).
ADMIN = AgencyRight(Right.ADMIN)


class CellIn(BaseModel):
    granted: bool = Field(description="L'état voulu de la case.")
    expected: bool = Field(description="L'état de la case tel que l'appelant l'a vu.")


class AccessIn(BaseModel):
    first_name: str = Field(max_length=200)
    last_name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    rights: list[Right]


@router.get(
    "/rights", response_model=admin_rights.RightsMatrix, summary="Matrice des droits d'un établissement"
)
def rights_matrix(agency_id: int, who: Principal = requires(ADMIN), db: Session = DB) -> JSONResponse:
    # Answered as built (the response model documents it): validating 500 nested rows against the
    # model costs more than the queries themselves.
    return JSONResponse(admin_rights.matrix_json(admin_rights.matrix(db, agency_id, who.rights)))


@router.put(
    "/rights/{user_id}/{right}",
    response_model=admin_rights.UserRights,
    summary="Accorder ou retirer un droit (une case de la matrice)",
)
def set_right(
    request: Request,
    user_id: int,
    right: Right,
    agency_id: int,
    body: CellIn,
    who: Principal = requires(ADMIN),
    db: Session = DB,
) -> admin_rights.UserRights:
    return admin_rights.set_right(
        db,
        actor=who.actor,
        viewer=who.rights,
        agency_id=agency_id,
        user_id=user_id,
        right=right,
        granted=body.granted,
        expected=body.expected,
        now=now(request),
    )


@router.post(
    "/accesses",
    response_model=admin_accesses.AccessCreated,
    status_code=201,
    summary="Créer un accès à l'établissement et envoyer l'invitation",
)
def create_access(
    request: Request, agency_id: int, body: AccessIn, who: Principal = requires(ADMIN), db: Session = DB
) -> admin_accesses.AccessCreated:
    ctx: AppContext = request.app.state.ctx
    return admin_accesses.create_access(
        db,
        actor=who.actor,
        viewer=who.rights,
        agency_id=agency_id,
        email=body.email,
        first_name=body.first_name,
        last_name=body.last_name,
        rights=body.rights,
        settings=ctx.settings,
        now=now(request),
    )


@router.delete("/accesses/{user_id}", status_code=204, summary="Supprimer l'accès d'un utilisateur")
def remove_access(
    user_id: int, agency_id: int, who: Principal = requires(ADMIN), db: Session = DB
) -> Response:
    admin_accesses.remove_access(db, actor=who.actor, agency_id=agency_id, user_id=user_id)
    return Response(status_code=204)
