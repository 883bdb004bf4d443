"""Staff authentication (F1.1): invitations, login with throttling, rotating refresh tokens, logout.

The token, throttling and password pieces are public: recipient accounts (recipient_auth.py) use them too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from coffreo_desktop.domain import limits
from coffreo_desktop.domain.emails import normalize_email
from coffreo_desktop.server.db.models import AuthSession, AuthToken, Invitation, LoginAttempt, StaffUser
from coffreo_desktop.server.errors import Forbidden, Gone, Invalid, NotFound, Throttled, Unauthenticated
from coffreo_desktop.server.security import hash_password, new_token, token_hash, verify_password
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

BAD_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."
#: Failures from one address (any email) before that address is throttled too.
ADDRESS_FAILURES_BEFORE_THROTTLE = 30
#: Login attempts are kept this long (throttling needs minutes; the rest is for investigating an attack).
LOGIN_ATTEMPTS_RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class SessionTables:
    """A family of sessions: its session and token tables, and the prefixes of its tokens.

    Staff (AuthSession/AuthToken) and recipients (services/recipient_auth.py) share the machinery below:
    hashed tokens, one live pair per session, rotation that ends the session on reuse. The session table
    needs ``id`` and ``revoked_at``; the token table the columns of AuthToken.
    """

    sessions: type[Any]
    tokens: type[Any]
    access_prefix: str
    refresh_prefix: str


STAFF = SessionTables(AuthSession, AuthToken, "at_", "rt_")


def issue_tokens(session: Session, tables: SessionTables, session_id: int, now: datetime) -> IssuedTokens:
    """A new access and refresh token for the session ``session_id`` (only their hashes are stored)."""
    access, refresh = new_token(tables.access_prefix), new_token(tables.refresh_prefix)
    session.add_all(
        [
            tables.tokens(
                session_id=session_id,
                kind="access",
                token_hash=token_hash(access),
                created_at=now,
                expires_at=now + limits.ACCESS_TOKEN_TTL,
            ),
            tables.tokens(
                session_id=session_id,
                kind="refresh",
                token_hash=token_hash(refresh),
                created_at=now,
                expires_at=now + limits.REFRESH_TOKEN_TTL,
            ),
        ]
    )
    session.flush()
    return IssuedTokens(access, refresh, int(limits.ACCESS_TOKEN_TTL.total_seconds()))


def _throttle_wait(
    session: Session,
    column: InstrumentedAttribute[str],
    value: str,
    threshold: int,
    now: datetime,
    *,
    reset_on_success: bool,
) -> int:
    """Seconds to wait before another try, counting the failures inside the window.

    Per email, a success starts the count again (the owner got in). Per address it does not: one valid
    account of an attacker's own would otherwise wipe the count of a password-spraying run.
    """
    since = now - limits.LOGIN_THROTTLE_WINDOW
    if reset_on_success:
        last_success = session.scalar(
            select(func.max(LoginAttempt.at)).where(column == value, LoginAttempt.success.is_(True))
        )
        since = max(since, last_success) if last_success else since
    failures = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            column == value,
            LoginAttempt.success.is_(False),
            LoginAttempt.at > since,
        )
    ).one()
    count, last_failure = failures
    if count < threshold or last_failure is None:
        return 0
    return max(0, int((last_failure + limits.LOGIN_THROTTLE_DELAY - now).total_seconds()) + 1)


def _serialize_attempts(session: Session, email: str) -> None:
    """One login at a time per email, from the count of its failures to their record.

    Without it, parallel requests on PostgreSQL all count the same failures before any of them records
    its own, and 20 guesses go through instead of 5. The transaction-scoped advisory lock ends with the
    transaction that records the attempt. Not per address: a whole office behind one NAT would log in
    one at a time; the address limit (30) is a coarse guard against spraying, where a few requests of
    slack under a burst do not matter. On SQLite the writer's BEGIN IMMEDIATE already serializes writes.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"login:email:{email}"})


