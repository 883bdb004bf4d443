"""Administration "Mes clients" (F6.3): the client companies of an agency with their status, reminders, and
per client its users' rights, added, deleted and reminded; "A" on the agency for everything."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api.rules import DB, AgencyRight, Principal, now, requires
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.services import clients_admin, clients_admin_users
from coffreo_desktop.server.services.clients_admin_users import ClientRight

router = APIRouter(prefix="/admin/clients", tags=["administration"])
ADMIN = AgencyRight(Right.ADMIN)


class RemindIn(BaseModel):
    # The service says "200 au plus" in French (422 too_many); this bound only keeps a body from being absurd.
    client_ids: list[int] = Field(max_length=100_000)


SEEN_EMAIL = (
    "L'adresse de l'utilisateur telle que l'appelant l'a vue : si l'utilisateur a été supprimé entre-temps, "
    "la demande est refusée (404) même si son identifiant a été redonné à un autre."
)


class CellIn(BaseModel):
    granted: bool = Field(description="L'état voulu de la case.")
    expected: bool = Field(description="L'état de la case tel que l'appelant l'a vu.")
    email: str | None = Field(default=None, max_length=254, description=SEEN_EMAIL)


class UserIn(BaseModel):
    email: str = Field(max_length=320)
    civility: str = Field(max_length=8)
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=80)
    rights: list[ClientRight]


@router.get("", response_model=clients_admin.ClientList, summary="Les clients de l'établissement")
def list_clients(
    agency_id: int, who: Principal = requires(ADMIN), db: Session = DB
) -> clients_admin.ClientList:
    return clients_admin.list_clients(db, agency_id)


@router.post(
    "/remind", response_model=clients_admin.ReminderReport, summary="Relancer un client ou une sélection"
)
def remind_clients(
    request: Request, agency_id: int, body: RemindIn, who: Principal = requires(ADMIN), db: Session = DB
) -> clients_admin.ReminderReport:
    ctx: AppContext = request.app.state.ctx
    return clients_admin.remind_clients(
        db,
        agency_id=agency_id,
        client_ids=body.client_ids,
        actor=who.actor,
        settings=ctx.settings,
        now=now(request),
    )


@router.get(
    "/{client_id}/users",
    response_model=clients_admin_users.ClientUsers,
    summary="Les utilisateurs d'un client",
)
def client_users(
    client_id: int, agency_id: int, who: Principal = requires(ADMIN), db: Session = DB
) -> clients_admin_users.ClientUsers:
    return clients_admin_users.users_of(db, agency_id, client_id)


@router.put(
    "/{client_id}/users/{user_id}/rights/{right}",
    response_model=clients_admin_users.ClientUserRow,
    summary="Accorder ou retirer un droit à un utilisateur d'un client",
)
def set_right(
    client_id: int,
    user_id: int,
    right: ClientRight,
    agency_id: int,
    body: CellIn,
    who: Principal = requires(ADMIN),
    db: Session = DB,
) -> clients_admin_users.ClientUserRow:
    return clients_admin_users.set_right(
        db,
        actor=who.actor,
        agency_id=agency_id,
        client_id=client_id,
        user_id=user_id,
        right=right,
        granted=body.granted,
        expected=body.expected,
        email=body.email,
    )


# "Ajouter un utilisateur" creates the user and invites them. Not POST on ".../users": every route has a
# path of its own (tests/server/test_route_rules.py names its test users after a rule and a path).
@router.post(
    "/{client_id}/invitations",
    response_model=clients_admin_users.UserAdded,
    status_code=201,
    summary="Ajouter un utilisateur à un client et l'inviter",
)
def add_user(
    request: Request,
    client_id: int,
    agency_id: int,
    body: UserIn,
    who: Principal = requires(ADMIN),
    db: Session = DB,
) -> clients_admin_users.UserAdded:
    ctx: AppContext = request.app.state.ctx
    return clients_admin_users.add_user(
        db,
        actor=who.actor,
        agency_id=agency_id,
        client_id=client_id,
        email=body.email,
        civility=body.civility,
        first_name=body.first_name,
        last_name=body.last_name,
        rights=body.rights,
        settings=ctx.settings,
        now=now(request),
    )


@router.delete(
    "/{client_id}/users/{user_id}", status_code=204, summary="Supprimer un utilisateur d'un client"
)
def delete_user(
    client_id: int,
    user_id: int,
    agency_id: int,
    email: str | None = Query(default=None, max_length=254, description=SEEN_EMAIL),
    who: Principal = requires(ADMIN),
    db: Session = DB,
) -> Response:
    clients_admin_users.delete_user(
        db, actor=who.actor, agency_id=agency_id, client_id=client_id, user_id=user_id, email=email
    )
    return Response(status_code=204)


@router.post(
    "/{client_id}/users/{user_id}/remind",
    response_model=clients_admin.ReminderReport,
    summary="Relancer un utilisateur qui n'a pas activé son accès",
)
def remind_user(
    request: Request,
    client_id: int,
    user_id: int,
    agency_id: int,
    email: str | None = Query(default=None, max_length=254, description=SEEN_EMAIL),
    who: Principal = requires(ADMIN),
    db: Session = DB,
) -> clients_admin.ReminderReport:
    ctx: AppContext = request.app.state.ctx
    return clients_admin_users.remind_user(
        db,
        actor=who.actor,
        agency_id=agency_id,
        client_id=client_id,
        user_id=user_id,
        settings=ctx.settings,
        now=now(request),
        email=email,
    )
