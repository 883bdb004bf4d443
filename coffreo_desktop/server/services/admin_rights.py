"""The rights matrix of one agency (F6.1): read it in a few set-based queries, set one cell with an
optimistic check of the state the caller saw, and keep at least one active administrator per agency.

Creating and removing whole accesses lives in ``admin_accesses``; both share the row view and the locks
defined here.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import String, delete, func, select, type_coerce
from sqlalchemy.orm import Session

from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.rights import MATRIX_ORDER, Right, RightSet, Scope
from coffreo_desktop.domain.search_text import strip_marks
from coffreo_desktop.server.db.models import Agency, AuditEvent, Brand, RightGrant, StaffUser
from coffreo_desktop.server.errors import Conflict, NotFound
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

_PARIS = ZoneInfo(DISPLAY_TZ)
#: Audit actions that change cells of the matrix; their details name one "right" or a list of "rights".
CELL_ACTIONS = ("right.granted", "right.revoked", "staff.rights_granted", "access.removed")
_BY_CODE = {r.value: r for r in Right}


@dataclass(frozen=True)
class OtherAgencyRights:
    """The user's rights on another agency the caller may see (read-only in the matrix)."""

    agency_id: int
    agency_name: str
    rights: list[Right]


@dataclass(frozen=True)
class BrandRights:
    """The user's brand-level rights (granted by the operator; read-only in the matrix)."""

    brand_id: int
    brand_name: str
    rights: list[Right]


@dataclass(frozen=True)
class UserRights:
    """One row of the matrix."""

    user_id: int
    first_name: str
    last_name: str
    email: str
    active: bool
    invited: bool  # no password chosen yet: the invitation is pending
    rights: list[Right]
    other_agencies: list[OtherAgencyRights]
    brand_rights: list[BrandRights]


@dataclass(frozen=True)
class RightsMatrix:
    agency_id: int
    version: str  # opaque: changes whenever any grant shown in the matrix changes
    users: list[UserRights]


