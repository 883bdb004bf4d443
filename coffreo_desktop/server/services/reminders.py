"""The 24-hour reminder rule ("relancer", F6.2-3), per mailbox and in the database, for any kind of target.

The rule keys on the recipient's mailbox (lower-cased, stripped address) per kind of target, not on the row:
a person with two Employee rows (one per brand), or one address as user of two clients, is one mailbox.
Each mailbox has one ``reminder_slots`` row. A reminder first makes sure the rows exist (an insert that
ignores duplicates), then reads them FOR UPDATE: on PostgreSQL the rows stay locked until the caller's
transaction ends, so a second process reminding the same mailbox waits and then reads the new time (READ
COMMITTED re-reads a locked row); on SQLite the writer session's BEGIN IMMEDIATE serialises writers the same
way. The mail (queued in the outbox by ``send``), the slot, the history row and the audit event commit
together or not at all. Slots are inserted, then locked, in sorted address order (byte order on both
databases: models/ops.py MailboxKey), so two bulk reminders cannot deadlock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coffreo_desktop.domain.emails import normalize_email
from coffreo_desktop.domain.limits import REMINDER_INTERVAL
from coffreo_desktop.server.db.models import Reminder, ReminderSlot
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

#: Values per IN (...) clause (and a third of it for the three-column INSERT): a bulk reminder names at most
#: a few hundred recipients today, but the slots stay chunked so that a larger batch can never pass
#: PostgreSQL's 65,535 bind parameters per statement (or older SQLite's 999); the chunks run in the
#: caller's one transaction.
IN_CHUNK = 900

T = TypeVar("T")


def chunks(ids: Sequence[T], size: int | None = None) -> Iterator[list[T]]:
    """``ids`` in slices small enough for one IN clause."""
    step = size or IN_CHUNK
    for start in range(0, len(ids), step):
        yield list(ids[start : start + step])


def mailbox(email: str | None) -> str:
    """The key of the 24-hour rule: "" when there is no address (such a target is not slotted)."""
    return normalize_email(email or "")


@dataclass(frozen=True)
class ReminderResult:
    """Who was reminded, who was skipped and until when a new reminder is refused, who could not be sent."""

    reminded: list[int] = field(default_factory=list)
    skipped: list[tuple[int, datetime]] = field(default_factory=list)
    #: ``send`` answered False (no address, already activated...): nothing recorded, the 24 hours not started.
    failed: list[int] = field(default_factory=list)
    #: Not sent: another target of this call with the same mailbox got the mail (the lowest id due).
    same_mailbox: list[int] = field(default_factory=list)


def _insert_missing(session: Session, target_kind: str, addresses: list[str]) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # A multi-row INSERT binds three parameters per row: a third of IN_CHUNK rows stays under the same bound.
    for part in chunks(addresses, max(1, IN_CHUNK // 3)):
        rows = [{"target_kind": target_kind, "address": a, "last_sent_at": None} for a in part]
        session.execute(dialect.insert(ReminderSlot).values(rows).on_conflict_do_nothing())


def _lock(session: Session, target_kind: str, addresses: list[str]) -> dict[str, datetime | None]:
    """Each mailbox's slot, locked until the transaction ends (``addresses`` sorted: the lock order)."""
    _insert_missing(session, target_kind, addresses)
    found: dict[str, datetime | None] = {}
    for part in chunks(addresses):
        rows = session.execute(
            select(ReminderSlot.address, ReminderSlot.last_sent_at)
            .where(ReminderSlot.target_kind == target_kind, ReminderSlot.address.in_(part))
            .order_by(ReminderSlot.address)  # PostgreSQL locks in the order rows come out of the sort
            .with_for_update()
        )
        found.update({address: last for address, last in rows})
    return found


def remind(
    session: Session,
    *,
    target_kind: str,
    targets: Mapping[int, str],
    now: datetime,
    actor: Actor,
    send: Callable[[int], bool],
    agency_id: int | None = None,
) -> ReminderResult:
    """Remind each mailbox at most once per REMINDER_INTERVAL; ``targets`` maps each target id to its
    address, ``send(id)`` queues the mail and says if it did. Within one call the lowest due id of a
    mailbox gets the mail (the next one if its ``send`` fails), the others are ``same_mailbox``. A target
    without an address is not slotted: ``send`` says why it cannot be sent.

    Call it in a writer session (BEGIN IMMEDIATE on SQLite), before any audit event of the same transaction
    (see below); the caller commits.
    """
    result = ReminderResult()
    staff_id = actor.id if actor.kind == "staff" else None
    ids_of: dict[str, list[int]] = defaultdict(list)
    due: list[int] = []
    for target_id in sorted(set(targets)):
        address = mailbox(targets[target_id])
        if address:
            ids_of[address].append(target_id)
        else:
            due.append(target_id)
    # First every slot is locked (in address order), then mails are queued and audited: the audit trail's
    # head row is locked by the first audit event, so taking it only after all slots means two overlapping
    # bulk reminders cannot each hold what the other waits for.
    for address, last in _lock(session, target_kind, sorted(ids_of)).items():
        if last is not None and now < last + REMINDER_INTERVAL:
            result.skipped.extend((target_id, last + REMINDER_INTERVAL) for target_id in ids_of[address])
        else:
            due.extend(ids_of[address])
    result.skipped.sort()
    mailed: set[str] = set()
    for target_id in sorted(due):
        address = mailbox(targets[target_id])
        if address and address in mailed:
            result.same_mailbox.append(target_id)  # not recorded: the mailbox's 24 hours start once
            continue
        if not send(target_id):
            result.failed.append(target_id)
            continue
        if address:
            mailed.add(address)
        session.add(Reminder(target_kind=target_kind, target_id=target_id, sent_by=staff_id, sent_at=now))
        audit.record(session, actor, "reminder.sent", target_kind, target_id, agency_id=agency_id)
        result.reminded.append(target_id)
    for part in chunks(sorted(mailed)):
        session.execute(
            update(ReminderSlot)
            .where(ReminderSlot.target_kind == target_kind, ReminderSlot.address.in_(part))
            .values(last_sent_at=now)
        )
    return result
