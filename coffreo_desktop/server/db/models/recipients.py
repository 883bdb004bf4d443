"""Recipient accounts (F7.1): a worker's vault login or a client user's login, their activation links and
their sessions (the same hashed, rotating tokens as staff sessions, in tables of their own).

Identity: one account per (kind, email). An employee account is the person behind every Employee row
with that email (one row per brand they worked for): the vault lists what was delivered to any of them.
A client account likewise covers every ClientUser row with that email (one per client company).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from coffreo_desktop.server.db.models.base import Base, BigId, created_at, intpk
from coffreo_desktop.server.db.models.people import ClientUser, Employee

EMPLOYEE = "employee"
CLIENT_USER = "client_user"


class RecipientAccount(Base):
    """A login of the recipient side; ``email`` is normalised (lower case, trimmed)."""

    __tablename__ = "recipient_accounts"
    __table_args__ = (UniqueConstraint("kind", "email"),)
    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(12))  # employee | client_user
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[created_at]
    activated_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)


class RecipientActivation(Base):
    """A one-time link of a delivery mail that lets the recipient choose a password. Only its hash is kept."""

    __tablename__ = "recipient_activations"
    id: Mapped[intpk]
    employee_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("employees.id", ondelete="CASCADE"), default=None, index=True
    )
    client_user_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("client_users.id", ondelete="CASCADE"), default=None, index=True
    )
    # The address the link was mailed to: if the person's email changes, the old mailbox's link stops working.
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class RecipientSession(Base):
    """One login of a recipient: a family of rotating refresh tokens, like AuthSession for staff."""

    __tablename__ = "recipient_sessions"
    id: Mapped[intpk]
    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("recipient_accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[created_at]
    client_address: Mapped[str] = mapped_column(String(64), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class RecipientToken(Base):
    """An access or refresh token of a recipient session, stored as its SHA-256 only."""

    __tablename__ = "recipient_tokens"
    __table_args__ = (Index("ix_recipient_tokens_session_kind", "session_id", "kind"),)
    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(BigId, ForeignKey("recipient_sessions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # "access" | "refresh"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


# An account finds its people by email on every request: index the lower-cased addresses (declared here,
# with the feature that needs them, so that people.py stays the plain description of the people).
Index("ix_employees_email_lower", func.lower(Employee.email))
Index("ix_client_users_email_lower", func.lower(ClientUser.email))
