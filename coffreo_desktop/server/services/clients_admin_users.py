"""Administration "Mes clients" (F6.3), the users of one client company: their rights as a matrix set one
cell at a time with the state the caller saw, "Ajouter un utilisateur", delete, remind one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NoReturn

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coffreo_desktop.domain.emails import is_valid_email, normalize_email
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import ClientUser, Delivery
from coffreo_desktop.server.errors import Conflict, Invalid, NotFound
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.clients_admin import (
    WITHIN_24_HOURS,
    ClientRow,
    ReminderReport,
    Skipped,
    agency_of,
    client_in_agency,
    invitation_mail,
    list_clients,
    remind_users,
)

ClientRight = Literal["view_contracts", "sign_contracts", "invoices", "timesheets"]
#: Matrix column order; each maps to a column of ClientUser.
RIGHTS: tuple[ClientRight, ...] = ("view_contracts", "sign_contracts", "invoices", "timesheets")
_COLUMN = {
    "view_contracts": "can_view_contracts",
    "sign_contracts": "can_sign_contracts",
    "invoices": "can_invoices",
    "timesheets": "can_timesheets",
}
CIVILITIES = ("M.", "Mme")
USER_GONE = "Cet utilisateur n'existe plus (supprimé entre-temps) : la liste va être actualisée."


@dataclass(frozen=True)
class ClientUserRow:
    """One row of a client's users matrix."""

    id: int
    email: str
    civility: str
    first_name: str
    last_name: str
    rights: list[ClientRight]
    created_at: datetime
    activated_at: datetime | None


@dataclass(frozen=True)
class ClientUsers:
    client: ClientRow
    users: list[ClientUserRow]


@dataclass(frozen=True)
class UserAdded:
    user: ClientUserRow
    mail: str  # "invitation" or "access_granted"


def row_of(user: ClientUser) -> ClientUserRow:
    return ClientUserRow(
        id=user.id,
        email=user.email,
        civility=user.civility,
        first_name=user.first_name,
        last_name=user.last_name,
        rights=[r for r in RIGHTS if getattr(user, _COLUMN[r])],
        created_at=user.created_at,
        activated_at=user.activated_at,
    )


def row_json(row: ClientUserRow) -> dict[str, object]:
    """A row as plain JSON for a problem+json body (errors bypass the response model)."""
    return {
        "id": row.id,
        "email": row.email,
        "civility": row.civility,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "rights": list(row.rights),
        "created_at": row.created_at.isoformat(),
        "activated_at": row.activated_at.isoformat() if row.activated_at else None,
    }


def _client_row(session: Session, agency_id: int, client_id: int) -> ClientRow:
    # The list's own computation, so the pane's header never disagrees with the table.
    (row,) = list_clients(session, agency_id, client_ids=[client_id]).clients
    return row


def users_of(session: Session, agency_id: int, client_id: int) -> ClientUsers:
    client_in_agency(session, agency_id, client_id)
    users = session.scalars(
        select(ClientUser)
        .where(ClientUser.client_id == client_id)
        .order_by(ClientUser.last_name, ClientUser.first_name, ClientUser.id)
    )
    return ClientUsers(_client_row(session, agency_id, client_id), [row_of(u) for u in users])


def _user(
    session: Session, client_id: int, user_id: int, *, lock: bool = False, email: str | None = None
) -> ClientUser:
    """The user, or 404. ``email``, the address the caller saw, guards against an id given again: SQLite
    (without AUTOINCREMENT) gives a deleted last row's id to the next user added, so a colleague's stale
    row must not act on that newcomer."""
    query = select(ClientUser).where(ClientUser.id == user_id, ClientUser.client_id == client_id)
    user = session.scalars(query.with_for_update() if lock else query).first()
    if user is None or (email is not None and normalize_email(email) != normalize_email(user.email)):
        raise NotFound(USER_GONE, code="client_user_not_found")
    return user


def set_right(
    session: Session,
    *,
    actor: Actor,
    agency_id: int,
    client_id: int,
    user_id: int,
    right: ClientRight,
    granted: bool,
    expected: bool,
    email: str | None = None,
) -> ClientUserRow:
    """Set one cell; if it is no longer in the state the caller saw, nothing is written and the 409
    carries the current row (a colleague changed it)."""
    client = client_in_agency(session, agency_id, client_id)
    user = _user(session, client_id, user_id, lock=True, email=email)
    current = bool(getattr(user, _COLUMN[right]))
    if current != expected:
        raise Conflict(
            "Ce droit a été modifié entre-temps par un collègue : l'état actuel est affiché.",
            code="rights_changed",
            right=right,
            current=current,
            user=row_json(row_of(user)),
        )
    if current == granted:
        return row_of(user)
    setattr(user, _COLUMN[right], granted)
    session.flush()
    audit.record(
        session,
        actor,
        "client_user.right_granted" if granted else "client_user.right_revoked",
        "client_user",
        user_id,
        agency_id=agency_id,
        details={"right": right, "client": client.name, "email": user.email},
    )
    return row_of(user)