def _refuse_if_throttled(session: Session, email: str, address: str, now: datetime) -> None:
    wait = _throttle_wait(
        session,
        LoginAttempt.email,
        email,
        limits.LOGIN_FAILURES_BEFORE_THROTTLE,
        now,
        reset_on_success=True,
    )
    if address:
        by_address = _throttle_wait(
            session,
            LoginAttempt.client_address,
            address,
            ADDRESS_FAILURES_BEFORE_THROTTLE,
            now,
            reset_on_success=False,
        )
        wait = max(wait, by_address)
    if wait:
        minutes = max(1, round(wait / 60))
        raise Throttled(
            "Trop de tentatives de connexion échouées. "
            f"Réessayez dans {minutes} minute{'s' if minutes > 1 else ''}.",
            code="login_throttled",
            retry_after=wait,
        )


def guard_login(session: Session, email: str, address: str, now: datetime) -> None:
    """Before checking a password: serialize the attempts on ``email`` and refuse if it is throttled."""
    _serialize_attempts(session, email)
    _refuse_if_throttled(session, email, address, now)


def verify_attempt(
    session: Session, email: str, password_hash: str | None, password: str, *, address: str, now: datetime
) -> None:
    """Check a password and record the attempt; a failure is refused with one message whatever the cause."""
    ok = verify_password(password_hash, password)
    session.add(LoginAttempt(email=email, client_address=address, at=now, success=ok))
    if not ok:
        # The attempt must be kept although the request fails: commit it here, then refuse.
        session.commit()
        raise Unauthenticated(BAD_CREDENTIALS, code="invalid_credentials")


def login(session: Session, email: str, password: str, *, address: str, now: datetime) -> IssuedTokens:
    email = normalize_email(email)
    guard_login(session, email, address, now)
    user = session.scalars(select(StaffUser).where(StaffUser.email == email)).first()
    verify_attempt(session, email, user.password_hash if user else None, password, address=address, now=now)
    assert user is not None  # no hash, no match: an unknown email was refused above
    if not user.active:
        session.commit()
        raise Forbidden("Ce compte est désactivé. Contactez votre administrateur.", code="account_disabled")
    user.last_login_at = now
    auth_session = AuthSession(user_id=user.id, created_at=now, client_address=address)
    session.add(auth_session)
    session.flush()
    return issue_tokens(session, STAFF, auth_session.id, now)


def _reuse_detected(session: Session, auth_session: Any, now: datetime) -> Unauthenticated:
    """A stolen copy or a replay: end the whole session, both holders must log in again."""
    if auth_session.revoked_at is None:
        auth_session.revoked_at = now
        session.commit()  # kept although the request fails
    return Unauthenticated(code="invalid_refresh_token")


