"""The JSON shapes of the campaign routes (the Campaign of /tmp/campaign_contract.md) and how a campaign
row becomes one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from coffreo_desktop.domain import campaigns as rules
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.db.models import Agency, Brand, ClientCompany, StaffUser
from coffreo_desktop.server.db.models.campaigns import Campaign
from coffreo_desktop.server.services import campaigns as service


class DocumentOut(BaseModel):
    id: int
    title: str
    file_name: str
    size: int
    pages: int


class CampaignOut(BaseModel):
    id: int
    name: str
    scope: Literal["agency", "brand"]
    agency_id: int | None
    brand_id: int | None
    scope_name: str
    state: CampaignState
    status_label: str
    on_payslips: bool
    on_contracts: bool
    retroactive_from: date | None
    cadre_filter: str
    client_filter_id: int | None
    client_filter_name: str | None
    signed: bool
    starts_on: date | None
    ends_on: date | None
    documents: list[DocumentOut]
    deliveries: int
    version: int
    created_at: datetime
    created_by_name: str
    activated_at: datetime | None
    closed_at: datetime | None


class Synthesis(BaseModel):
    running: int
    planned: int
    deliveries: int


class CampaignList(BaseModel):
    synthesis: Synthesis
    items: list[CampaignOut]


class ClientOut(BaseModel):
    id: int
    name: str


class OptionsOut(BaseModel):
    signed_available: bool
    clients: list[ClientOut]
    max_retroactive_days: int
    max_document_size: int
    earliest_retroactive_start: date


class CampaignIn(BaseModel):
    agency_id: int | None = None
    brand_id: int | None = None
    name: str = Field("", max_length=1000)
    on_payslips: bool = False
    on_contracts: bool = False
    retroactive: bool = False
    cadre_filter: str = "all"
    client_filter_id: int | None = None
    signed: bool = False
    starts_on: date | None = None
    ends_on: date | None = None
    version: int | None = None

    def settings(self, documents: int = 0) -> rules.CampaignSettings:
        return rules.CampaignSettings(
            self.name,
            self.on_payslips,
            self.on_contracts,
            self.retroactive,
            self.cadre_filter,
            self.client_filter_id,
            self.signed,
            self.starts_on,
            self.ends_on,
            documents,
        )


class VersionIn(BaseModel):
    version: int | None = None


class PeriodIn(BaseModel):
    from_: date | None = Field(None, alias="from")
    to: date | None = None


def view(db: Session, campaign: Campaign, today: date, counts: dict[int, int] | None = None) -> CampaignOut:
    if counts is None:
        counts = service.delivery_counts(db, [campaign.id])
    scope_name = ""
    if campaign.brand_id is not None:
        brand = db.get(Brand, campaign.brand_id)
        scope_name = brand.name if brand else ""
    else:
        agency = db.get(Agency, campaign.agency_id)
        scope_name = agency.name if agency else ""
    client = db.get(ClientCompany, campaign.client_filter_id) if campaign.client_filter_id else None
    author = db.get(StaffUser, campaign.created_by)
    return CampaignOut(
        id=campaign.id,
        name=campaign.name,
        scope="brand" if campaign.brand_id is not None else "agency",
        agency_id=campaign.agency_id,
        brand_id=campaign.brand_id,
        scope_name=scope_name,
        state=campaign.state,
        status_label=rules.status_label(campaign.state, campaign.starts_on, today),
        on_payslips=campaign.on_payslips,
        on_contracts=campaign.on_contracts,
        retroactive_from=campaign.retroactive_from,
        cadre_filter=campaign.cadre_filter,
        client_filter_id=campaign.client_filter_id,
        client_filter_name=client.name if client else None,
        signed=campaign.signed,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        documents=[
            DocumentOut(id=d.id, title=d.title, file_name=d.file_name, size=d.size, pages=d.pages)
            for d in service.documents_of(db, campaign.id)
        ],
        deliveries=counts.get(campaign.id, 0),
        version=campaign.version,
        created_at=campaign.created_at,
        created_by_name=f"{author.first_name} {author.last_name}".strip() if author else "",
        activated_at=campaign.activated_at,
        closed_at=campaign.closed_at,
    )


class DeliveryOut(BaseModel):
    employee_id: int
    matricule: str
    first_name: str
    last_name: str
    agency_name: str
    delivered_at: datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None
    total: int


class DayCount(BaseModel):
    day: date
    count: int


class DailyOut(BaseModel):
    days: list[DayCount]
