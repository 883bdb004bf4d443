"""The trigger engine of Diffusion pilotée (F4.8, F4.9): a deposited payslip or contract brings the documents
of every running campaign in its scope, once per employee and campaign; launches deliver retroactively, and
a daily job closes the campaigns whose end has passed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time

from sqlalchemy import Connection, and_, exists, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coffreo_desktop.domain.documents import DocumentType, Protection, SignatureState
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.context import AppContext
from coffreo_desktop.server.db.models import (
    Agency,
    Campaign,
    CampaignDelivery,
    CampaignDocument,
    Delivery,
    Document,
    Employee,
)
from coffreo_desktop.server.pdf import seal
from coffreo_desktop.server.pdf.certificates import entity_of
from coffreo_desktop.server.pdf.entity_keys import seal_keys
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor
from coffreo_desktop.server.services.campaign_sql import (
    CONTRACT_TRIGGER,
    COPY,
    COPY_COLUMNS,
    DELIVER,
    PAYSLIP_TRIGGER,
    ZONE,
    campaign_day,
    claim_campaigns,
    running_on,
    trigger_matches,
)
from coffreo_desktop.server.services.delivery import Companion
from coffreo_desktop.server.services.recipient_signing import EMPLOYEE_FIELD
from coffreo_desktop.server.storage.blobs import BlobStore

__all__ = ["campaign_day", "deliver_retroactively", "on_document_delivered", "running_on"]

#: Rows per statement on the retroactive path (SQLite allows 32,766 bound values per statement).
CHUNK = 2000


def on_document_delivered(
    session: Session,
    blobs: BlobStore,
    document: Document,
    employee: Employee,
    now: datetime,
    *,
    settings: ServerSettings | None = None,
) -> list[Companion]:
    """Deliver, with the triggering ``document`` (flushed), the documents of every running campaign it
    triggers for ``employee``; returns them (for the mail of ``document``). Same transaction as the deposit.

    The deposit path runs this for every payslip: its statements are built once and run on the session's
    connection (Core), without ORM objects for the copies of unsigned campaigns (the ORM's bookkeeping
    cost more than the inserts). ``settings`` is needed only for "Diffusion signée" campaigns (the agency's
    seal keys)."""
    if document.doc_type not in (PAYSLIP_TRIGGER, CONTRACT_TRIGGER):
        return []
    if document.doc_type is PAYSLIP_TRIGGER and employee.edelivery_opposed_at is not None:
        return []  # the payslip is handed on paper (see delivery): nothing travels with it
    connection = session.connection()
    won = claim_campaigns(connection, document, employee, campaign_day(now), now)
    if not won:
        return []
    # The copies of unsigned campaigns by one INSERT … SELECT; the campaigns left are signed ("Diffusion
    # signée": one certified PDF per employee).
    made = _plain_copies(connection, won, document.agency_id, employee, now)
    copied = {c.campaign_id for c in made}
    if signed := [c for i in won if i not in copied and (c := session.get_one(Campaign, i)).signed]:
        files = _documents_of(session, [c.id for c in signed])
        copies = [
            _document(session, blobs, campaign, source, employee, document.agency_id, now, settings)
            for campaign in signed
            for source in files.get(campaign.id, [])
        ]
        session.add_all(copies)
        session.flush()
        made += [Companion(d.id, d.title, d.campaign_id or 0, d.signature_state) for d in copies]
    if made:
        connection.execute(DELIVER, {"ids": [d.id for d in made], "now": now})
    return made


def _plain_copies(
    connection: Connection, campaign_ids: list[int], agency_id: int, employee: Employee, now: datetime
) -> list[Companion]:
    """The employee's copies of the documents of ``campaign_ids`` that are not signed, by one INSERT … SELECT:
    they share the campaign's blob, so nothing is written but the rows."""
    params = {
        "campaign_ids": campaign_ids,
        "agency_id": agency_id,
        "employee_id": employee.id,
        "day": campaign_day(now),
        "last_name": employee.last_name,
        "first_name": employee.first_name,
        "matricule": employee.matricule,
        "now": now,
    }
    return [
        Companion(row.id, row.title, row.campaign_id, SignatureState.NOT_REQUIRED)
        for row in connection.execute(COPY, params)
    ]


