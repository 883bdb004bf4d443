"""Queue a mail in the outbox, inside the caller's transaction: it leaves only if the change commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from coffreo_desktop.server.db.models import OutboxMail


def queue(
    session: Session, *, kind: str, to: str, subject: str, text: str, html: str = "", now: datetime
) -> OutboxMail:
    mail = OutboxMail(kind=kind, to_addr=to, subject=subject, body_text=text, body_html=html, created_at=now)
    session.add(mail)
    session.flush()
    return mail
