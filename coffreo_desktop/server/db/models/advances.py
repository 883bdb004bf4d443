"""Salary advances (F5): the agency policy, earnings deposited by payroll, and the requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models.base import Base, BigId, created_at, intpk
from coffreo_desktop.server.db.models.org import enum_column


class AdvancePolicy(Base):
    __tablename__ = "advance_policies"
    agency_id: Mapped[int] = mapped_column(BigId, ForeignKey("agencies.id"), primary_key=True)
    percent: Mapped[int] = mapped_column(default=80)
    ceiling_cents: Mapped[int] = mapped_column(default=80000)


class Earning(Base):
    """Net earned to date by a worker for an agency in a pay period, deposited by the payroll/ERP."""

    __tablename__ = "earnings"
    __table_args__ = (UniqueConstraint("employee_id", "agency_id", "period_start"),)
    id: Mapped[intpk]
    employee_id: Mapped[int] = mapped_column(BigId, ForeignKey("employees.id"))
    agency_id: Mapped[int] = mapped_column(BigId, ForeignKey("agencies.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    net_earned_cents: Mapped[int]
    deposited_at: Mapped[created_at]


class AdvanceRequest(Base):
    __tablename__ = "advance_requests"
    __table_args__ = (
        Index("ix_advance_requests_agency_state", "agency_id", "state", "created_at"),
        Index("ix_advance_requests_employee", "employee_id", "agency_id", "state"),
    )
    id: Mapped[intpk]
    employee_id: Mapped[int] = mapped_column(BigId, ForeignKey("employees.id"))
    agency_id: Mapped[int] = mapped_column(BigId, ForeignKey("agencies.id"))
    amount_cents: Mapped[int | None] = mapped_column(default=None)  # None: "montant maximum"
    wants_maximum: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(String(1000), default="")
    state: Mapped[AdvanceState] = mapped_column(enum_column(AdvanceState), default=AdvanceState.SENT)
    granted_cents: Mapped[int | None] = mapped_column(default=None)
    decision_comment: Mapped[str] = mapped_column(String(1000), default="")
    decided_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("staff_users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[created_at]
    version: Mapped[int] = mapped_column(default=1)
