"""Messages to support from "Contactez-nous" (F1.4): queued in the outbox, limited per address."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.emails import is_valid_email, normalize_email
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import RateEvent
from coffreo_desktop.server.errors import Invalid, Throttled
from coffreo_desktop.server.mail import outbox

MESSAGES_PER_HOUR = 5


def queue_message(
    session: Session,
    settings: ServerSettings,
    email: str,
    subject: str,
    message: str,
    *,
    address: str,
    now: datetime,
) -> str:
    email = normalize_email(email)
    if not is_valid_email(email):
        raise Invalid(
            "Adresse e-mail invalide : indiquez l'adresse à laquelle le support peut vous répondre.",
            code="invalid_email",
        )
    key = address or email
    recent = session.scalar(
        select(func.count())
        .select_from(RateEvent)
        .where(RateEvent.bucket == "support", RateEvent.key == key, RateEvent.at > now - timedelta(hours=1))
    )
    if (recent or 0) >= MESSAGES_PER_HOUR:
        raise Throttled(
            "Trop de messages envoyés au support depuis une heure. Réessayez plus tard.",
            code="support_throttled",
            retry_after=3600,
        )
    session.add(RateEvent(bucket="support", key=key, at=now))
    mail = outbox.queue(
        session,
        kind="support",
        to=settings.support_email,
        subject=f"[Contact] {subject.strip()}",
        text=f"Message de {email} :\n\n{message.strip()}\n",
        now=now,
    )
    return f"CT-{now:%Y%m%d}-{mail.id:06d}"
