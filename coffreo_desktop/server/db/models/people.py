"""Recipients: employees (workers with a vault) and client companies with their users."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coffreo_desktop.domain.search_text import search_key
from coffreo_desktop.server.db.models.base import Base, BigId, created_at, intpk, str80, str200

# Byte order on PostgreSQL, as on SQLite: prefix ranges (key >= 'du' AND key < 'du\uffff') then use the
# index whatever the database's locale, and both databases sort the list alike.
SearchKey = String(80).with_variant(String(80, collation="C"), "postgresql")


def _key(context: Any, column: str) -> str:
    return search_key(context.get_current_parameters().get(column) or "")


class Employee(Base):
    """A worker ("salarié", "intérimaire"); the matricule identifies them within a brand."""

    __tablename__ = "employees"
    __table_args__ = (
        UniqueConstraint("brand_id", "matricule"),
        Index("ix_employees_last_first", "last_name", "first_name"),
        # "Mes salariés" search as you type (F6.2): prefix ranges on the keys; the first also orders the list.
        Index("ix_employees_search_name", "search_last", "search_first", "id"),
        Index("ix_employees_search_first", "search_first"),
        Index("ix_employees_search_matricule", "search_matricule"),
    )
    id: Mapped[intpk]
    brand_id: Mapped[int] = mapped_column(BigId, ForeignKey("brands.id"))
    matricule: Mapped[str] = mapped_column(String(20))
    civility: Mapped[str] = mapped_column(String(8), default="")
    first_name: Mapped[str80]
    last_name: Mapped[str80]
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    birth_date: Mapped[date | None] = mapped_column(default=None)
    address: Mapped[str200] = mapped_column(default="")
    is_cadre: Mapped[bool | None] = mapped_column(default=None)  # where the payroll system provides it
    created_at: Mapped[created_at]
    vault_created_at: Mapped[datetime | None] = mapped_column(default=None)
    vault_activated_at: Mapped[datetime | None] = mapped_column(default=None)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    edelivery_opposed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_document_at: Mapped[datetime | None] = mapped_column(default=None)
    # Search keys (domain/search_text.py), filled on insert, Core bulk inserts included, and on ORM updates.
    search_last: Mapped[str] = mapped_column(
        SearchKey, default=lambda ctx: _key(ctx, "last_name"), server_default=""
    )
    search_first: Mapped[str] = mapped_column(
        SearchKey, default=lambda ctx: _key(ctx, "first_name"), server_default=""
    )
    search_matricule: Mapped[str] = mapped_column(
        SearchKey, default=lambda ctx: _key(ctx, "matricule"), server_default=""
    )

    agencies: Mapped[list[EmployeeAgency]] = relationship(cascade="all, delete-orphan")


@event.listens_for(Employee, "before_update")
def _refresh_search_keys(_mapper: Any, _connection: Any, employee: Employee) -> None:
    employee.search_last = search_key(employee.last_name or "")
    employee.search_first = search_key(employee.first_name or "")
    employee.search_matricule = search_key(employee.matricule or "")


class EmployeeAgency(Base):
    """An employee works for one or more agencies of the group."""

    __tablename__ = "employee_agencies"
    __table_args__ = (
        UniqueConstraint("employee_id", "agency_id"),
        Index("ix_employee_agencies_agency", "agency_id"),
    )
    id: Mapped[intpk]
    employee_id: Mapped[int] = mapped_column(BigId, ForeignKey("employees.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(BigId, ForeignKey("agencies.id"))
    since: Mapped[created_at]


class ClientCompany(Base):
    """A client company ("entreprise utilisatrice") of a brand: receives provision contracts and invoices."""

    __tablename__ = "client_companies"
    __table_args__ = (UniqueConstraint("brand_id", "code"),)
    id: Mapped[intpk]
    brand_id: Mapped[int] = mapped_column(BigId, ForeignKey("brands.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str200]
    siret: Mapped[str] = mapped_column(String(14), default="")
    address: Mapped[str200] = mapped_column(default="")
    created_at: Mapped[created_at]
    activated_at: Mapped[datetime | None] = mapped_column(default=None)

    users: Mapped[list[ClientUser]] = relationship(back_populates="client", cascade="all, delete-orphan")


class ClientAgency(Base):
    """Which agencies serve a client: it scopes the client lists of "Mes clients"."""

    __tablename__ = "client_agencies"
    __table_args__ = (
        UniqueConstraint("client_id", "agency_id"),
        Index("ix_client_agencies_agency", "agency_id"),
    )
    id: Mapped[intpk]
    client_id: Mapped[int] = mapped_column(BigId, ForeignKey("client_companies.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(BigId, ForeignKey("agencies.id"))


class ClientUser(Base):
    """A user of a client company, with the rights of F6.3."""

    __tablename__ = "client_users"
    __table_args__ = (UniqueConstraint("client_id", "email"),)
    id: Mapped[intpk]
    client_id: Mapped[int] = mapped_column(BigId, ForeignKey("client_companies.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    civility: Mapped[str] = mapped_column(String(8), default="")
    first_name: Mapped[str80]
    last_name: Mapped[str80]
    can_view_contracts: Mapped[bool] = mapped_column(default=True)
    can_sign_contracts: Mapped[bool] = mapped_column(default=False)
    can_invoices: Mapped[bool] = mapped_column(default=False)
    can_timesheets: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[created_at]
    activated_at: Mapped[datetime | None] = mapped_column(default=None)

    client: Mapped[ClientCompany] = relationship(back_populates="users")
