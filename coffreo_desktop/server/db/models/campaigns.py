"""Campaigns of Diffusion pilotée (F4): configuration, documents and one delivery per employee."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.db.models.base import Base, BigId, created_at, intpk, str200
from coffreo_desktop.server.db.models.org import enum_column


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (CheckConstraint("(agency_id IS NULL) <> (brand_id IS NULL)", name="one_scope"),)
    id: Mapped[intpk]
    agency_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("agencies.id"), default=None, index=True)
    brand_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("brands.id"), default=None, index=True)
    name: Mapped[str200]
    state: Mapped[CampaignState] = mapped_column(enum_column(CampaignState), default=CampaignState.DRAFT)
    on_payslips: Mapped[bool] = mapped_column(default=False)
    on_contracts: Mapped[bool] = mapped_column(default=False)
    retroactive_from: Mapped[date | None] = mapped_column(default=None)
    cadre_filter: Mapped[str] = mapped_column(String(10), default="all")  # all | cadre | non_cadre
    client_filter_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("client_companies.id"), default=None
    )
    signed: Mapped[bool] = mapped_column(default=False)
    starts_on: Mapped[date | None] = mapped_column(default=None)
    ends_on: Mapped[date | None] = mapped_column(default=None)
    created_by: Mapped[int] = mapped_column(BigId, ForeignKey("staff_users.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[created_at]
    activated_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(default=1)


class CampaignDocument(Base):
    __tablename__ = "campaign_documents"
    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str200]
    file_name: Mapped[str] = mapped_column(String(255))
    blob_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    pages: Mapped[int]


class CampaignDelivery(Base):
    """Exactly one delivery per employee and campaign, however many triggering documents arrive."""

    __tablename__ = "campaign_deliveries"
    __table_args__ = (UniqueConstraint("campaign_id", "employee_id"),)
    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(BigId, ForeignKey("campaigns.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(BigId, ForeignKey("employees.id"))
    trigger_document_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("documents.id"), default=None)
    delivered_at: Mapped[created_at]