def _documents_of(session: Session, campaign_ids: Iterable[int]) -> dict[int, list[CampaignDocument]]:
    found: dict[int, list[CampaignDocument]] = {}
    query = select(CampaignDocument).where(CampaignDocument.campaign_id.in_(list(campaign_ids)))
    for doc in session.scalars(query.order_by(CampaignDocument.id)):
        found.setdefault(doc.campaign_id, []).append(doc)
    return found


def _document(
    session: Session,
    blobs: BlobStore,
    campaign: Campaign,
    source: CampaignDocument,
    employee: Employee,
    agency_id: int,
    now: datetime,
    settings: ServerSettings | None,
) -> Document:
    """One employee's copy of a campaign document: the same blob, or for a signed campaign the PDF certified
    for signing with the employee's empty field (the signing flow of Diffusion libre then applies)."""
    sha256, size = source.blob_sha256, source.size
    protection, state = Protection.SIMPLE, SignatureState.NOT_REQUIRED
    if campaign.signed:
        if settings is None:
            raise ValueError(f"campaign {campaign.id} is signed: the seal keys (settings) are needed")
        name = f"{employee.first_name} {employee.last_name}".strip()
        content = seal.certify_for_signing(
            blobs.read_verified(source.blob_sha256),
            entity_of(session, agency_id),
            [seal.SignerSlot(EMPLOYEE_FIELD, name)],  # the field the worker's signing flow looks for
            seal_keys(settings),
        )
        sha256, size = blobs.put_bytes(content), len(content)
        protection, state = Protection.TO_SIGN, SignatureState.UNSIGNED
    return Document(
        agency_id=agency_id,
        doc_type=DocumentType.DIFFUSED,
        title=source.title,
        file_name=source.file_name,
        blob_sha256=sha256,
        size=size,
        pages=source.pages,
        employee_id=employee.id,
        document_date=campaign_day(now),
        employee_last_name=employee.last_name,
        employee_first_name=employee.first_name,
        matricule=employee.matricule,
        protection=protection,
        signature_state=state,
        origin="campaign",
        campaign_id=campaign.id,
        created_at=now,
        changed_at=now,
    )


def deliver_retroactively(
    session: Session,
    blobs: BlobStore,
    campaign: Campaign,
    now: datetime,
    *,
    settings: ServerSettings | None = None,
) -> int:
    """Deliver ``campaign`` to every employee in its scope and filters who received a triggering document
    since ``campaign.retroactive_from`` (Europe/Paris midnight) and has not had it yet; returns how many.

    Set-based: one INSERT … SELECT picks the employees (insert-once), then the copies and their deliveries
    are inserted per chunk; a signed campaign certifies one PDF per employee (CPU-bound)."""
    if campaign.retroactive_from is None:
        return 0
    since = datetime.combine(campaign.retroactive_from, time(0), ZONE)
    trigger = Document
    agency_ids = (
        select(Agency.id).where(Agency.brand_id == campaign.brand_id)
        if campaign.brand_id is not None
        else select(literal(campaign.agency_id))
    )
    first = (
        select(
            literal(campaign.id).label("campaign_id"),
            trigger.employee_id,
            func.min(trigger.id).label("trigger_document_id"),
            literal(now, CampaignDelivery.delivered_at.type).label("delivered_at"),
        )
        .select_from(trigger)
        .join(Delivery, and_(Delivery.document_id == trigger.id, Delivery.employee_id == trigger.employee_id))
        .join(Campaign, Campaign.id == campaign.id)  # the filters read the campaign's own columns
        .where(
            trigger.agency_id.in_(agency_ids),
            trigger.created_at >= since,
            trigger.created_at <= now,
            trigger.deleted_at.is_(None),
            trigger_matches(trigger.doc_type, trigger.is_cadre, trigger.client_id),
            ~exists().where(
                CampaignDelivery.campaign_id == campaign.id,
                CampaignDelivery.employee_id == trigger.employee_id,
            ),
        )
        .group_by(trigger.employee_id)
    )
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(CampaignDelivery)
        .from_select(["campaign_id", "employee_id", "trigger_document_id", "delivered_at"], first)
        .on_conflict_do_nothing(index_elements=["campaign_id", "employee_id"])
        .returning(CampaignDelivery.employee_id, CampaignDelivery.trigger_document_id)
    )
    won = [(row[0], row[1]) for row in session.execute(statement)]
    if not won:
        return 0
    files = _documents_of(session, [campaign.id]).get(campaign.id, [])
    for start in range(0, len(won), CHUNK):
        chunk = won[start : start + CHUNK]
        if campaign.signed:
            _signed_copies(session, blobs, campaign, files, chunk, now, settings)
        else:
            _copies(session, campaign, files, [trigger_id for _, trigger_id in chunk], now)
        _touch_vaults(session, [employee_id for employee_id, _ in chunk], now)
    return len(won)


