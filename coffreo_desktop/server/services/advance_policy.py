"""The agency's advance policy read from the database and the maximum a worker may be granted today
(F5.6): deposited earnings of the current pay period minus advances already granted in it; the policy's
change by an administrator."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coffreo_desktop.domain.advances import AmountError, Maximum, Policy, format_euros, maximum, parse_amount
from coffreo_desktop.domain.limits import DISPLAY_TZ
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import AdvancePolicy, AdvanceRequest, Earning
from coffreo_desktop.server.errors import Invalid
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

PARIS = ZoneInfo(DISPLAY_TZ)


def policy_of(session: Session, agency_id: int) -> Policy:
    """The agency's policy, or the defaults (80 %, 800 €) when it never set one."""
    row = session.get(AdvancePolicy, agency_id)
    if row is None:
        return Policy()
    return Policy(percent=row.percent, ceiling_cents=row.ceiling_cents)


def paris_day_start(day: date) -> datetime:
    """The UTC instant at which ``day`` begins in Europe/Paris (days are Paris days, storage is UTC)."""
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)


def paris_today(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def current_earning(session: Session, employee_id: int, agency_id: int, today: date) -> Earning | None:
    """The deposit of the pay period containing ``today``; the latest such period if they overlap."""
    return session.scalar(
        select(Earning)
        .where(
            Earning.employee_id == employee_id,
            Earning.agency_id == agency_id,
            Earning.period_start <= today,
            Earning.period_end >= today,
        )
        .order_by(Earning.period_start.desc(), Earning.id.desc())
        .limit(1)
    )


def granted_between(session: Session, employee_id: int, agency_id: int, first: date, last: date) -> int:
    """Cents granted to the worker at the agency by acceptances decided from ``first`` to ``last`` (Paris)."""
    total = session.scalar(
        select(func.coalesce(func.sum(AdvanceRequest.granted_cents), 0)).where(
            AdvanceRequest.employee_id == employee_id,
            AdvanceRequest.agency_id == agency_id,
            AdvanceRequest.state == AdvanceState.ACCEPTED,
            AdvanceRequest.decided_at >= paris_day_start(first),
            AdvanceRequest.decided_at < paris_day_start(last + timedelta(days=1)),
        )
    )
    return int(total or 0)


def maximum_for(session: Session, employee_id: int, agency_id: int, today: date) -> Maximum:
    """What the worker may still be granted at the agency on ``today`` (a Paris date).

    Without an earnings deposit covering today, the ceiling applies over the calendar month.
    """
    policy = policy_of(session, agency_id)
    earning = current_earning(session, employee_id, agency_id, today)
    if earning is None:
        first = today.replace(day=1)
        last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        granted = granted_between(session, employee_id, agency_id, first, last)
        return maximum(policy, None, granted)
    granted = granted_between(session, employee_id, agency_id, earning.period_start, earning.period_end)
    return maximum(policy, earning.net_earned_cents, granted, earning.period_start, earning.period_end)


MAX_CEILING_CENTS = 10_000_000  # 100 000 €: far above any advance, a typing mistake otherwise


def _percent(value: str | int) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= 100:
        raise Invalid(
            "Le pourcentage du net gagné doit être un nombre entier entre 1 et 100.", code="invalid_percent"
        )
    return int(text)


def _ceiling(value: str | int | float) -> int:
    try:
        cents = parse_amount(value)
    except AmountError as error:
        detail = str(error).replace("Le montant", "Le plafond", 1)
        raise Invalid(detail, code="invalid_ceiling") from None
    if cents > MAX_CEILING_CENTS:
        raise Invalid(
            f"Le plafond ne peut pas dépasser {format_euros(MAX_CEILING_CENTS)}.", code="invalid_ceiling"
        )
    return cents


def set_policy(
    session: Session, actor: Actor, agency_id: int, percent: str | int, ceiling: str | int | float
) -> Policy:
    """Change the agency's policy (percent of the net earned, ceiling in euros); audited with the old and
    new values. Requests already decided keep their amounts; the new maximum applies from now on."""
    new = Policy(percent=_percent(percent), ceiling_cents=_ceiling(ceiling))
    old = policy_of(session, agency_id)
    row = session.get(AdvancePolicy, agency_id, with_for_update=True)
    if row is None:
        session.add(AdvancePolicy(agency_id=agency_id, percent=new.percent, ceiling_cents=new.ceiling_cents))
    else:
        row.percent, row.ceiling_cents = new.percent, new.ceiling_cents
    session.flush()
    audit.record(
        session,
        actor,
        "advance.policy_changed",
        "agency",
        agency_id,
        agency_id=agency_id,
        details={
            "old": {"percent": old.percent, "ceiling_cents": old.ceiling_cents},
            "new": {"percent": new.percent, "ceiling_cents": new.ceiling_cents},
        },
    )
    return new
