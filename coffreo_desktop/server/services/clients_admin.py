"""Administration "Mes clients" (F6.3), the companies side: the client companies an agency serves with
their status, and reminders of the invitation to their users who have not activated their access.

Users of one client (rights matrix, add, delete, remind one) live in ``clients_admin_users``; both share
the scope check and the invitation mail defined here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.limits import CLIENT_REMINDER_BATCH
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import (
    Agency,
    Brand,
    ClientAgency,
    ClientCompany,
    ClientUser,
    RecipientActivation,
    Reminder,
)
from coffreo_desktop.server.errors import Invalid, NotFound
from coffreo_desktop.server.mail import outbox
from coffreo_desktop.server.services import audit, delivery, recipient_auth, reminders
from coffreo_desktop.server.services.audit import Actor

Status = Literal["activé", "invité", "non activé"]
#: The reminders of client users share the 24-hour rule whether they came from the client's row or the
#: user's envelope: the rule is per mailbox (Rules and numbers), not per button.
REMINDER_KIND = "client_user"
#: Refused past CLIENT_REMINDER_BATCH clients per bulk reminder request: each request is one transaction that
#: answers well inside the desktop's HTTP timeout; the desktop sends a larger selection in several requests.
TOO_MANY_CLIENTS = (
    f"{CLIENT_REMINDER_BATCH} clients au plus par demande : envoyez la suite dans une autre demande."
)
CLIENT_GONE = (
    "Ce client n'existe plus ou n'est plus suivi par cet établissement : la liste va être actualisée."
)


@dataclass(frozen=True)
class ClientRow:
    """One line of "Mes clients"."""

    id: int
    code: str
    name: str
    siret: str
    status: Status
    created_at: datetime
    activated_at: datetime | None
    users: int
    users_activated: int


@dataclass(frozen=True)
class ClientList:
    agency_id: int
    clients: list[ClientRow]


@dataclass(frozen=True)
class Skipped:
    """A reminder not sent: ``until`` is when it becomes possible (None: nobody left to remind)."""

    id: int
    name: str
    until: datetime | None
    reason: str


@dataclass(frozen=True)
class ReminderReport:
    reminded: int
    skipped: list[Skipped]  # clients (bulk) or the user (envelope) not reminded at all
    #: Bulk: the users left out inside a client that was reminded, or of a client skipped (id: the user's).
    skipped_users: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class UsersReminded:
    sent: set[int]
    #: Reminded less than 24 hours ago: when a new reminder becomes possible.
    waits: dict[int, datetime]
    #: Not mailed: another user of this call with the same address got the mail.
    same_mailbox: set[int]


WITHIN_24_HOURS = "Déjà relancé il y a moins de 24 heures."
SAME_MAILBOX = "Même adresse e-mail qu'un autre utilisateur relancé : un seul rappel par boîte mail."


def client_in_agency(session: Session, agency_id: int, client_id: int) -> ClientCompany:
    """The client, if the agency serves it; 404 otherwise (another agency's client is not even named)."""
    client = session.scalars(
        select(ClientCompany)
        .join(ClientAgency, ClientAgency.client_id == ClientCompany.id)
        .where(ClientCompany.id == client_id, ClientAgency.agency_id == agency_id)
    ).first()
    if client is None:
        raise NotFound(CLIENT_GONE, code="client_not_found")
    return client


def status_of(activated_at: datetime | None, invited: bool) -> Status:
    """ "activé" once a user chose a password (the company's space opens with its first user, F6.3);
    "invité" when an activation link or a reminder went to one of its users; "non activé" before."""
    if activated_at is not None:
        return "activé"
    return "invité" if invited else "non activé"


def list_clients(
    session: Session, agency_id: int, *, client_ids: Collection[int] | None = None
) -> ClientList:
    """Every client company the agency serves (or only those of ``client_ids``), by name; four set-based
    queries whatever their number."""
    served = ClientAgency.agency_id == agency_id
    if client_ids is not None:
        served &= ClientAgency.client_id.in_(client_ids)
    clients = session.execute(
        select(
            ClientCompany.id,
            ClientCompany.code,
            ClientCompany.name,
            ClientCompany.siret,
            ClientCompany.created_at,
            ClientCompany.activated_at,
        )
        .join(ClientAgency, ClientAgency.client_id == ClientCompany.id)
        .where(served)
        .order_by(ClientCompany.name, ClientCompany.id)
    ).all()
    ids = select(ClientAgency.client_id).where(served).scalar_subquery()
    counts: dict[int, tuple[int, int]] = {
        cid: (total, active)
        for cid, total, active in session.execute(
            select(ClientUser.client_id, func.count(), func.count(ClientUser.activated_at))
            .where(ClientUser.client_id.in_(ids))
            .group_by(ClientUser.client_id)
        )
    }
    invited = set(
        session.scalars(
            select(ClientUser.client_id)
            .join(RecipientActivation, RecipientActivation.client_user_id == ClientUser.id)
            .where(ClientUser.client_id.in_(ids))
            .distinct()
        )
    ) | set(
        session.scalars(
            select(ClientUser.client_id)
            .join(Reminder, (Reminder.target_id == ClientUser.id) & (Reminder.target_kind == REMINDER_KIND))
            .where(ClientUser.client_id.in_(ids))
            .distinct()
        )
    )
    rows = []
    for cid, code, name, siret, created, activated in clients:
        total, active = counts.get(cid, (0, 0))
        # A user may have activated through another client company (same mailbox) without this company's
        # date being set by the ingest path: the company counts as activated all the same.
        status = "activé" if active else status_of(activated, cid in invited)
        rows.append(ClientRow(cid, code, name, siret, status, created, activated, total, active))
    return ClientList(agency_id, rows)


# -- the invitation mail ---------------------------------------------------------------------------


def invitation_mail(
    session: Session,
    user: ClientUser,
    agency: Agency,
    settings: ServerSettings,
    *,
    now: datetime,
    reminder: bool = False,
) -> str:
    """Queue the mail inviting ``user`` to the client space; returns its kind.

    "invitation" carries a fresh one-time activation link; "access_granted" goes to a mailbox that
    already has a client-space account (it was joined to it at once by ``activation_token``).
    """
    client = user.client
    brand = session.get(Brand, agency.brand_id)
    brand_name = brand.name if brand is not None else ""
    logo = brand.logo_svg if brand is not None else None
    name = f"{user.civility} {user.first_name} {user.last_name}".strip()
    issuer = f"{agency.name} ({brand_name})" if brand_name else agency.name
    token = recipient_auth.activation_token(session, user, now=now)
    base = settings.links_base
    if token is None:
        paragraphs = [f"{issuer} vous a ouvert l'accès à l'espace de l'entreprise {client.name}."]
        label, link, kind = "Accéder à l'espace", base + delivery.CLIENT_SPACE_PATH, "access_granted"
        subject = f"Nouvel accès : {client.name}"
    else:
        first = (
            f"Rappel : {issuer} vous a invité à activer votre accès à l'espace de l'entreprise {client.name}."
            if reminder
            else f"{issuer} vous invite à activer votre accès à l'espace de l'entreprise {client.name}."
        )
        paragraphs = [
            first,
            "Vous y consulterez et signerez les contrats de mise à disposition, et retrouverez les "
            "factures et relevés d'heures, selon les droits qui vous sont donnés.",
            "Ce lien est personnel et valable 30 jours.",
        ]
        label, link, kind = (
            "Activer mon accès",
            f"{base}{delivery.CLIENT_ACTIVATION_PATH}/{token}",
            "invitation",
        )
        subject = ("Rappel — " if reminder else "") + f"Activez votre accès à l'espace de {client.name}"
    # delivery's renderer, so that every mail to a client user looks the same.
    text, body_html = delivery.render_mail(brand_name, name, paragraphs, label, link, logo)
    prefix = f"{brand_name} — " if brand_name else ""
    outbox.queue(
        session,
        kind=delivery.MAIL_CLIENT_INVITATION if token else "access_granted",
        to=user.email,
        subject=prefix + subject,
        text=text,
        html=body_html,
        now=now,
    )
    return kind


def agency_of(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("Établissement introuvable.", code="unknown_agency")
    return agency


def remind_users(
    session: Session,
    users: Sequence[ClientUser],
    *,
    agency: Agency,
    actor: Actor,
    settings: ServerSettings,
    now: datetime,
) -> UsersReminded:
    """Mail the invitation again to each user, at most once per 24 hours per mailbox (services/reminders.py:
    the same address as user of two clients is one mailbox), and once per mailbox per call (the lowest id
    due gets it)."""
    by_id = {u.id: u for u in users}

    def send(user_id: int) -> bool:
        invitation_mail(session, by_id[user_id], agency, settings, now=now, reminder=True)
        return True

    result = reminders.remind(
        session,
        target_kind=REMINDER_KIND,
        targets={u.id: u.email for u in users},
        now=now,
        actor=actor,
        send=send,
        agency_id=agency.id,
    )
    return UsersReminded(set(result.reminded), dict(result.skipped), set(result.same_mailbox))


def remind_clients(
    session: Session,
    *,
    agency_id: int,
    client_ids: Sequence[int],
    actor: Actor,
    settings: ServerSettings,
    now: datetime,
) -> ReminderReport:
    """ "Relancer" one client or a selection: the invitation again to each of their users who has not
    activated. A client counts as reminded when at least one of its users was; every user left out (inside
    24 hours, or same address as another) is listed in ``skipped_users`` with until when."""
    if not client_ids:
        raise Invalid("Choisissez au moins un client à relancer.", code="no_clients")
    if len(client_ids) > CLIENT_REMINDER_BATCH:
        raise Invalid(TOO_MANY_CLIENTS, code="too_many")
    wanted = list(dict.fromkeys(client_ids))
    clients = {
        c.id: c
        for c in session.scalars(
            select(ClientCompany)
            .join(ClientAgency, ClientAgency.client_id == ClientCompany.id)
            .where(ClientAgency.agency_id == agency_id, ClientCompany.id.in_(wanted))
        )
    }
    if len(clients) != len(wanted):
        raise NotFound(CLIENT_GONE, code="client_not_found")
    # Every user of the selection in one query: the pending ones are reminded, the others only tell
    # "all activated" from "no user at all" for a client with nobody to remind.
    pending: dict[int, list[ClientUser]] = defaultdict(list)
    with_users: set[int] = set()
    for user in session.scalars(
        select(ClientUser).where(ClientUser.client_id.in_(wanted)).order_by(ClientUser.id)
    ):
        with_users.add(user.client_id)
        if user.activated_at is None:
            pending[user.client_id].append(user)
    agency = agency_of(session, agency_id)
    everyone = [u for cid in wanted for u in pending[cid]]
    outcome = remind_users(session, everyone, agency=agency, actor=actor, settings=settings, now=now)
    sent, waits = outcome.sent, outcome.waits
    reminded = 0
    skipped: list[Skipped] = []
    skipped_users = [
        Skipped(u.id, f"{u.first_name} {u.last_name}", waits.get(u.id), _why_not(u.id, outcome))
        for u in everyone
        if u.id not in sent
    ]
    for cid in wanted:
        client, users = clients[cid], pending[cid]
        if not users:
            skipped.append(
                Skipped(
                    cid,
                    client.name,
                    None,
                    "Tous ses utilisateurs ont activé leur accès."
                    if cid in with_users
                    else "Ce client n'a aucun utilisateur : ajoutez-en un.",
                )
            )
            continue
        mailed = [u.id for u in users if u.id in sent]
        if mailed:
            reminded += 1
            audit.record(
                session,
                actor,
                "client.reminded",
                "client_company",
                cid,
                agency_id=agency_id,
                details={"users": mailed},
            )
        else:
            untils = [waits[u.id] for u in users if u.id in waits]
            if untils:
                skipped.append(Skipped(cid, client.name, min(untils), WITHIN_24_HOURS))
            else:  # every user shares an address reminded for another client in this same call
                skipped.append(Skipped(cid, client.name, None, SAME_MAILBOX))
    return ReminderReport(reminded, skipped, skipped_users)


def _why_not(user_id: int, outcome: UsersReminded) -> str:
    return SAME_MAILBOX if user_id in outcome.same_mailbox else WITHIN_24_HOURS
