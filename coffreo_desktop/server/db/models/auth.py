"""Invitations, sessions (hashed access and rotating refresh tokens) and login attempts for throttling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from coffreo_desktop.server.db.models.base import Base, BigId, created_at, intpk


class Invitation(Base):
    """A one-time link that lets a staff user choose a password (F1.1). Only its hash is stored."""

    __tablename__ = "invitations"
    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class AuthSession(Base):
    """One login: a family of rotating refresh tokens. Revoked on logout or when a refresh token is reused."""

    __tablename__ = "auth_sessions"
    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[created_at]
    client_address: Mapped[str] = mapped_column(String(64), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class AuthToken(Base):
    """An access or refresh token of a session, stored as its SHA-256 only."""

    __tablename__ = "auth_tokens"
    __table_args__ = (Index("ix_auth_tokens_session_kind", "session_id", "kind"),)
    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(BigId, ForeignKey("auth_sessions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # "access" | "refresh"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)  # a refresh token is used once


class LoginAttempt(Base):
    """Failed logins per email and per address, kept in the database so throttling holds across processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_address_at", "client_address", "at"),  # per-address throttling
    )
    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254))
    client_address: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[created_at]
    success: Mapped[bool] = mapped_column(default=False)