def add_user(
    session: Session,
    *,
    actor: Actor,
    agency_id: int,
    client_id: int,
    email: str,
    civility: str,
    first_name: str,
    last_name: str,
    rights: list[ClientRight],
    settings: ServerSettings,
    now: datetime,
) -> UserAdded:
    """ "Ajouter un utilisateur": the user with the rights chosen, and the invitation mail."""
    client = client_in_agency(session, agency_id, client_id)
    address = normalize_email(email)
    if not is_valid_email(address):
        raise Invalid(f"Adresse e-mail invalide : « {email.strip()} ».", code="invalid_email")
    if civility not in CIVILITIES:
        raise Invalid("Choisissez la civilité : « M. » ou « Mme ».", code="invalid_civility")
    first, last = first_name.strip(), last_name.strip()
    if not first or not last:
        raise Invalid("Indiquez le prénom et le nom de l'utilisateur.", code="invalid_name")
    existing = session.scalars(
        select(ClientUser).where(ClientUser.client_id == client_id, ClientUser.email == address)
    ).first()
    if existing is not None:
        _duplicate(f"{existing.first_name} {existing.last_name} ({address})", client.name)
    values = {_COLUMN[r]: (r in rights) for r in RIGHTS}
    user = ClientUser(
        client_id=client_id,
        email=address,
        civility=civility,
        first_name=first,
        last_name=last,
        created_at=now,
        **values,
    )
    # A colleague adding the same address at the same moment passes the check above too; the unique
    # (client_id, email) constraint then refuses the second insert (PostgreSQL: once the first commits).
    # The savepoint keeps the transaction usable so that the refusal is the 409, not a 500.
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:
        _duplicate(address, client.name)
    mail = invitation_mail(session, user, agency_of(session, agency_id), settings, now=now)
    audit.record(
        session,
        actor,
        "client_user.added",
        "client_user",
        user.id,
        agency_id=agency_id,
        details={"client": client.name, "email": address, "rights": [r for r in RIGHTS if r in rights]},
    )
    return UserAdded(row_of(user), mail)


def _duplicate(who: str, client: str) -> NoReturn:
    raise Conflict(
        f"{who} est déjà utilisateur de {client} : modifiez ses droits dans le tableau.",
        code="duplicate_user",
    )


def delete_user(
    session: Session, *, actor: Actor, agency_id: int, client_id: int, user_id: int, email: str | None = None
) -> None:
    client = client_in_agency(session, agency_id, client_id)
    user = _user(session, client_id, user_id, lock=True, email=email)
    audit.record(
        session,
        actor,
        "client_user.deleted",
        "client_user",
        user_id,
        agency_id=agency_id,
        details={"client": client.name, "email": user.email, "rights": row_of(user).rights},
    )
    # The documents delivered to the user stay, with their client company: the delivery row is the
    # company's proof of delivery; only the link to the person goes (the FK has no ON DELETE).
    session.execute(update(Delivery).where(Delivery.client_user_id == user_id).values(client_user_id=None))
    session.delete(user)
    session.flush()


def remind_user(
    session: Session,
    *,
    actor: Actor,
    agency_id: int,
    client_id: int,
    user_id: int,
    settings: ServerSettings,
    now: datetime,
    email: str | None = None,
) -> ReminderReport:
    """The envelope: the invitation again, unless the user activated or was reminded in the last 24 hours."""
    client_in_agency(session, agency_id, client_id)
    user = _user(session, client_id, user_id, email=email)
    name = f"{user.first_name} {user.last_name}"
    if user.activated_at is not None:
        raise Conflict(f"{name} a déjà activé son accès : inutile de le relancer.", code="already_activated")
    outcome = remind_users(
        session, [user], agency=agency_of(session, agency_id), actor=actor, settings=settings, now=now
    )
    if user_id in outcome.sent:  # audited by reminders.remind ("reminder.sent")
        return ReminderReport(1, [])
    return ReminderReport(0, [Skipped(user_id, name, outcome.waits.get(user_id), WITHIN_24_HOURS)])