def rotate(
    session: Session,
    tables: SessionTables,
    refresh_token: str,
    *,
    now: datetime,
    owner_active: Callable[[Any], bool],
) -> IssuedTokens:
    """Rotate: the refresh token presented dies, a new pair is issued; reusing a dead one ends the session.

    ``owner_active(session_row)`` says whether whoever owns the session may still use it.
    """
    sessions, tokens = tables.sessions, tables.tokens
    row = session.execute(
        select(tokens, sessions)
        .join(sessions, sessions.id == tokens.session_id)
        .where(tokens.token_hash == token_hash(refresh_token), tokens.kind == "refresh")
    ).first()
    if row is None:
        raise Unauthenticated(code="invalid_refresh_token")
    token, auth_session = row
    if token.used_at is not None:
        raise _reuse_detected(session, auth_session, now)
    if auth_session.revoked_at is not None or token.expires_at <= now or not owner_active(auth_session):
        raise Unauthenticated(code="invalid_refresh_token")
    # Claim the token in one statement: of two requests that both read it unused (PostgreSQL lets them),
    # the second waits for the first to commit, then matches no row and is treated as the reuse it is.
    claimed = session.execute(
        update(tokens)
        .where(tokens.id == token.id, tokens.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise _reuse_detected(session, auth_session, now)
    # Access tokens of the previous pair stop working too: one live pair per session.
    session.execute(
        update(tokens)
        .where(tokens.session_id == auth_session.id, tokens.kind == "access", tokens.expires_at > now)
        .values(expires_at=now)
    )
    return issue_tokens(session, tables, auth_session.id, now)


def refresh(session: Session, refresh_token: str, *, now: datetime) -> IssuedTokens:
    def user_active(auth_session: AuthSession) -> bool:
        user = session.get(StaffUser, auth_session.user_id)
        return user is not None and user.active

    return rotate(session, STAFF, refresh_token, now=now, owner_active=user_active)


def prune_login_attempts(session: Session, *, now: datetime) -> int:
    """Delete the login attempts older than the retention (a daily job); returns how many went."""
    result = session.execute(
        delete(LoginAttempt)
        .where(LoginAttempt.at < now - LOGIN_ATTEMPTS_RETENTION)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def end_session(session: Session, tables: SessionTables, refresh_token: str, *, now: datetime) -> None:
    """Revoke the session of ``refresh_token`` (any of its tokens); an unknown token changes nothing."""
    token = session.scalars(
        select(tables.tokens).where(tables.tokens.token_hash == token_hash(refresh_token))
    ).first()
    if token is None:
        return
    auth_session = session.get(tables.sessions, token.session_id)
    if auth_session is not None and auth_session.revoked_at is None:
        auth_session.revoked_at = now


def logout(session: Session, refresh_token: str, *, now: datetime) -> None:
    end_session(session, STAFF, refresh_token, now=now)


def create_invitation(session: Session, user: StaffUser, *, now: datetime) -> str:
    """A new one-time link token for ``user`` (earlier unused ones stop working). Returns the plain token."""
    session.execute(
        update(Invitation)
        .where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
        .values(expires_at=now)
    )
    token = new_token("inv_")
    session.add(
        Invitation(
            user_id=user.id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + limits.INVITATION_TTL,
        )
    )
    session.flush()
    return token


def _invitation(session: Session, token: str, now: datetime) -> tuple[Invitation, StaffUser]:
    row = session.execute(
        select(Invitation, StaffUser)
        .join(StaffUser, StaffUser.id == Invitation.user_id)
        .where(Invitation.token_hash == token_hash(token))
    ).first()
    if row is None:
        raise NotFound(
            "Ce lien d'invitation est inconnu. Vérifiez l'adresse reçue par e-mail.",
            code="invitation_unknown",
        )
    invitation, user = row
    if invitation.used_at is not None:
        raise Gone(
            "Ce lien d'invitation a déjà été utilisé. Connectez-vous avec votre mot de passe.",
            code="invitation_used",
        )
    if invitation.expires_at <= now:
        raise Gone(
            "Ce lien d'invitation a expiré. Demandez une nouvelle invitation à votre administrateur.",
            code="invitation_expired",
        )
    return invitation, user


def check_new_password(password: str) -> None:
    """The password rules of every account, staff or recipient: Invalid("weak_password") otherwise."""
    if len(password) < limits.MIN_PASSWORD_LENGTH or password.strip() != password or password.isdigit():
        raise Invalid(
            f"Le mot de passe doit compter au moins {limits.MIN_PASSWORD_LENGTH} caractères, "
            "sans espace au début "
            "ni à la fin, et ne pas être composé uniquement de chiffres.",
            code="weak_password",
        )


def describe_invitation(session: Session, token: str, *, now: datetime) -> StaffUser:
    return _invitation(session, token, now)[1]


def accept_invitation(session: Session, token: str, password: str, *, now: datetime) -> StaffUser:
    invitation, user = _invitation(session, token, now)
    check_new_password(password)
    invitation.used_at = now
    user.password_hash = hash_password(password)
    user.activated_at = user.activated_at or now
    audit.record(session, Actor("staff", user.id), "staff.password_set", "staff_user", user.id)
    return user
