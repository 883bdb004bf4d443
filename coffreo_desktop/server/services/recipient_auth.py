"""Recipient accounts (F7.1): activation from the link of a delivery mail, login, refresh and logout.

One account per (kind, email): a worker's vault covers every Employee row with that email (one per brand
they worked for), a client user's space every ClientUser row with it (one per client company). Rows are
matched by email on every request, so a corrected address moves access at once. Sessions and tokens are
the staff machinery of auth.py on tables of their own; login attempts are throttled like staff logins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.emails import normalize_email
from coffreo_desktop.server.db.models import (
    ClientUser,
    Employee,
    RecipientAccount,
    RecipientActivation,
    RecipientSession,
    RecipientToken,
)
from coffreo_desktop.server.db.models.recipients import CLIENT_USER, EMPLOYEE
from coffreo_desktop.server.errors import Gone, NotFound, Unauthenticated
from coffreo_desktop.server.security import hash_password, new_token, token_hash
from coffreo_desktop.server.services import audit, auth
from coffreo_desktop.server.services.audit import Actor

KINDS = (EMPLOYEE, CLIENT_USER)
#: Recipient tokens carry their own prefixes: the Recipient rule tells them from staff tokens at a glance.
RECIPIENTS = auth.SessionTables(RecipientSession, RecipientToken, "rat_", "rrt_")
#: A worker may open the mail of a payslip weeks later; every new document mail carries a fresh link.
ACTIVATION_TTL = timedelta(days=30)

UNKNOWN_LINK = "Ce lien d'activation est inconnu. Vérifiez l'adresse reçue par e-mail."
USED_LINK = (
    "Ce lien d'activation a déjà été utilisé : votre accès est activé. "
    "Connectez-vous avec votre adresse e-mail et votre mot de passe."
)
EXPIRED_LINK = (
    "Ce lien d'activation a expiré. Un nouveau lien vous parviendra avec votre prochain document ; "
    "vous pouvez aussi le demander à votre agence."
)
STALE_LINK = (
    "Ce lien d'activation n'est plus valable : l'adresse e-mail enregistrée a changé depuis son envoi. "
    "Contactez votre agence."
)

Person = Employee | ClientUser


@dataclass(frozen=True)
class ActivationView:
    """What the activation page shows before the person chooses a password."""

    kind: str
    email: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class RecipientIdentity:
    """The caller behind a recipient access token."""

    account_id: int
    kind: str
    session_id: int


def _kind(person: Person) -> str:
    return EMPLOYEE if isinstance(person, Employee) else CLIENT_USER


def _is_activated(person: Person) -> bool:
    return (person.vault_activated_at if isinstance(person, Employee) else person.activated_at) is not None


def _account(session: Session, kind: str, email: str) -> RecipientAccount | None:
    return session.scalars(
        select(RecipientAccount).where(RecipientAccount.kind == kind, RecipientAccount.email == email)
    ).first()


def people_of(session: Session, kind: str, email: str) -> list[Person]:
    """Every row of the person behind ``email``: Employee rows (one per brand) or ClientUser rows (one per
    client company), oldest first."""
    model: type[Employee] | type[ClientUser] = Employee if kind == EMPLOYEE else ClientUser
    return list(session.scalars(select(model).where(func.lower(model.email) == email).order_by(model.id)))


def employees_of(session: Session, account: RecipientAccount) -> list[Employee]:
    return [p for p in people_of(session, EMPLOYEE, account.email) if isinstance(p, Employee)]


def client_users_of(session: Session, account: RecipientAccount) -> list[ClientUser]:
    return [p for p in people_of(session, CLIENT_USER, account.email) if isinstance(p, ClientUser)]


def activation_token(session: Session, person: Person, *, now: datetime) -> str | None:
    """A new one-time activation token for the delivery mail to ``person``; None when they can log in already.

    Earlier links stay valid until they expire: the person may click the mail of any document. When an
    account exists for this email (the person activated through another employer or client company),
    this row joins it now, and the mail is an ordinary "new document" one.
    """
    if _is_activated(person):
        return None
    email = normalize_email(person.email)
    if _account(session, _kind(person), email) is not None:
        _mark_activated(person, now)
        return None
    token = new_token("act_")
    session.add(
        RecipientActivation(
            employee_id=person.id if isinstance(person, Employee) else None,
            client_user_id=person.id if isinstance(person, ClientUser) else None,
            email=email,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + ACTIVATION_TTL,
        )
    )
    return token


def _mark_activated(person: Person, now: datetime) -> None:
    if isinstance(person, Employee):
        person.vault_activated_at = person.vault_activated_at or now
    else:
        person.activated_at = person.activated_at or now
        if person.client.activated_at is None:  # the company's space is active from its first user (F6.3)
            person.client.activated_at = now


def _activation(session: Session, token: str, now: datetime) -> tuple[RecipientActivation, Person]:
    activation = session.scalars(
        select(RecipientActivation).where(RecipientActivation.token_hash == token_hash(token))
    ).first()
    person: Person | None = None
    if activation is not None and activation.employee_id is not None:
        person = session.get(Employee, activation.employee_id)
    elif activation is not None and activation.client_user_id is not None:
        person = session.get(ClientUser, activation.client_user_id)
    if activation is None or person is None:
        raise NotFound(UNKNOWN_LINK, code="activation_unknown")
    if activation.used_at is not None or _is_activated(person):
        raise Gone(USED_LINK, code="activation_used")
    if activation.expires_at <= now:
        raise Gone(EXPIRED_LINK, code="activation_expired")
    if normalize_email(person.email) != activation.email:
        raise Gone(STALE_LINK, code="activation_stale")
    if _account(session, _kind(person), activation.email) is not None:
        # Another link of the same person was used first: this one would only reset their password.
        raise Gone(USED_LINK, code="activation_used")
    return activation, person


def describe_activation(session: Session, token: str, *, now: datetime) -> ActivationView:
    _, person = _activation(session, token, now)
    return ActivationView(_kind(person), normalize_email(person.email), person.first_name, person.last_name)


def activate(session: Session, token: str, password: str, *, now: datetime) -> RecipientAccount:
    """Create the account of the link's person with the chosen password; their rows count as activated."""
    activation, person = _activation(session, token, now)
    auth.check_new_password(password)
    kind, email = _kind(person), activation.email
    account = RecipientAccount(
        kind=kind, email=email, password_hash=hash_password(password), created_at=now, activated_at=now
    )
    session.add(account)
    activation.used_at = now
    _mark_activated(person, now)
    # The person's other rows (other brands, other client companies) are the same mailbox: activated too.
    for other in people_of(session, kind, email):
        _mark_activated(other, now)
    session.flush()
    audit.record(session, Actor(kind, person.id), "recipient.activated", "recipient_account", account.id)
    return account


