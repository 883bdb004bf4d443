"""Accesses to one agency (F6.1 "+" and removal): create a staff user with rights and invite them, or give
an existing user rights on the agency, and remove every right of a user on the agency."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.emails import is_valid_email, normalize_email
from coffreo_desktop.domain.rights import MATRIX_ORDER, Right, RightSet
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import Agency, Brand, RightGrant, StaffUser
from coffreo_desktop.server.errors import Conflict, Invalid, NotFound
from coffreo_desktop.server.mail import outbox, templates
from coffreo_desktop.server.services import audit, staff
from coffreo_desktop.server.services.admin_rights import (
    UserRights,
    check_not_last_admin,
    full_name,
    lock_agency,
    rights_on,
    user_row,
)
from coffreo_desktop.server.services.audit import Actor


@dataclass(frozen=True)
class AccessCreated:
    """The new row of the matrix; ``created`` when a new account was made; the mail queued for the user."""

    user: UserRights
    created: bool
    mail: str  # "invitation" (a link to choose a password) | "access_granted" (an active user is told)


def _access_mail(
    session: Session, user: StaffUser, agency: Agency, actor: Actor, settings: ServerSettings, now: datetime
) -> None:
    """Tell a user who already has a password that they can now work on one more agency."""
    brand = session.get(Brand, agency.brand_id)
    inviter = session.get(StaffUser, actor.id) if actor.kind == "staff" and actor.id is not None else None
    mail = templates.render(
        "access_granted",
        subject=f"Nouvel accès : {agency.name}",
        settings=settings,
        brand=templates.MailBrand(brand.name, brand.logo_svg) if brand else None,
        first_name=user.first_name,
        inviter=full_name(inviter) if inviter else "Votre administrateur",
        agency=agency.name,
        email=user.email,
    )
    outbox.queue(
        session,
        kind="access_granted",
        to=user.email,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        now=now,
    )


def create_access(
    session: Session,
    *,
    actor: Actor,
    viewer: RightSet,
    agency_id: int,
    email: str,
    first_name: str,
    last_name: str,
    rights: Iterable[Right],
    settings: ServerSettings,
    now: datetime,
) -> AccessCreated:
    """Give ``email`` the rights on the agency: a new account is invited (staff.invite_staff); an existing
    one keeps its name and password and gets the rights, plus a new invitation if it never activated."""
    chosen = [r for r in MATRIX_ORDER if r in set(rights)]
    if not chosen:
        raise Invalid("Accordez au moins un droit sur l'établissement.", code="no_rights")
    email = normalize_email(email)
    if not is_valid_email(email):
        raise Invalid(f"Adresse e-mail invalide : « {email} ».", code="invalid_email")
    agency = lock_agency(session, agency_id)
    user = session.scalars(select(StaffUser).where(StaffUser.email == email)).one_or_none()
    if user is None:
        invited = staff.invite_staff(
            session,
            actor=actor,
            email=email,
            first_name=first_name,
            last_name=last_name,
            grants={agency_id: chosen},
            settings=settings,
            now=now,
        )
        return AccessCreated(user_row(session, agency_id, invited.user.id, viewer), True, "invitation")
    if rights_on(session, agency_id, user.id):
        raise Conflict(
            f"{full_name(user)} ({email}) a déjà un accès à cet établissement : modifiez ses droits dans "
            "le tableau.",
            code="duplicate_access",
        )
    if not user.active:
        raise Conflict(
            f"Le compte de {full_name(user)} ({email}) est désactivé : il ne peut pas recevoir de droits.",
            code="account_disabled",
        )
    session.add_all(
        RightGrant(
            user_id=user.id,
            right=r,
            agency_id=agency_id,
            granted_by=actor.id if actor.kind == "staff" else None,
            created_at=now,
        )
        for r in chosen
    )
    session.flush()
    audit.record(
        session,
        actor,
        "staff.rights_granted",
        "staff_user",
        user.id,
        agency_id=agency_id,
        details={"rights": [r.value for r in chosen], "email": email},
    )
    if user.password_hash is None:
        staff.resend_invitation(session, actor=actor, user_id=user.id, settings=settings, now=now)
        kind = "invitation"
    else:
        _access_mail(session, user, agency, actor, settings, now)
        kind = "access_granted"
    return AccessCreated(user_row(session, agency_id, user.id, viewer), False, kind)


def remove_access(session: Session, *, actor: Actor, agency_id: int, user_id: int) -> list[Right]:
    """Remove every right of the user on the agency (their other agencies are untouched)."""
    agency = lock_agency(session, agency_id)
    user = session.get(StaffUser, user_id)
    current = rights_on(session, agency_id, user_id) if user is not None else set()
    if user is None or not current:
        raise NotFound(
            "Cet utilisateur n'a plus d'accès à cet établissement (supprimé entre-temps) : "
            "la liste va être actualisée.",
            code="access_not_found",
        )
    if Right.ADMIN in current:
        check_not_last_admin(session, agency, user, actor)
    session.execute(
        delete(RightGrant).where(RightGrant.agency_id == agency_id, RightGrant.user_id == user_id)
    )
    removed = [r for r in MATRIX_ORDER if r in current]
    audit.record(
        session,
        actor,
        "access.removed",
        "staff_user",
        user_id,
        agency_id=agency_id,
        details={"rights": [r.value for r in removed], "email": user.email},
    )
    return removed
