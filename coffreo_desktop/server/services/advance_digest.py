"""The 11:00 digest of salary advances (F5.5): one mail per active staff user holding "DA" on at least one
agency with requests waiting ("Envoyée"), with the number to process per agency and in all. Only agencies
whose brand has the "Demandes d'acomptes" service count.

Runs as the KeyedJob "advances.digest" (jobs/__init__.py): inside the JobRun transaction, so the day's
mails are queued once across processes, or not at all if anything fails. Set-based on purpose: one query
counts the waiting requests per agency, one lists who holds DA on those agencies (agency grants and brand
grants alike, as rules.load_rights reads them), and the mails go into the outbox in one bulk insert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, union
from sqlalchemy.orm import Session

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import AdvanceRequest, Agency, Brand, OutboxMail, RightGrant, StaffUser
from coffreo_desktop.server.mail import templates
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.advance_mails import MAIL_DIGEST, AgencyCount, digest
from coffreo_desktop.server.services.advances_scope import enabled_agencies, enabled_brands
from coffreo_desktop.server.services.audit import Actor


@dataclass(frozen=True, slots=True)
class _Pending:
    name: str
    brand_id: int
    count: int


@dataclass
class _Reader:
    email: str
    first_name: str
    agencies: set[int]


def pending_by_agency(session: Session) -> dict[int, _Pending]:
    """Requests waiting per agency whose brand has the service (agencies with none are absent)."""
    rows = session.execute(
        select(Agency.id, Agency.name, Agency.brand_id, func.count(AdvanceRequest.id))
        .join(AdvanceRequest, AdvanceRequest.agency_id == Agency.id)
        .where(AdvanceRequest.state == AdvanceState.SENT, Agency.brand_id.in_(enabled_brands()))
        .group_by(Agency.id, Agency.name, Agency.brand_id)
    ).all()
    return {a: _Pending(name, brand, n) for a, name, brand, n in rows}


def readers(session: Session) -> dict[int, _Reader]:
    """Active staff users with DA on an agency that has waiting requests, and which of those agencies."""
    waiting = select(AdvanceRequest.agency_id).where(
        AdvanceRequest.state == AdvanceState.SENT, AdvanceRequest.agency_id.in_(enabled_agencies())
    )
    on_agency = select(RightGrant.user_id, RightGrant.agency_id).where(
        RightGrant.right == Right.ACOMPTES, RightGrant.agency_id.in_(waiting)
    )
    # A brand grant covers every agency of the brand, those added after the grant included (RightSet).
    on_brand = (
        select(RightGrant.user_id, Agency.id)
        .join(Agency, Agency.brand_id == RightGrant.brand_id)
        .where(RightGrant.right == Right.ACOMPTES, Agency.id.in_(waiting))
    )
    grants = union(on_agency, on_brand).subquery()
    rows = session.execute(
        select(StaffUser.id, StaffUser.email, StaffUser.first_name, grants.c[1])
        .join(grants, grants.c[0] == StaffUser.id)
        .where(StaffUser.active.is_(True))
    ).all()
    found: dict[int, _Reader] = {}
    for user_id, email, first_name, agency_id in rows:
        found.setdefault(user_id, _Reader(email, first_name, set())).agencies.add(agency_id)
    return found


def _brands(session: Session, ids: set[int]) -> dict[int, templates.MailBrand]:
    rows = session.execute(select(Brand.id, Brand.name, Brand.logo_svg).where(Brand.id.in_(ids))).all()
    return {b: templates.MailBrand(name, logo) for b, name, logo in rows}


def send_digest(session: Session, ctx: AppContext, key: str, now: datetime) -> int:
    """Queue the day's digest mails (``key`` is the Paris date of the run); returns how many were queued."""
    pending = pending_by_agency(session)
    if not pending:
        return 0
    people = readers(session)
    brands = _brands(session, {p.brand_id for p in pending.values()})
    mails: list[dict[str, object]] = []
    for reader in people.values():
        agencies = sorted((pending[a] for a in reader.agencies), key=lambda p: (p.name.casefold(), p.name))
        # The brand's logo when every agency of the mail is of one brand; the product's name otherwise.
        own = {p.brand_id for p in agencies}
        brand = brands.get(own.pop()) if len(own) == 1 else None
        mail = digest(
            ctx.settings,
            first_name=reader.first_name,
            counts=[AgencyCount(p.name, p.count) for p in agencies],
            brand=brand,
        )
        mails.append(
            {
                "kind": MAIL_DIGEST,
                "to_addr": reader.email,
                "subject": mail.subject,
                "body_text": mail.text,
                "body_html": mail.html,
                "created_at": now,
            }
        )
    if mails:
        # One executemany rather than outbox.queue's flush per mail: a thousand readers, one round trip.
        session.execute(insert(OutboxMail), mails)
    audit.record(
        session,
        Actor.system(),
        "advances.digest_sent",
        "job_run",
        key,
        details={
            "mails": len(mails),
            "agencies": len(pending),
            "pending": sum(p.count for p in pending.values()),
        },
    )
    return len(mails)
