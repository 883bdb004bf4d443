"""Every route declares who may call it, with one of these rules as a dependency; one place enforces them.

    @router.get("/agencies/{agency_id}/things")
    def things(agency_id: int, who: Principal = requires(AgencyRight(Right.ADMIN))): ...

A test walks every route of the app and fails on any route without a rule, and calls each one
without a token (401) and with a user lacking the right or the scope (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Depends, Request
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.rights import Grant, Right, RightSet, Scope
from coffreo_desktop.server.db.models import (
    Agency,
    AuthSession,
    AuthToken,
    IntegrationKey,
    RightGrant,
    StaffUser,
)
from coffreo_desktop.server.errors import Forbidden, Unauthenticated
from coffreo_desktop.server.security import token_hash
from coffreo_desktop.server.services import recipient_auth
from coffreo_desktop.server.services.audit import Actor

FORBIDDEN = "Vous n'avez pas les droits nécessaires pour cette action."
OUT_OF_SCOPE = "Cet établissement ne fait pas partie de ceux auxquels vous avez accès."


@dataclass(frozen=True)
class Principal:
    """The authenticated caller. ``rights`` is empty for an integration key."""

    kind: str  # "staff" | "integration" | "recipient" | "anonymous"
    id: int | None  # a recipient's id is their RecipientAccount's
    rights: RightSet
    session_id: int | None = None
    brand_id: int | None = None  # integration keys act for one brand
    recipient_kind: str | None = None  # "employee" | "client_user" for a recipient

    @property
    def actor(self) -> Actor:
        return Actor(self.kind, self.id)

    def agencies_with(self, *rights: Right) -> frozenset[int]:
        return frozenset().union(*(self.rights.agencies_with(r) for r in rights)) if rights else frozenset()


ANONYMOUS = Principal("anonymous", None, RightSet.of((), {}))


def db_session(request: Request) -> Session:
    """The request's session, opened by the middleware in app.py (writer for writes, reader for reads)."""
    session: Session = request.state.db
    return session


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def load_rights(session: Session, user_id: int) -> RightSet:
    grants = session.execute(
        select(RightGrant.right, RightGrant.agency_id, RightGrant.brand_id).where(
            RightGrant.user_id == user_id
        )
    ).all()
    agency_ids = {a for _, a, _ in grants if a is not None}
    brand_ids = {b for _, _, b in grants if b is not None}
    agency_brands: dict[int, int] = {}
    if agency_ids or brand_ids:
        rows = session.execute(
            select(Agency.id, Agency.brand_id).where(
                or_(Agency.id.in_(agency_ids), Agency.brand_id.in_(brand_ids))
            )
        ).all()
        agency_brands = {a: b for a, b in rows}
    return RightSet.of(
        (
            Grant(r, Scope.AGENCY if a is not None else Scope.BRAND, a if a is not None else b)
            for r, a, b in grants
        ),
        agency_brands,
    )


def authenticate(request: Request, session: Session, now: datetime) -> Principal:
    token = _bearer(request)
    if token is None:
        raise Unauthenticated("Authentification requise.")
    if token.startswith("ck_"):
        key = session.scalars(
            select(IntegrationKey).where(
                IntegrationKey.key_hash == token_hash(token), IntegrationKey.revoked_at.is_(None)
            )
        ).first()
        if key is None:
            raise Unauthenticated("Clé d'intégration inconnue ou révoquée.")
        return Principal("integration", key.id, RightSet.of((), {}), brand_id=key.brand_id)
    row = session.execute(
        select(AuthToken, StaffUser)
        .join(AuthSession, AuthSession.id == AuthToken.session_id)
        .join(StaffUser, StaffUser.id == AuthSession.user_id)
        .where(
            AuthToken.token_hash == token_hash(token),
            AuthToken.kind == "access",
            AuthSession.revoked_at.is_(None),
        )
    ).first()
    if row is None or row[0].expires_at <= now or not row[1].active:
        raise Unauthenticated()
    access, user = row
    return Principal("staff", user.id, load_rights(session, user.id), session_id=access.session_id)


class Rule:
    """Base of all rules: ``check`` raises Unauthenticated/Forbidden or returns the principal."""

    public = False

    def __call__(self, request: Request) -> Principal:
        session = db_session(request)
        now: datetime = request.app.state.ctx.clock()
        if self.public:
            return ANONYMOUS
        principal = authenticate(request, session, now)
        self.check(principal, request)
        return principal

    def check(self, principal: Principal, request: Request) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__


class Public(Rule):
    """No authentication: health, login, invitations, support."""

    public = True


