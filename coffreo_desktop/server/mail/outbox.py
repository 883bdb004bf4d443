"""Queue a mail in the outbox, inside the caller's transaction: it leaves only if the change commits.

The sender claims each mail before delivering it. The claim needs no extra column: ``attempts`` is
bumped with an optimistic UPDATE (``WHERE attempts = :seen``) and ``last_error`` carries the state —
"" never tried, "sending <time> <owner>" in flight, "failed <time> <error>" waiting for a retry — so
two senders (threads or processes) never deliver the same mail twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coffreo_desktop.server.db.models import OutboxMail

#: A mail is given up after this many attempts (it stays in the table, with its last error).
MAX_ATTEMPTS = 5
#: Wait before attempt n+1 after n failed attempts: an SMTP outage of a few hours loses nothing.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
#: A claim older than this belongs to a sender that died mid-delivery: the mail may be taken again.
STALE_CLAIM = timedelta(minutes=10)
SENDING, FAILED = "sending ", "failed "
_ERROR_MAX = 500
#: Mails that carry a one-time link (security.new_token: prefix + URL-safe base64): staff invitations,
#: vault and client-space activations, export download links. Once sent, the kept copy loses the token.
#: Other mails (a support message typed by someone) keep their body as written.
#: The one-time signing code (six digits, hashed in the database, F7.1) goes the same way: its mail
#: (templates.signing_code) writes it right after "code de signature : ".
SECRET_KINDS = frozenset(
    {"invitation", "vault_invitation", "client_invitation", "export_ready", "signing_code"}
)
SECRET_TOKEN = re.compile(r"\b(?:inv|act|exp)_[A-Za-z0-9_-]{20,}")
SECRET_CODE = re.compile(r"(?<=code de signature : )\d{6}\b")
TOKEN_REMOVED = "[lien retiré après envoi]"
CODE_REMOVED = "[code retiré après envoi]"


def queue(
    session: Session, *, kind: str, to: str, subject: str, text: str, html: str = "", now: datetime
) -> OutboxMail:
    mail = OutboxMail(kind=kind, to_addr=to, subject=subject, body_text=text, body_html=html, created_at=now)
    session.add(mail)
    session.flush()
    return mail


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the claim compares against: the row is taken only if nobody changed it since it was read."""

    id: int
    attempts: int
    last_error: str


@dataclass(frozen=True, slots=True)
class ClaimedMail:
    """A snapshot of a claimed mail, usable after its transaction ended."""

    id: int
    kind: str
    to_addr: str
    subject: str
    body_text: str
    body_html: str
    created_at: datetime
    attempts: int


def _stamp(prefix: str, now: datetime, text: str) -> str:
    return f"{prefix}{now.isoformat(timespec='seconds')} {text}"[:_ERROR_MAX]


def _state_time(last_error: str) -> tuple[str, datetime | None]:
    for prefix in (SENDING, FAILED):
        if last_error.startswith(prefix):
            stamp = last_error[len(prefix) :].split(" ", 1)[0]
            try:
                return prefix, datetime.fromisoformat(stamp)
            except ValueError:
                return prefix, None
    return "", None


def is_due(candidate: Candidate, now: datetime) -> bool:
    """Never tried; failed and its retry delay is over; or claimed by a sender that must have died."""
    if candidate.attempts == 0:
        return True
    if candidate.attempts >= MAX_ATTEMPTS:
        return False
    state, at = _state_time(candidate.last_error)
    if at is None:
        return True  # an unknown marker (edited by hand): try again rather than keep the mail forever
    if state == SENDING:
        return now >= at + STALE_CLAIM
    delay = RETRY_DELAYS[min(candidate.attempts, len(RETRY_DELAYS)) - 1]
    return now >= at + delay


def due(
    session: Session, now: datetime, *, limit: int = 50, ids: Iterable[int] | None = None
) -> list[Candidate]:
    """Mails to try now, oldest first. Retries are read apart: they never starve new mail."""
    base = select(OutboxMail.id, OutboxMail.attempts, OutboxMail.last_error).where(
        OutboxMail.sent_at.is_(None)
    )
    if ids is not None:
        base = base.where(OutboxMail.id.in_(list(ids)))
    fresh = session.execute(base.where(OutboxMail.attempts == 0).order_by(OutboxMail.id).limit(limit)).all()
    retries = session.execute(
        base.where(OutboxMail.attempts > 0, OutboxMail.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    rows = [Candidate(*row) for row in [*retries, *fresh]]
    return sorted((c for c in rows if is_due(c, now)), key=lambda c: c.id)[:limit]


def claim(session: Session, candidate: Candidate, *, now: datetime, owner: str) -> ClaimedMail | None:
    """Take the mail for delivery, or None when another sender changed it first. Commit right after."""
    result = session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == candidate.id,
            OutboxMail.sent_at.is_(None),
            OutboxMail.attempts == candidate.attempts,
            OutboxMail.last_error == candidate.last_error,
        )
        .values(attempts=OutboxMail.attempts + 1, last_error=_stamp(SENDING, now, owner))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    row = session.execute(
        select(
            OutboxMail.id,
            OutboxMail.kind,
            OutboxMail.to_addr,
            OutboxMail.subject,
            OutboxMail.body_text,
            OutboxMail.body_html,
            OutboxMail.created_at,
            OutboxMail.attempts,
        ).where(OutboxMail.id == candidate.id)
    ).one()
    return ClaimedMail(*row)


def without_secret_tokens(body: str) -> str:
    return SECRET_CODE.sub(CODE_REMOVED, SECRET_TOKEN.sub(TOKEN_REMOVED, body))


def mark_sent(session: Session, mail_id: int, *, now: datetime) -> None:
    """Record the delivery. A one-time link now lives in the recipient's mailbox only: the copy kept here
    loses its token, so a read of the database (or of a backup) cannot open an account or an export."""
    values: dict[str, object] = {"sent_at": now, "last_error": ""}
    row = session.execute(
        select(OutboxMail.kind, OutboxMail.body_text, OutboxMail.body_html).where(OutboxMail.id == mail_id)
    ).first()
    if row is not None and row.kind in SECRET_KINDS:
        values |= {
            "body_text": without_secret_tokens(row.body_text),
            "body_html": without_secret_tokens(row.body_html),
        }
    session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def mark_failed(session: Session, mail_id: int, error: str, *, now: datetime) -> None:
    session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None))
        .values(last_error=_stamp(FAILED, now, error))
        .execution_options(synchronize_session=False)
    )


def error_text(mail: OutboxMail) -> str:
    """The last error without its state marker, for display ("" when none)."""
    state, _ = _state_time(mail.last_error)
    if state == FAILED:
        return mail.last_error.split(" ", 2)[2] if mail.last_error.count(" ") >= 2 else ""
    return ""
