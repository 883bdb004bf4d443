"""The recipients of a campaign (F4.7): a keyset-paged list, counts per day for the chart, and the CSV
export saved by the desktop or mailed to the caller through the outbox."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from coffreo_desktop.domain import campaigns as rules
from coffreo_desktop.domain.exports import CSV_ENCODING
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.server.db.models import Agency, Document, Employee, StaffUser
from coffreo_desktop.server.db.models.campaigns import Campaign, CampaignDelivery
from coffreo_desktop.server.errors import Invalid
from coffreo_desktop.server.mail import outbox
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

MAX_DAYS = 3 * 366  # a chart or an export spans at most three years
_PARIS = ZoneInfo(DISPLAY_TZ)


@dataclass(frozen=True, slots=True)
class DeliveryItem:
    employee_id: int
    matricule: str
    first_name: str
    last_name: str
    agency_name: str
    delivered_at: datetime
    id: int


def _bound(day: date | None) -> datetime | None:
    """Midnight of a Paris day, in UTC (the stored timestamps are UTC)."""
    if day is None:
        return None
    return datetime.combine(day, time(), tzinfo=_PARIS).astimezone(UTC)


def _checked_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None:
        if end < start:
            raise Invalid("La fin de la période doit suivre son début.", code="invalid_period")
        if (end - start).days > MAX_DAYS:
            raise Invalid("La période tient en trois ans au plus.", code="invalid_period")


def _query(campaign_id: int, start: date | None, end: date | None) -> Select[Any]:
    _checked_range(start, end)
    query = (
        select(
            CampaignDelivery.employee_id,
            Employee.matricule,
            Employee.first_name,
            Employee.last_name,
            func.coalesce(Agency.name, ""),
            CampaignDelivery.delivered_at,
            CampaignDelivery.id,
        )
        .join(Employee, Employee.id == CampaignDelivery.employee_id)
        .outerjoin(Document, Document.id == CampaignDelivery.trigger_document_id)
        .outerjoin(Agency, Agency.id == Document.agency_id)
        .where(CampaignDelivery.campaign_id == campaign_id)
    )
    lower, upper = _bound(start), _bound(end + timedelta(days=1) if end else None)
    if lower is not None:
        query = query.where(CampaignDelivery.delivered_at >= lower)
    if upper is not None:
        query = query.where(CampaignDelivery.delivered_at < upper)
    return query


def _item(row: tuple[object, ...]) -> DeliveryItem:
    employee_id, matricule, first, last, agency, at, row_id = row
    assert isinstance(at, datetime)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return DeliveryItem(
        int(str(employee_id)), str(matricule), str(first), str(last), str(agency), at, int(str(row_id))
    )


def _cursor(item: DeliveryItem) -> str:
    return f"{item.delivered_at.astimezone(UTC).isoformat()}~{item.id}"


def _after(cursor: str) -> tuple[datetime, int]:
    try:
        at, _, row_id = cursor.rpartition("~")
        return datetime.fromisoformat(at), int(row_id)
    except ValueError:
        raise Invalid("Curseur de pagination invalide.", code="invalid_cursor") from None


def page(
    session: Session, campaign_id: int, start: date | None, end: date | None, cursor: str | None, limit: int
) -> tuple[list[DeliveryItem], str | None, int]:
    """Newest first, ``limit`` at a time; the cursor is the last row's (time, id)."""
    query = _query(campaign_id, start, end)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if cursor:
        at, row_id = _after(cursor)
        query = query.where(
            or_(
                CampaignDelivery.delivered_at < at,
                and_(CampaignDelivery.delivered_at == at, CampaignDelivery.id < row_id),
            )
        )
    rows = session.execute(
        query.order_by(CampaignDelivery.delivered_at.desc(), CampaignDelivery.id.desc()).limit(limit + 1)
    ).all()
    items = [_item(tuple(r)) for r in rows[:limit]]
    return items, _cursor(items[-1]) if len(rows) > limit else None, total


def daily(session: Session, campaign_id: int, start: date | None, end: date | None) -> list[tuple[date, int]]:
    """Deliveries per Paris day, every day of the range (zeros included) so that a chart has no holes."""
    query = _query(campaign_id, start, end).with_only_columns(CampaignDelivery.delivered_at)
    counts: Counter[date] = Counter()
    for (at,) in session.execute(query):
        counts[(at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(_PARIS).date()] += 1
    if not counts and (start is None or end is None):
        return []
    first = start or min(counts)
    last = end or max(counts)
    return [
        (first + timedelta(days=n), counts[first + timedelta(days=n)]) for n in range((last - first).days + 1)
    ]


def rows(
    session: Session, campaign_id: int, start: date | None, end: date | None
) -> Iterator[rules.DeliveryRow]:
    query = _query(campaign_id, start, end).order_by(CampaignDelivery.delivered_at, CampaignDelivery.id)
    for row in session.execute(query.execution_options(yield_per=1000)):
        item = _item(tuple(row))
        yield rules.DeliveryRow(
            item.matricule, item.last_name, item.first_name, item.agency_name, item.delivered_at
        )


def csv_bytes(session: Session, campaign_id: int, start: date | None, end: date | None) -> Iterator[bytes]:
    """The CSV as UTF-8 with a byte-order mark (what French spreadsheets open without a wizard)."""
    first = True
    for line in rules.deliveries_csv(rows(session, campaign_id, start, end)):
        yield line.encode(CSV_ENCODING if first else "utf-8")
        first = False


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
    if start:
        return f"depuis le {start:%d/%m/%Y}"
    if end:
        return f"jusqu'au {end:%d/%m/%Y}"
    return "depuis son lancement"


def mail_export(
    session: Session, actor: Actor, campaign: Campaign, start: date | None, end: date | None, now: datetime
) -> int:
    """Queue the recipients' CSV to the caller (the outbox has no attachments: the CSV is the body's end)."""
    assert actor.id is not None
    user = session.get(StaffUser, actor.id)
    assert user is not None
    text_csv = "".join(rules.deliveries_csv(rows(session, campaign.id, start, end)))
    count = text_csv.count("\r\n") - 1
    body = (
        f"Bonjour,\n\nVoici les destinataires de la diffusion « {campaign.name} » {_period(start, end)} : "
        f"{count} salarié(s).\nLe tableau ci-dessous est au format CSV (séparateur « ; ») : copiez-le dans "
        f"un fichier .csv pour l'ouvrir dans un tableur.\n\n{text_csv}"
    )
    mail = outbox.queue(
        session,
        kind="campaign_export",
        to=user.email,
        subject=f"Export des destinataires — {campaign.name}",
        text=body,
        now=now,
    )
    audit.record(
        session,
        actor,
        "campaign.export_mail",
        "campaign_export",  # not a change: the stale-version message must not name the exporter
        campaign.id,
        agency_id=campaign.agency_id,
        details={"from": start, "to": end, "rows": count, "mail_id": mail.id},
    )
    return count