def _ordered(rights: set[Right]) -> list[Right]:
    return [r for r in MATRIX_ORDER if r in rights]


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Sort key for French names: accents and case do not matter ("Émile" sorts with "Emile"). Marks are
    stripped before casefolding, unlike ``fold``: a few non-Latin letters sort differently (kept as is)."""
    return strip_marks(text).casefold()


def _visible_brands(viewer: RightSet) -> set[int]:
    brands = {viewer.agency_brands[a] for a in viewer.visible_agencies()}
    return brands | {g.target_id for g in viewer.grants if g.scope is Scope.BRAND}


def _rows(
    session: Session, agency_id: int, user_ids: object, viewer: RightSet
) -> tuple[list[UserRights], str]:
    """The matrix rows of the users selected by ``user_ids`` (a list or a subquery): three queries."""
    users = (
        session.connection()
        .execute(
            select(
                StaffUser.id,
                StaffUser.first_name,
                StaffUser.last_name,
                StaffUser.email,
                StaffUser.active,
                StaffUser.password_hash.is_(None),
            ).where(StaffUser.id.in_(user_ids))  # type: ignore[arg-type]
        )
        .all()
    )
    # The right as its raw code, read through Core: a few thousand rows must not each go through the
    # ORM's row processing and the Enum type (most of the time of this call when they did).
    grants = (
        session.connection()
        .execute(
            select(
                RightGrant.id,
                RightGrant.user_id,
                type_coerce(RightGrant.right, String()),
                RightGrant.agency_id,
                RightGrant.brand_id,
            )
            .where(RightGrant.user_id.in_(user_ids))  # type: ignore[arg-type]
            .order_by(RightGrant.id)
        )
        .all()
    )
    visible_agencies = viewer.visible_agencies()
    visible_brands = _visible_brands(viewer)
    here: dict[int, set[Right]] = defaultdict(set)
    elsewhere: dict[int, dict[int, set[Right]]] = defaultdict(lambda: defaultdict(set))
    brands: dict[int, dict[int, set[Right]]] = defaultdict(lambda: defaultdict(set))
    digest = hashlib.sha256(str(agency_id).encode())
    for grant_id, user_id, code, grant_agency, grant_brand in grants:
        right = _BY_CODE[code]
        if grant_agency == agency_id:
            here[user_id].add(right)
        elif grant_agency is not None and grant_agency in visible_agencies:
            elsewhere[user_id][grant_agency].add(right)
        elif grant_brand is not None and grant_brand in visible_brands:
            brands[user_id][grant_brand].add(right)
        else:
            continue  # outside what the caller may see: neither shown nor part of the version
        # Grant rows are only ever inserted or deleted, so their identities are the state; ids alone
        # could be reused by SQLite after a delete, hence the whole tuple.
        digest.update(f"|{grant_id},{user_id},{code},{grant_agency},{grant_brand}".encode())
    names = _names(
        session, {a for per in elsewhere.values() for a in per}, {b for per in brands.values() for b in per}
    )
    rows = [
        UserRights(
            user_id=uid,
            first_name=first,
            last_name=last,
            email=email,
            active=active,
            invited=invited,
            rights=_ordered(here[uid]),
            other_agencies=sorted(
                (OtherAgencyRights(a, names[("a", a)], _ordered(r)) for a, r in elsewhere[uid].items()),
                key=lambda o: (_fold(o.agency_name), o.agency_id),
            ),
            brand_rights=sorted(
                (BrandRights(b, names[("b", b)], _ordered(r)) for b, r in brands[uid].items()),
                key=lambda o: (_fold(o.brand_name), o.brand_id),
            ),
        )
        for uid, first, last, email, active, invited in users
    ]
    rows.sort(key=lambda u: (_fold(u.last_name), _fold(u.first_name), u.user_id))
    return rows, digest.hexdigest()[:20]


def _names(session: Session, agency_ids: set[int], brand_ids: set[int]) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    if agency_ids:
        names.update(
            (("a", i), n)
            for i, n in session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(agency_ids)))
        )
    if brand_ids:
        names.update(
            (("b", i), n)
            for i, n in session.execute(select(Brand.id, Brand.name).where(Brand.id.in_(brand_ids)))
        )
    return names


def matrix(session: Session, agency_id: int, viewer: RightSet) -> RightsMatrix:
    """Every user holding at least one right on the agency, sorted by last then first name."""
    members = select(RightGrant.user_id).where(RightGrant.agency_id == agency_id).distinct().scalar_subquery()
    rows, version = _rows(session, agency_id, members, viewer)
    return RightsMatrix(agency_id, version, rows)


def user_row(session: Session, agency_id: int, user_id: int, viewer: RightSet) -> UserRights:
    rows, _ = _rows(session, agency_id, [user_id], viewer)
    if not rows:
        raise NotFound("Cet utilisateur n'existe plus : la liste va être actualisée.", code="staff_not_found")
    return rows[0]


# -- writes ----------------------------------------------------------------------------------------


def lock_agency(session: Session, agency_id: int) -> Agency:
    """Serialise every change of one agency's rights (PostgreSQL row lock; SQLite writes are serial
    already): without it two administrators removing each other's "A" at once could both pass the
    last-administrator check and leave the agency with none."""
    agency = session.execute(
        select(Agency).where(Agency.id == agency_id).with_for_update()
    ).scalar_one_or_none()
    if agency is None:
        raise NotFound("Établissement introuvable.", code="unknown_agency")
    return agency


def rights_on(session: Session, agency_id: int, user_id: int) -> set[Right]:
    return set(
        session.scalars(
            select(RightGrant.right).where(RightGrant.agency_id == agency_id, RightGrant.user_id == user_id)
        )
    )


def full_name(user: StaffUser) -> str:
    return f"{user.first_name} {user.last_name}"


def check_not_last_admin(session: Session, agency: Agency, user: StaffUser, actor: Actor) -> None:
    """Refuse to take "A" from the agency's last active administrator.

    Only agency grants count: brand-level "A" is the operator's, cannot be managed from the matrix, and
    its holders are often not at the agency at all. Only active users who chose a password count: an
    invitation that is never accepted must not leave the agency without an administrator.
    """
    if not user.active or user.password_hash is None:
        return
    others = session.scalar(
        select(func.count())
        .select_from(RightGrant)
        .join(StaffUser, StaffUser.id == RightGrant.user_id)
        .where(
            RightGrant.agency_id == agency.id,
            RightGrant.right == Right.ADMIN,
            RightGrant.user_id != user.id,
            StaffUser.active.is_(True),
            StaffUser.password_hash.is_not(None),
        )
    )
    if others:
        return
    if actor.kind == "staff" and actor.id == user.id:
        detail = (
            f"Vous êtes le dernier administrateur de l'établissement {agency.name} : vous ne pouvez pas "
            "retirer votre droit « A ». Nommez d'abord un autre administrateur."
        )
    else:
        detail = (
            f"{full_name(user)} est le dernier administrateur de l'établissement {agency.name} : "
            "nommez d'abord un autre administrateur."
        )
    raise Conflict(detail, code="last_admin")


def _last_change(
    session: Session, agency_id: int, user_id: int, right: Right
) -> tuple[int | None, datetime] | None:
    """Who changed the cell last and when, from the audit trail (newest first)."""
    events = session.execute(
        select(AuditEvent.actor_id, AuditEvent.at, AuditEvent.details)
        .where(
            AuditEvent.agency_id == agency_id,
            AuditEvent.target_type == "staff_user",
            AuditEvent.target_id == str(user_id),
            AuditEvent.action.in_(CELL_ACTIONS),
        )
        .order_by(AuditEvent.id.desc())
        .limit(100)
    ).all()
    for actor_id, at, details in events:
        if details.get("right") == right.value or right.value in details.get("rights", ()):
            return actor_id, at
    grant = session.execute(
        select(RightGrant.granted_by, RightGrant.created_at).where(
            RightGrant.agency_id == agency_id, RightGrant.user_id == user_id, RightGrant.right == right
        )
    ).first()
    return (grant[0], grant[1]) if grant is not None else None


def changed_detail(session: Session, agency_id: int, user_id: int, right: Right) -> str:
    change = _last_change(session, agency_id, user_id, right)
    if change is None:
        return "Ce droit a été modifié entre-temps : l'état actuel est affiché."
    actor_id, at = change
    who = session.get(StaffUser, actor_id) if actor_id is not None else None
    by = f" par {full_name(who)}" if who is not None else ""
    local = at.astimezone(_PARIS)
    return f"Ce droit a été modifié{by} le {local:%d/%m/%Y} à {local:%H:%M} : l'état actuel est affiché."


def set_right(
    session: Session,
    *,
    actor: Actor,
    viewer: RightSet,
    agency_id: int,
    user_id: int,
    right: Right,
    granted: bool,
    expected: bool,
    now: datetime,
) -> UserRights:
    """Set one cell. ``expected`` is the state the caller saw: if it changed meanwhile nothing is written
    and the 409 carries the row's current state, so the later of two administrators sees it."""
    agency = lock_agency(session, agency_id)
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFound("Cet utilisateur n'existe plus : la liste va être actualisée.", code="staff_not_found")
    current = rights_on(session, agency_id, user_id)
    if not current:
        raise NotFound(
            f"{full_name(user)} n'a plus d'accès à cet établissement (supprimé entre-temps) : "
            "la liste va être actualisée.",
            code="access_not_found",
        )
    is_on = right in current
    if is_on != expected:
        raise Conflict(
            changed_detail(session, agency_id, user_id, right),
            code="rights_changed",
            right=right.value,
            current=is_on,
            user=row_json(user_row(session, agency_id, user_id, viewer)),
        )
    if is_on == granted:
        return user_row(session, agency_id, user_id, viewer)
    if granted and not user.active:  # as "+ Créer un accès" refuses it: a disabled account gets no right
        raise Conflict(
            f"Le compte de {full_name(user)} est désactivé : il ne peut pas recevoir de droits.",
            code="account_disabled",
        )
    if granted:
        session.add(
            RightGrant(
                user_id=user_id,
                right=right,
                agency_id=agency_id,
                granted_by=actor.id if actor.kind == "staff" else None,
                created_at=now,
            )
        )
        session.flush()
    else:
        if right is Right.ADMIN:
            check_not_last_admin(session, agency, user, actor)
        if current == {right}:
            # The matrix lists users holding a right here: dropping the last one removes the access,
            # which the desktop confirms first (F6.1) and sends as DELETE /admin/accesses/{user_id}.
            raise Conflict(
                f"« {right.value} » est le dernier droit de {full_name(user)} sur cet établissement : "
                "supprimez plutôt son accès.",
                code="last_right",
            )
        session.execute(
            delete(RightGrant).where(
                RightGrant.agency_id == agency_id, RightGrant.user_id == user_id, RightGrant.right == right
            )
        )
    audit.record(
        session,
        actor,
        "right.granted" if granted else "right.revoked",
        "staff_user",
        user_id,
        agency_id=agency_id,
        details={"right": right.value, "email": user.email},
    )
    return user_row(session, agency_id, user_id, viewer)


def row_json(row: UserRights) -> dict[str, object]:
    """A row as plain JSON for a problem+json body (errors bypass the response model)."""
    return {
        "user_id": row.user_id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "active": row.active,
        "invited": row.invited,
        "rights": [r.value for r in row.rights],
        "other_agencies": [
            {"agency_id": o.agency_id, "agency_name": o.agency_name, "rights": [r.value for r in o.rights]}
            for o in row.other_agencies
        ],
        "brand_rights": [
            {"brand_id": b.brand_id, "brand_name": b.brand_name, "rights": [r.value for r in b.rights]}
            for b in row.brand_rights
        ],
    }


def matrix_json(found: RightsMatrix) -> dict[str, object]:
    """The matrix as plain JSON: the route answers it directly, as validating 500 nested rows against
    the response model would take longer than building them."""
    return {
        "agency_id": found.agency_id,
        "version": found.version,
        "users": [row_json(u) for u in found.users],
    }
