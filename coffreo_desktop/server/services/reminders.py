"""The 24-hour reminder rule ("relancer", F6.2-3), per recipient and in the database, for any kind of target.

Each recipient has one ``reminder_slots`` row. A reminder first makes sure the row exists (an insert that
ignores a duplicate), then reads it FOR UPDATE: on PostgreSQL the row stays locked until the caller's
transaction ends, so a second process reminding the same person waits and then reads the new time (READ
COMMITTED re-reads a locked row); on SQLite the writer session's BEGIN IMMEDIATE serialises writers the same
way. The mail (queued in the outbox by ``send``), the slot, the history row and the audit event commit
together or not at all. Rows are locked in id order, so two bulk reminders cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coffreo_desktop.domain.limits import REMINDER_INTERVAL
from coffreo_desktop.server.db.models import Reminder, ReminderSlot
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

#: Ids per IN (...) clause: a bulk reminder may name 100,000 recipients, past PostgreSQL's 65,535 bind
#: parameters per statement (and older SQLite's 999); the chunks run in the caller's one transaction.
IN_CHUNK = 1000


def chunks(ids: Sequence[int], size: int | None = None) -> Iterator[list[int]]:
    """``ids`` in slices small enough for one IN clause."""
    step = size or IN_CHUNK
    for start in range(0, len(ids), step):
        yield list(ids[start : start + step])


@dataclass(frozen=True)
class ReminderResult:
    """Who was reminded, who was skipped and until when a new reminder is refused, who could not be sent."""

    reminded: list[int] = field(default_factory=list)
    skipped: list[tuple[int, datetime]] = field(default_factory=list)
    #: ``send`` answered False (no address, already activated...): nothing recorded, the 24 hours not started.
    failed: list[int] = field(default_factory=list)


def _ensure_slot(session: Session, target_kind: str, target_id: int) -> None:
    values = {"target_kind": target_kind, "target_id": target_id, "last_sent_at": None}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(ReminderSlot).values(**values).on_conflict_do_nothing())
    else:
        session.execute(sqlite.insert(ReminderSlot).values(**values).on_conflict_do_nothing())


def next_allowed(session: Session, *, target_kind: str, target_ids: list[int]) -> dict[int, datetime]:
    """When each of these recipients may be reminded again (only those reminded in the last 24 hours
    at ``now`` are relevant: the caller compares with its clock)."""
    found: dict[int, datetime] = {}
    for part in chunks(target_ids):
        rows = session.execute(
            select(ReminderSlot.target_id, ReminderSlot.last_sent_at).where(
                ReminderSlot.target_kind == target_kind,
                ReminderSlot.target_id.in_(part),
                ReminderSlot.last_sent_at.is_not(None),
            )
        )
        found.update({tid: last + REMINDER_INTERVAL for tid, last in rows if last is not None})
    return found


def remind(
    session: Session,
    *,
    target_kind: str,
    target_ids: list[int],
    now: datetime,
    actor: Actor,
    send: Callable[[int], bool],
    agency_id: int | None = None,
) -> ReminderResult:
    """Remind each target at most once per REMINDER_INTERVAL; ``send(id)`` queues the mail and says if it did.

    Call it in a writer session (BEGIN IMMEDIATE on SQLite), before any audit event of the same transaction
    (see below); the caller commits.
    """
    result = ReminderResult()
    staff_id = actor.id if actor.kind == "staff" else None
    # First every slot is locked (in id order), then mails are queued and audited: the audit trail's head
    # row is locked by the first audit event, so taking it only after all slots means two overlapping bulk
    # reminders cannot each hold what the other waits for.
    due: list[int] = []
    for target_id in sorted(set(target_ids)):
        _ensure_slot(session, target_kind, target_id)
        last = session.execute(
            select(ReminderSlot.last_sent_at)
            .where(ReminderSlot.target_kind == target_kind, ReminderSlot.target_id == target_id)
            .with_for_update()
        ).scalar_one()
        if last is not None and now < last + REMINDER_INTERVAL:
            result.skipped.append((target_id, last + REMINDER_INTERVAL))
        else:
            due.append(target_id)
    for target_id in due:
        if not send(target_id):
            result.failed.append(target_id)
            continue
        session.execute(
            update(ReminderSlot)
            .where(ReminderSlot.target_kind == target_kind, ReminderSlot.target_id == target_id)
            .values(last_sent_at=now)
        )
        session.add(Reminder(target_kind=target_kind, target_id=target_id, sent_by=staff_id, sent_at=now))
        audit.record(session, actor, "reminder.sent", target_kind, target_id, agency_id=agency_id)
        result.reminded.append(target_id)
    return result
