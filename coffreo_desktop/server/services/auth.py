"""Staff authentication (F1.1): invitations, login with throttling, rotating refresh tokens, logout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

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


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int


def _issue(session: Session, auth_session: AuthSession, now: datetime) -> IssuedTokens:
    access, refresh = new_token("at_"), new_token("rt_")
    session.add_all(
        [
            AuthToken(
                session_id=auth_session.id,
                kind="access",
                token_hash=token_hash(access),
                created_at=now,
                expires_at=now + limits.ACCESS_TOKEN_TTL,
            ),
            AuthToken(
                session_id=auth_session.id,
                kind="refresh",
                token_hash=token_hash(refresh),
                created_at=now,
                expires_at=now + limits.REFRESH_TOKEN_TTL,
            ),
        ]
    )
    session.flush()
    return IssuedTokens(access, refresh, int(limits.ACCESS_TOKEN_TTL.total_seconds()))


def _throttle_wait(session: Session, column: object, value: str, threshold: int, now: datetime) -> int:
    """Seconds to wait before another try, counting failures since the last success inside the window."""
    window_start = now - limits.LOGIN_THROTTLE_WINDOW
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(column == value, LoginAttempt.success.is_(True))  # type: ignore[operator]
    )
    since = max(window_start, last_success) if last_success else window_start
    failures = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            column == value,
            LoginAttempt.success.is_(False),
            LoginAttempt.at > since,  # type: ignore[operator]
        )
    ).one()
    count, last_failure = failures
    if count < threshold or last_failure is None:
        return 0
    return max(0, int((last_failure + limits.LOGIN_THROTTLE_DELAY - now).total_seconds()) + 1)


def _refuse_if_throttled(session: Session, email: str, address: str, now: datetime) -> None:
    wait = max(
        _throttle_wait(session, LoginAttempt.email, email, limits.LOGIN_FAILURES_BEFORE_THROTTLE, now),
        _throttle_wait(session, LoginAttempt.client_address, address, ADDRESS_FAILURES_BEFORE_THROTTLE, now)
        if address
        else 0,
    )
    if wait:
        minutes = max(1, round(wait / 60))
        raise Throttled(
            "Trop de tentatives de connexion échouées. "
            f"Réessayez dans {minutes} minute{'s' if minutes > 1 else ''}.",
            code="login_throttled",
            retry_after=wait,
        )


def login(session: Session, email: str, password: str, *, address: str, now: datetime) -> IssuedTokens:
    email = normalize_email(email)
    _refuse_if_throttled(session, email, address, now)
    user = session.scalars(select(StaffUser).where(StaffUser.email == email)).first()
    ok = verify_password(user.password_hash if user else None, password)
    session.add(LoginAttempt(email=email, client_address=address, at=now, success=ok))
    if not ok or user is None:
        # The attempt must be kept although the request fails: commit it here, then refuse.
        session.commit()
        raise Unauthenticated(BAD_CREDENTIALS, code="invalid_credentials")
    if not user.active:
        session.commit()
        raise Forbidden("Ce compte est désactivé. Contactez votre administrateur.", code="account_disabled")
    user.last_login_at = now
    auth_session = AuthSession(user_id=user.id, created_at=now, client_address=address)
    session.add(auth_session)
    session.flush()
    return _issue(session, auth_session, now)


def refresh(session: Session, refresh_token: str, *, now: datetime) -> IssuedTokens:
    """Rotate: the refresh token presented dies, a new pair is issued; reusing a dead one ends the session."""
    row = session.execute(
        select(AuthToken, AuthSession)
        .join(AuthSession, AuthSession.id == AuthToken.session_id)
        .where(AuthToken.token_hash == token_hash(refresh_token), AuthToken.kind == "refresh")
    ).first()
    if row is None:
        raise Unauthenticated(code="invalid_refresh_token")
    token, auth_session = row
    if token.used_at is not None and auth_session.revoked_at is None:
        # A stolen copy or a replay: end the whole session, both holders must log in again.
        auth_session.revoked_at = now
        session.commit()
        raise Unauthenticated(code="invalid_refresh_token")
    user = session.get(StaffUser, auth_session.user_id)
    if auth_session.revoked_at is not None or token.expires_at <= now or user is None or not user.active:
        raise Unauthenticated(code="invalid_refresh_token")
    token.used_at = now
    # Access tokens of the previous pair stop working too: one live pair per session.
    session.execute(
        update(AuthToken)
        .where(
            AuthToken.session_id == auth_session.id, AuthToken.kind == "access", AuthToken.expires_at > now
        )
        .values(expires_at=now)
    )
    return _issue(session, auth_session, now)


def logout(session: Session, refresh_token: str, *, now: datetime) -> None:
    token = session.scalars(
        select(AuthToken).where(AuthToken.token_hash == token_hash(refresh_token))
    ).first()
    if token is None:
        return
    auth_session = session.get(AuthSession, token.session_id)
    if auth_session is not None and auth_session.revoked_at is None:
        auth_session.revoked_at = now


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


def describe_invitation(session: Session, token: str, *, now: datetime) -> StaffUser:
    return _invitation(session, token, now)[1]


def accept_invitation(session: Session, token: str, password: str, *, now: datetime) -> StaffUser:
    invitation, user = _invitation(session, token, now)
    if len(password) < limits.MIN_PASSWORD_LENGTH or password.strip() != password or password.isdigit():
        raise Invalid(
            f"Le mot de passe doit compter au moins {limits.MIN_PASSWORD_LENGTH} caractères, "
            "sans espace au début "
            "ni à la fin, et ne pas être composé uniquement de chiffres.",
            code="weak_password",
        )
    invitation.used_at = now
    user.password_hash = hash_password(password)
    user.activated_at = user.activated_at or now
    audit.record(session, Actor("staff", user.id), "staff.password_set", "staff_user", user.id)
    return user