class Authenticated(Rule):
    """Any staff user with a valid session; the handler scopes what it returns to the user's agencies."""

    def check(self, principal: Principal, request: Request) -> None:
        if principal.kind != "staff":
            raise Forbidden(FORBIDDEN)


def _param(request: Request, name: str) -> str | None:
    value = request.path_params.get(name)
    return str(value) if value is not None else request.query_params.get(name)


class AgencyRight(Rule):
    """Any of ``rights`` on the agency named by the path or query parameter ``param``.

    Without the parameter (a list across agencies) the user needs the right on at least one agency,
    and the handler must restrict its query to ``principal.agencies_with(*rights)``.
    """

    def __init__(self, *rights: Right, param: str = "agency_id") -> None:
        self.rights: tuple[Right, ...] = rights
        self.param = param

    def check(self, principal: Principal, request: Request) -> None:
        if principal.kind != "staff":
            raise Forbidden(FORBIDDEN)
        raw = _param(request, self.param)
        if raw is None:
            if not principal.agencies_with(*self.rights):
                raise Forbidden(FORBIDDEN)
            return
        try:
            agency_id = int(raw)
        except ValueError:
            raise Forbidden(OUT_OF_SCOPE) from None
        if agency_id not in principal.rights.visible_agencies():
            raise Forbidden(OUT_OF_SCOPE)
        if not principal.rights.has_any(self.rights, agency_id):
            raise Forbidden(FORBIDDEN)

    def describe(self) -> str:
        return f"AgencyRight({','.join(self.rights)} on {self.param})"


class BrandRight(Rule):
    """``right`` granted on the brand named by ``param`` (granted by the operator only)."""

    def __init__(self, right: Right, param: str = "brand_id") -> None:
        self.right = right
        self.param = param

    def check(self, principal: Principal, request: Request) -> None:
        raw = _param(request, self.param)
        if principal.kind != "staff" or raw is None or not raw.isdigit():
            raise Forbidden(FORBIDDEN)
        if not principal.rights.has_on_brand(self.right, int(raw)):
            raise Forbidden(FORBIDDEN)


class Integration(Rule):
    """A payroll/ERP integration key; the service checks that the agency belongs to the key's brand."""

    def check(self, principal: Principal, request: Request) -> None:
        if principal.kind != "integration":
            raise Forbidden("Ce point d'accès est réservé aux intégrations paie/ERP (clé d'intégration).")


RECIPIENTS_ONLY = "Ce point d'accès est réservé aux destinataires (coffre-fort salarié, espace entreprise)."
WRONG_SPACE = {
    "employee": "Ce point d'accès est réservé aux salariés (coffre-fort numérique).",
    "client_user": "Ce point d'accès est réservé aux utilisateurs des entreprises clientes.",
}


class Recipient(Rule):
    """A recipient's access token (a worker's vault, a client user's space); ``kind`` narrows it to one.

    Staff tokens and integration keys are refused here (403 when valid, 401 otherwise); recipient tokens
    are refused by every other rule, which looks tokens up among staff sessions and keys only (401).
    """

    def __init__(self, kind: str | None = None) -> None:
        self.kind = kind

    def __call__(self, request: Request) -> Principal:
        session = db_session(request)
        now: datetime = request.app.state.ctx.clock()
        token = _bearer(request)
        if token is None:
            raise Unauthenticated("Authentification requise.")
        if not token.startswith(recipient_auth.RECIPIENTS.access_prefix):
            authenticate(request, session, now)  # an invalid staff token or key is a 401, like anywhere
            raise Forbidden(RECIPIENTS_ONLY)
        identity = recipient_auth.authenticate(session, token, now)
        if self.kind is not None and identity.kind != self.kind:
            raise Forbidden(WRONG_SPACE.get(self.kind, FORBIDDEN))
        return Principal(
            "recipient",
            identity.account_id,
            ANONYMOUS.rights,
            session_id=identity.session_id,
            recipient_kind=identity.kind,
        )

    def describe(self) -> str:
        return f"Recipient({self.kind or 'any'})"


def requires(rule: Rule) -> Any:
    """The dependency to put on a route's principal parameter (or in ``dependencies=[...]``)."""
    return Depends(rule)


def rules_of(dependencies: Iterable[Any]) -> list[Rule]:
    """The rules among a route's (flattened) dependencies: used by the route-enumeration test."""
    return [d.call for d in dependencies if isinstance(getattr(d, "call", None), Rule)]


#: The request's database session, as a route parameter default: ``db: Session = DB``.
DB: Any = Depends(db_session)


def now(request: Request) -> datetime:
    """The app clock (tests move it)."""
    moment: datetime = request.app.state.ctx.clock()
    return moment