def login(
    session: Session, kind: str, email: str, password: str, *, address: str, now: datetime
) -> auth.IssuedTokens:
    """Email and password of an activated account of ``kind``; throttled like a staff login."""
    email = normalize_email(email)
    auth.guard_login(session, email, address, now)
    account = _account(session, kind, email)
    auth.verify_attempt(
        session, email, account.password_hash if account else None, password, address=address, now=now
    )
    assert account is not None  # no hash, no match: an unknown account was refused above
    account.last_login_at = now
    recipient_session = RecipientSession(account_id=account.id, created_at=now, client_address=address)
    session.add(recipient_session)
    session.flush()
    return auth.issue_tokens(session, RECIPIENTS, recipient_session.id, now)


def refresh(session: Session, refresh_token: str, *, now: datetime) -> auth.IssuedTokens:
    return auth.rotate(
        session,
        RECIPIENTS,
        refresh_token,
        now=now,
        owner_active=lambda s: session.get(RecipientAccount, s.account_id) is not None,
    )


def logout(session: Session, refresh_token: str, *, now: datetime) -> None:
    auth.end_session(session, RECIPIENTS, refresh_token, now=now)


def authenticate(session: Session, access_token: str, now: datetime) -> RecipientIdentity:
    """The account behind a live recipient access token; Unauthenticated otherwise."""
    row = session.execute(
        select(RecipientToken.expires_at, RecipientSession.id, RecipientAccount.id, RecipientAccount.kind)
        .join(RecipientSession, RecipientSession.id == RecipientToken.session_id)
        .join(RecipientAccount, RecipientAccount.id == RecipientSession.account_id)
        .where(
            RecipientToken.token_hash == token_hash(access_token),
            RecipientToken.kind == "access",
            RecipientSession.revoked_at.is_(None),
        )
    ).first()
    if row is None or row[0] <= now:
        raise Unauthenticated()
    _, session_id, account_id, kind = row
    return RecipientIdentity(account_id, kind, session_id)
