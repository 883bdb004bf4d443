"""The append-only, hash-chained audit trail. Every write of every area goes through ``record``.

Each row's hash covers the previous row's hash and the row's own canonical content, so changing or
removing any row breaks the chain from that row on; ``verify`` finds the first bad row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coffreo_desktop.server.db.models import AuditEvent, AuditHead, utcnow

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does something: a staff user, a recipient, an integration key or the system itself."""

    kind: str
    id: int | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls("system")


def _canonical(
    event_id: int,
    at: datetime,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: str,
    agency_id: int | None,
    details: dict[str, Any],
) -> bytes:
    payload = {
        "id": event_id,
        "at": at.isoformat(timespec="microseconds"),
        "actor": [actor.kind, actor.id],
        "action": action,
        "target": [target_type, target_id],
        "agency": agency_id,
        "details": details,
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def chain_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + content).hexdigest()


def _locked_head(session: Session) -> AuditHead:
    """The head row, locked until the transaction ends (FOR UPDATE; SQLite's writer lock does the same).

    Migration 0001 seeds it. Should it be missing all the same, concurrent first writers each try to
    create it in a savepoint: one wins, the others' duplicate is ignored and they lock the winner's row.
    """
    locked = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.execute(locked).scalar_one_or_none()
    if head is not None:
        return head
    try:
        with session.begin_nested():
            session.execute(insert(AuditHead).values(id=1, last_id=0, last_hash=GENESIS))
    except IntegrityError:
        pass  # another writer created it first; its row is the one to lock
    return session.execute(locked).scalar_one()


def record(
    session: Session,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: object,
    *,
    agency_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it commits or rolls back with the change it records)."""
    head = _locked_head(session)
    clean = json.loads(json.dumps(details or {}, default=str))
    at = utcnow()
    event_id = head.last_id + 1
    content = _canonical(event_id, at, actor, action, target_type, str(target_id), agency_id, clean)
    digest = chain_hash(head.last_hash, content)
    event = AuditEvent(
        id=event_id,
        at=at,
        actor_kind=actor.kind,
        actor_id=actor.id,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        agency_id=agency_id,
        details=clean,
        prev_hash=head.last_hash,
        hash=digest,
    )
    session.add(event)
    head.last_id, head.last_hash = event_id, digest
    session.flush()
    return event


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def _rows(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def verify(session: Session) -> VerifyResult:
    """Walk the chain: ids must follow each other, each hash must match; the head must match the end."""
    prev_hash, expected_id, checked = GENESIS, 1, 0
    for row in _rows(session):
        if row.id != expected_id:
            return VerifyResult(False, checked, expected_id, f"ligne {expected_id} manquante")
        content = _canonical(
            row.id,
            row.at,
            Actor(row.actor_kind, row.actor_id),
            row.action,
            row.target_type,
            row.target_id,
            row.agency_id,
            row.details,
        )
        if row.prev_hash != prev_hash or chain_hash(prev_hash, content) != row.hash:
            return VerifyResult(False, checked, row.id, f"ligne {row.id} modifiée")
        prev_hash, expected_id, checked = row.hash, expected_id + 1, checked + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_id != expected_id - 1 or head.last_hash != prev_hash):
        return VerifyResult(False, checked, expected_id, f"ligne {expected_id} manquante (fin de la chaîne)")
    return VerifyResult(True, checked)
