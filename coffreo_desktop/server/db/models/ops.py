"""Operations: the hash-chained audit trail, the mail outbox, reminders, scheduled job runs, export jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coffreo_desktop.server.db.models.base import Base, BigId, created_at, intpk


class AuditEvent(Base):
    """Append-only. ``hash`` = SHA-256 over the previous hash and this row's canonical content."""

    __tablename__ = "audit_events"
    id: Mapped[intpk]
    at: Mapped[datetime]
    actor_kind: Mapped[str] = mapped_column(
        String(20)
    )  # staff | employee | client_user | integration | system
    actor_id: Mapped[int | None] = mapped_column(BigId, default=None)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(64))
    agency_id: Mapped[int | None] = mapped_column(BigId, default=None, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """A single row locked while appending, so that two writers never chain onto the same previous hash."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(BigId, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class OutboxMail(Base):
    __tablename__ = "outbox_mails"
    __table_args__ = (Index("ix_outbox_mails_pending", "sent_at", "id"),)
    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(40))
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")


class Reminder(Base):
    """Reminders sent ("relancer"): the 24-hour rule per recipient is read from here, not from memory."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_target", "target_kind", "target_id", "sent_at"),)
    id: Mapped[intpk]
    target_kind: Mapped[str] = mapped_column(String(20))  # employee | client | client_user | staff
    target_id: Mapped[int] = mapped_column(BigId)
    sent_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("staff_users.id"), default=None)
    sent_at: Mapped[created_at]


#: Byte order on PostgreSQL, as in Python and on SQLite: reminders lock slots in sorted address order, and the
#: database's ORDER BY ... FOR UPDATE must agree with Python's sort for that order to prevent deadlocks.
MailboxKey = String(254).with_variant(String(254, collation="C"), "postgresql")


class ReminderSlot(Base):
    """One row per kind of recipient and mailbox (lower-cased, stripped address): when it was last reminded.
    The row is locked while a reminder is decided, so two processes reminding the same mailbox at once,
    through the same row or two rows sharing the address, send one mail (services/reminders.py)."""

    __tablename__ = "reminder_slots"
    target_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    address: Mapped[str] = mapped_column(MailboxKey, primary_key=True)
    last_sent_at: Mapped[datetime | None] = mapped_column(default=None)


class JobRun(Base):
    """One row per run of a scheduled job and key (e.g. one day's digest): the unique key makes it once."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "run_key"),)
    id: Mapped[intpk]
    job: Mapped[str] = mapped_column(String(40))
    run_key: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[created_at]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class ExportJob(Base):
    __tablename__ = "export_jobs"
    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("staff_users.id"))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(12), default="queued")  # queued | running | done | failed
    created_at: Mapped[created_at]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    blob_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    error: Mapped[str] = mapped_column(String(500), default="")


class SchemaInfo(Base):
    """Which application wrote this database last (the data dir check refuses a newer one)."""

    __tablename__ = "schema_info"
    id: Mapped[int] = mapped_column(primary_key=True)
    app_version: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[created_at]


class RateEvent(Base):
    """Counted events for rate limits that must hold across processes (e.g. messages to support)."""

    __tablename__ = "rate_events"
    __table_args__ = (Index("ix_rate_events_bucket_key_at", "bucket", "key", "at"),)
    id: Mapped[intpk]
    bucket: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(254))
    at: Mapped[created_at]