def _copies(
    session: Session,
    campaign: Campaign,
    files: Sequence[CampaignDocument],
    trigger_ids: list[int],
    now: datetime,
) -> None:
    """The copies of ``files`` for the employees of ``trigger_ids``' documents, by the triggering agency,
    and their deliveries: two statements per campaign document."""
    t = Document
    day = campaign_day(now)
    for source in files:
        values = (
            select(
                t.agency_id,
                literal(DocumentType.DIFFUSED, Document.doc_type.type),
                literal(source.title),
                literal(source.file_name),
                literal(source.blob_sha256),
                literal(source.size),
                literal(source.pages),
                t.employee_id,
                literal(day, Document.document_date.type),
                Employee.last_name,
                Employee.first_name,
                Employee.matricule,
                literal(Protection.SIMPLE, Document.protection.type),
                literal(SignatureState.NOT_REQUIRED, Document.signature_state.type),
                literal("campaign"),
                literal(campaign.id),
                literal(now, Document.created_at.type),
                literal(now, Document.changed_at.type),
            )
            .join(Employee, Employee.id == t.employee_id)
            .where(t.id.in_(trigger_ids))
        )
        made = session.execute(
            insert(Document).from_select(COPY_COLUMNS, values).returning(Document.id, Document.employee_id)
        ).all()
        session.execute(
            insert(Delivery),
            [{"document_id": d, "employee_id": e, "delivered_at": now} for d, e in made],
        )


def _signed_copies(
    session: Session,
    blobs: BlobStore,
    campaign: Campaign,
    files: Sequence[CampaignDocument],
    chunk: list[tuple[int, int]],
    now: datetime,
    settings: ServerSettings | None,
) -> None:
    triggers = dict(
        session.execute(
            select(Document.id, Document.agency_id).where(Document.id.in_([t for _, t in chunk]))
        ).all()
    )
    employees = {
        e.id: e for e in session.scalars(select(Employee).where(Employee.id.in_([e for e, _ in chunk])))
    }
    made = [
        _document(
            session, blobs, campaign, source, employees[employee_id], triggers[trigger_id], now, settings
        )
        for employee_id, trigger_id in chunk
        for source in files
    ]
    session.add_all(made)
    session.flush()
    session.add_all(Delivery(document_id=d.id, employee_id=d.employee_id, delivered_at=now) for d in made)
    session.flush()


def _touch_vaults(session: Session, employee_ids: list[int], now: datetime) -> None:
    """The vault exists from the first document delivered; the last document date moves (as in delivery)."""
    session.execute(
        update(Employee)
        .where(Employee.id.in_(employee_ids))
        .values(
            vault_created_at=func.coalesce(Employee.vault_created_at, now),
            last_document_at=now,
        )
        .execution_options(synchronize_session=False)
    )


def close_ended(session: Session, now: datetime) -> list[int]:
    """Close ("Archivée") every launched campaign whose planned end is before today (Europe/Paris)."""
    ended = session.scalars(
        select(Campaign)
        .where(Campaign.state == CampaignState.ACTIVE, Campaign.ends_on < campaign_day(now))
        .order_by(Campaign.id)
        .with_for_update()
    ).all()
    for campaign in ended:
        campaign.state = CampaignState.CLOSED
        campaign.closed_at = now
        campaign.updated_at = now
        campaign.version += 1
        audit.record(
            session,
            Actor.system(),
            "campaign.closed",
            "campaign",
            campaign.id,
            agency_id=campaign.agency_id,
            details={"reason": "planned_end", "ends_on": campaign.ends_on, "brand_id": campaign.brand_id},
        )
    session.flush()
    return [c.id for c in ended]


def run_daily(ctx: AppContext, now: datetime) -> list[int]:
    """The daily job's work in a transaction of its own (the scheduler runs ``daily_job`` instead)."""
    with ctx.db.writer() as session:
        closed = close_ended(session, now)
        session.commit()
    return closed


def daily_job(session: Session, _ctx: AppContext, _key: str, now: datetime) -> None:
    """The scheduler's keyed action (runs once a day across processes, in the JobRun's transaction)."""
    close_ended(session, now)
