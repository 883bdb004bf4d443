"""Staff accounts (F1.1, F6.1): create a user with rights and send the invitation, or send it again.

The caller (route rule or operator CLI) has already checked that the actor may grant these rights;
this service checks the data: a valid and unused email, names, existing agencies and brands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coffreo_desktop.domain.emails import is_valid_email, normalize_email
from coffreo_desktop.domain.rights import MATRIX_ORDER, Right
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import Agency, Brand, RightGrant, StaffUser
from coffreo_desktop.server.errors import Conflict, Invalid, NotFound
from coffreo_desktop.server.mail import outbox, templates
from coffreo_desktop.server.services import audit, auth
from coffreo_desktop.server.services.audit import Actor

NAME_MAX = 80


@dataclass(frozen=True)
class InvitedStaff:
    """The user, and the invitation token and link (shown once by the CLI; only the hash is stored)."""

    user: StaffUser
    token: str
    link: str
    mail_id: int


def _rights(values: Iterable[Right | str]) -> list[Right]:
    values = list(values)
    unknown = sorted(str(v) for v in values if str(v) not in {r.value for r in Right})
    if unknown:
        raise Invalid(
            f"Droit inconnu : {', '.join(unknown)}. Droits possibles : {', '.join(MATRIX_ORDER)}.",
            code="unknown_right",
        )
    chosen = {Right(v) for v in values}
    return [r for r in MATRIX_ORDER if r in chosen]


def _clean_name(value: str, label: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned or len(cleaned) > NAME_MAX:
        raise Invalid(f"Le {label} est obligatoire ({NAME_MAX} caractères au plus).", code="invalid_name")
    return cleaned


def _check_targets(
    session: Session, model: type[Agency] | type[Brand], ids: Iterable[int], what: str, code: str
) -> None:
    wanted = set(ids)
    if not wanted:
        return
    found = set(session.scalars(select(model.id).where(model.id.in_(wanted))))
    missing = sorted(wanted - found)
    if missing:
        raise Invalid(f"{what} : n° {', '.join(map(str, missing))}.", code=code)


def _mail_brand(session: Session, brand_id: int | None) -> templates.MailBrand:
    brand = session.get(Brand, brand_id) if brand_id is not None else None
    return templates.MailBrand(brand.name, brand.logo_svg) if brand else templates.MailBrand()


def _inviter(session: Session, actor: Actor) -> str | None:
    if actor.kind != "staff" or actor.id is None:
        return None
    user = session.get(StaffUser, actor.id)
    return f"{user.first_name} {user.last_name}" if user else None


def _send_invitation(
    session: Session,
    user: StaffUser,
    *,
    actor: Actor,
    brand_id: int | None,
    settings: ServerSettings,
    now: datetime,
) -> InvitedStaff:
    token = auth.create_invitation(session, user, now=now)
    mail = templates.invitation(
        settings,
        email=user.email,
        first_name=user.first_name,
        token=token,
        brand=_mail_brand(session, brand_id),
        inviter=_inviter(session, actor),
    )
    queued = outbox.queue(
        session,
        kind="invitation",
        to=user.email,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        now=now,
    )
    return InvitedStaff(user, token, templates.invitation_link(settings, token), queued.id)


def invite_staff(
    session: Session,
    *,
    actor: Actor,
    email: str,
    first_name: str,
    last_name: str,
    grants: Mapping[int, Iterable[Right | str]],
    brand_grants: Mapping[int, Iterable[Right | str]] | None = None,
    settings: ServerSettings,
    now: datetime,
) -> InvitedStaff:
    """Create a staff user without password, grant rights per agency (and brand) id, queue the invitation."""
    email = normalize_email(email)
    if not is_valid_email(email):
        raise Invalid(f"Adresse e-mail invalide : « {email} ».", code="invalid_email")
    first, last = _clean_name(first_name, "prénom"), _clean_name(last_name, "nom")
    agency_rights = {a: _rights(r) for a, r in grants.items()}
    brand_rights = {b: _rights(r) for b, r in (brand_grants or {}).items()}
    agency_rights = {a: r for a, r in agency_rights.items() if r}
    brand_rights = {b: r for b, r in brand_rights.items() if r}
    if not agency_rights and not brand_rights:
        raise Invalid("Accordez au moins un droit sur un établissement.", code="no_rights")
    _check_targets(session, Agency, agency_rights, "Établissement inconnu", "unknown_agency")
    _check_targets(session, Brand, brand_rights, "Marque inconnue", "unknown_brand")
    taken = f"L'adresse {email} est déjà celle d'un utilisateur : modifiez plutôt ses droits."
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise Conflict(taken, code="email_taken")

    user = StaffUser(email=email, first_name=first, last_name=last, password_hash=None, created_at=now)
    try:
        with session.begin_nested():  # a concurrent invitation of the same address loses here, cleanly
            session.add(user)
            session.flush()
    except IntegrityError:
        raise Conflict(taken, code="email_taken") from None
    granted_by = actor.id if actor.kind == "staff" else None
    session.add_all(
        RightGrant(user_id=user.id, right=r, agency_id=a, granted_by=granted_by, created_at=now)
        for a, rights in agency_rights.items()
        for r in rights
    )
    session.add_all(
        RightGrant(user_id=user.id, right=r, brand_id=b, granted_by=granted_by, created_at=now)
        for b, rights in brand_rights.items()
        for r in rights
    )
    session.flush()

    audit.record(
        session,
        actor,
        "staff.invited",
        "staff_user",
        user.id,
        details={"email": email, "first_name": first, "last_name": last},
    )
    for agency_id, rights in sorted(agency_rights.items()):
        audit.record(
            session,
            actor,
            "staff.rights_granted",
            "staff_user",
            user.id,
            agency_id=agency_id,
            details={"rights": [str(r) for r in rights]},
        )
    for brand_id, rights in sorted(brand_rights.items()):
        audit.record(
            session,
            actor,
            "staff.brand_rights_granted",
            "staff_user",
            user.id,
            details={"brand_id": brand_id, "rights": [str(r) for r in rights]},
        )
    return _send_invitation(
        session, user, actor=actor, brand_id=_brand_of(session, user.id), settings=settings, now=now
    )


def _brand_of(session: Session, user_id: int) -> int | None:
    """The brand the invitation speaks for: the one of the user's first agency, else of a brand grant."""
    brand_id = session.scalar(
        select(Agency.brand_id)
        .join(RightGrant, RightGrant.agency_id == Agency.id)
        .where(RightGrant.user_id == user_id)
        .order_by(Agency.id)
        .limit(1)
    )
    if brand_id is None:
        brand_id = session.scalar(
            select(RightGrant.brand_id)
            .where(RightGrant.user_id == user_id, RightGrant.brand_id.is_not(None))
            .order_by(RightGrant.brand_id)
            .limit(1)
        )
    return brand_id


def resend_invitation(
    session: Session, *, actor: Actor, user_id: int, settings: ServerSettings, now: datetime
) -> InvitedStaff:
    """A new invitation link for a user who has not chosen a password yet; earlier links stop working."""
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFound("Utilisateur introuvable.", code="staff_not_found")
    if user.password_hash is not None:
        raise Conflict(
            f"{user.first_name} {user.last_name} a déjà activé son compte : inutile de le réinviter.",
            code="already_active",
        )
    if not user.active:
        raise Conflict(
            "Ce compte est désactivé : réactivez-le avant de renvoyer l'invitation.", code="account_disabled"
        )
    audit.record(
        session, actor, "staff.invitation_resent", "staff_user", user.id, details={"email": user.email}
    )
    return _send_invitation(
        session, user, actor=actor, brand_id=_brand_of(session, user.id), settings=settings, now=now
    )
