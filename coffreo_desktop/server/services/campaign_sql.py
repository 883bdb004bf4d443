"""The SQL of the Diffusion pilotée trigger engine: when a campaign runs, which documents trigger it, and the
statements the deposit path runs for every triggering document, built once with bound parameters (no
expression building per deposit, one cached compilation)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, and_, bindparam, exists, insert, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from coffreo_desktop.domain.documents import DocumentType, Protection, SignatureState
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.db.models import (
    Agency,
    Campaign,
    CampaignDelivery,
    CampaignDocument,
    Delivery,
    Document,
    Employee,
)

#: The documents that trigger a campaign: payslips, and the temp worker's mission contract (the only
#: contract delivered to the employee; the provision contract goes to the client company).
PAYSLIP_TRIGGER = DocumentType.PAYSLIP
CONTRACT_TRIGGER = DocumentType.MISSION_CONTRACT

ZONE = ZoneInfo(DISPLAY_TZ)


def campaign_day(now: datetime) -> date:
    """The day D of the campaign rules: campaigns run by the calendar of Europe/Paris."""
    return now.astimezone(ZONE).date()


def running_on(day: date) -> ColumnElement[bool]:
    """Launched, started on or before ``day`` and not ended before it (a planned campaign is ACTIVE too)."""
    return and_(
        Campaign.state == CampaignState.ACTIVE,
        Campaign.starts_on <= day,
        or_(Campaign.ends_on.is_(None), Campaign.ends_on >= day),
    )


def cadre_matches(is_cadre: Any) -> ColumnElement[bool]:
    # An unknown status (the payroll system does not give it) matches only campaigns without the filter.
    return or_(
        Campaign.cadre_filter == "all",
        and_(Campaign.cadre_filter == "cadre", is_cadre.is_(True)),
        and_(Campaign.cadre_filter == "non_cadre", is_cadre.is_(False)),
    )


def trigger_matches(doc_type: Any, is_cadre: Any, client_id: Any) -> ColumnElement[bool]:
    """The campaign's triggers and filters against a document's type, cadre status and client company;
    the cadre and client filters belong to the contract trigger (F4.4)."""
    return or_(
        and_(Campaign.on_payslips.is_(True), doc_type == PAYSLIP_TRIGGER),
        and_(
            Campaign.on_contracts.is_(True),
            doc_type == CONTRACT_TRIGGER,
            cadre_matches(is_cadre),
            or_(Campaign.client_filter_id.is_(None), Campaign.client_filter_id == client_id),
        ),
    )


def trigger_statement(trigger: DocumentType, dialect: Any) -> Any:
    """INSERT INTO campaign_deliveries SELECT <the running campaigns in scope whose trigger matches and that
    the employee has not had> ON CONFLICT (campaign_id, employee_id) DO NOTHING RETURNING campaign_id.

    One statement finds and claims the campaigns of a deposit: a concurrent transaction delivering the same
    campaign to the same employee waits on the unique index, then inserts nothing (PostgreSQL). Built once
    per trigger and dialect with bound parameters: the deposit path runs it for every payslip."""
    day = bindparam("day", type_=Campaign.starts_on.type)
    agency_id = bindparam("agency_id", type_=Campaign.agency_id.type)
    employee_id = bindparam("employee_id", type_=CampaignDelivery.employee_id.type)
    brand_id = select(Agency.brand_id).where(Agency.id == agency_id).scalar_subquery()
    query = select(
        Campaign.id,
        employee_id,
        bindparam("trigger_id", type_=CampaignDelivery.trigger_document_id.type),
        bindparam("now", type_=CampaignDelivery.delivered_at.type),
    ).where(
        Campaign.state == CampaignState.ACTIVE,
        Campaign.starts_on <= day,
        or_(Campaign.ends_on.is_(None), Campaign.ends_on >= day),
        or_(Campaign.agency_id == agency_id, Campaign.brand_id == brand_id),
        ~exists().where(
            CampaignDelivery.campaign_id == Campaign.id, CampaignDelivery.employee_id == employee_id
        ),
    )
    if trigger is PAYSLIP_TRIGGER:
        query = query.where(Campaign.on_payslips.is_(True))
    else:  # the cadre and client filters belong to the contract trigger (F4.4)
        client_id = bindparam("client_id", type_=Campaign.client_filter_id.type)
        query = query.where(
            Campaign.on_contracts.is_(True),
            Campaign.cadre_filter.in_(bindparam("cadres", expanding=True)),
            or_(Campaign.client_filter_id.is_(None), Campaign.client_filter_id == client_id),
        )
    return (
        dialect.insert(CampaignDelivery)
        .from_select(["campaign_id", "employee_id", "trigger_document_id", "delivered_at"], query)
        .on_conflict_do_nothing(index_elements=["campaign_id", "employee_id"])
        .returning(CampaignDelivery.campaign_id)
    )


TRIGGERS = {
    (trigger, dialect.dialect.name): trigger_statement(trigger, dialect)
    for trigger in (PAYSLIP_TRIGGER, CONTRACT_TRIGGER)
    for dialect in (postgresql, sqlite)
}


def claim_campaigns(
    connection: Connection, document: Document, employee: Employee, day: date, now: datetime
) -> list[int]:
    """The ids of the running campaigns in scope whose trigger matches ``document``, claimed for ``employee``
    (insert-once; brand scope = every agency of the brand now, agencies added after the launch too)."""
    is_cadre = document.is_cadre if document.is_cadre is not None else employee.is_cadre
    # An unknown status (the payroll system does not give it) matches only campaigns without the filter.
    cadres = ["all", *(["cadre"] if is_cadre is True else []), *(["non_cadre"] if is_cadre is False else [])]
    params = {
        "day": day,
        "agency_id": document.agency_id,
        "employee_id": employee.id,
        "trigger_id": document.id,
        "now": now,
    }
    if document.doc_type is CONTRACT_TRIGGER:
        params |= {"cadres": cadres, "client_id": document.client_id}
    statement = TRIGGERS[(document.doc_type, connection.dialect.name)]
    return list(connection.execute(statement, params).scalars())


def copy_statement() -> Any:
    def p(name: str, column: Any) -> Any:
        return bindparam(name, type_=column.type)

    source = CampaignDocument
    values = (
        select(
            p("agency_id", Document.agency_id),
            literal(DocumentType.DIFFUSED, Document.doc_type.type),
            source.title,
            source.file_name,
            source.blob_sha256,
            source.size,
            source.pages,
            p("employee_id", Document.employee_id),
            p("day", Document.document_date),
            p("last_name", Document.employee_last_name),
            p("first_name", Document.employee_first_name),
            p("matricule", Document.matricule),
            literal(Protection.SIMPLE, Document.protection.type),
            literal(SignatureState.NOT_REQUIRED, Document.signature_state.type),
            literal("campaign", Document.origin.type),
            source.campaign_id,
            p("now", Document.created_at),
            p("now", Document.changed_at),
        )
        .join(Campaign, Campaign.id == source.campaign_id)
        .where(source.campaign_id.in_(bindparam("campaign_ids", expanding=True)), Campaign.signed.is_(False))
        .order_by(source.campaign_id, source.id)
    )
    columns = [Document.__table__.c[name] for name in COPY_COLUMNS]
    t = Document.__table__.c
    return (
        insert(Document)
        .from_select(columns, values)
        .returning(t.id, t.title, t.file_name, t.blob_sha256, t.size, t.pages, t.campaign_id)
    )


COPY_COLUMNS = [
    "agency_id", "doc_type", "title", "file_name", "blob_sha256", "size", "pages", "employee_id",
    "document_date", "employee_last_name", "employee_first_name", "matricule", "protection",
    "signature_state", "origin", "campaign_id", "created_at", "changed_at",
]  # fmt: skip
#: Built once (the deposit path runs them for every triggering payslip): no expression building per call.
COPY = copy_statement()
DELIVER = insert(Delivery).from_select(
    ["document_id", "employee_id", "delivered_at"],
    select(Document.id, Document.employee_id, bindparam("now", type_=Delivery.delivered_at.type)).where(
        Document.id.in_(bindparam("ids", expanding=True))
    ),
)
