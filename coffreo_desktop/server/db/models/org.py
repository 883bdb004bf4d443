"""The organisation: brands (entities), companies, agencies, services, staff users and their rights."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Service
from coffreo_desktop.server.db.models.base import Base, BigId, created_at, intpk, str80, str200


def enum_column(enum: type, length: int = 32) -> Enum:
    """Enums are stored as their values in a plain VARCHAR (no native type: easy to extend)."""
    return Enum(
        enum,
        native_enum=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Brand(Base):
    """A brand or entity ("marque", "entité"): services are switched on at this level."""

    __tablename__ = "brands"
    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str200]
    logo_svg: Mapped[str | None] = mapped_column(String(20000), default=None)
    created_at: Mapped[created_at]

    companies: Mapped[list[Company]] = relationship(back_populates="brand")
    services: Mapped[list[BrandService]] = relationship(cascade="all, delete-orphan")


class BrandService(Base):
    __tablename__ = "brand_services"
    __table_args__ = (UniqueConstraint("brand_id", "service"),)
    id: Mapped[intpk]
    brand_id: Mapped[int] = mapped_column(BigId, ForeignKey("brands.id", ondelete="CASCADE"))
    service: Mapped[Service] = mapped_column(enum_column(Service))
    enabled_at: Mapped[created_at]


class Company(Base):
    """A legal company ("société") of a brand; it employs the workers and issues payslips."""

    __tablename__ = "companies"
    id: Mapped[intpk]
    brand_id: Mapped[int] = mapped_column(BigId, ForeignKey("brands.id"), index=True)
    name: Mapped[str200]
    siren: Mapped[str] = mapped_column(String(9), default="")
    created_at: Mapped[created_at]

    brand: Mapped[Brand] = relationship(back_populates="companies")
    agencies: Mapped[list[Agency]] = relationship(back_populates="company")


class Agency(Base):
    """An agency or establishment ("agence", "établissement"): the unit every right and list is scoped to."""

    __tablename__ = "agencies"
    id: Mapped[intpk]
    company_id: Mapped[int] = mapped_column(BigId, ForeignKey("companies.id"), index=True)
    # Denormalised from the company so that brand-scoped checks and queries need no join.
    brand_id: Mapped[int] = mapped_column(BigId, ForeignKey("brands.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str200]
    city: Mapped[str80] = mapped_column(default="")
    address: Mapped[str200] = mapped_column(default="")
    siret: Mapped[str] = mapped_column(String(14), default="")
    created_at: Mapped[created_at]

    company: Mapped[Company] = relationship(back_populates="agencies")


class StaffUser(Base):
    """Agency staff ("utilisateurs", "collaborateurs"). No password until the invitation is accepted."""

    __tablename__ = "staff_users"
    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str80]
    last_name: Mapped[str80]
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    is_operator: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]
    activated_at: Mapped[datetime | None] = mapped_column(default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)

    grants: Mapped[list[RightGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="RightGrant.user_id"
    )


class RightGrant(Base):
    """One right of one user on exactly one agency or one brand."""

    __tablename__ = "right_grants"
    __table_args__ = (
        CheckConstraint("(agency_id IS NULL) <> (brand_id IS NULL)", name="one_target"),
        # One grant per right and target. A plain UNIQUE over both targets would never fire, as the
        # unused one is NULL and NULLs never collide: one partial unique index per kind of target.
        Index(
            "uq_right_grants_agency",
            "user_id",
            "right",
            "agency_id",
            unique=True,
            sqlite_where=text("agency_id IS NOT NULL"),
            postgresql_where=text("agency_id IS NOT NULL"),
        ),
        Index(
            "uq_right_grants_brand",
            "user_id",
            "right",
            "brand_id",
            unique=True,
            sqlite_where=text("brand_id IS NOT NULL"),
            postgresql_where=text("brand_id IS NOT NULL"),
        ),
        Index("ix_right_grants_agency_right", "agency_id", "right"),
    )
    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    right: Mapped[Right] = mapped_column(enum_column(Right, 8))
    agency_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("agencies.id"), default=None)
    brand_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("brands.id"), default=None)
    granted_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("staff_users.id"), default=None)
    created_at: Mapped[created_at]

    user: Mapped[StaffUser] = relationship(back_populates="grants", foreign_keys=[user_id])


class IntegrationKey(Base):
    """An API key of a payroll/ERP system, allowed to deposit documents for the agencies of one brand."""

    __tablename__ = "integration_keys"
    id: Mapped[intpk]
    brand_id: Mapped[int] = mapped_column(BigId, ForeignKey("brands.id"))
    name: Mapped[str80]
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
