"""Earnings deposited by the payroll/ERP (F5.6, F7.3): net earned to date per worker, agency and pay
period, the base of the advance maximum. Upserted on (worker, agency, period start), all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from coffreo_desktop.server.db.models import Agency, Earning, Employee, EmployeeAgency
from coffreo_desktop.server.errors import Invalid
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

MAX_ITEMS = 5000


@dataclass(frozen=True)
class EarningLine:
    matricule: str
    agency_code: str
    period_start: date
    period_end: date
    net_earned_cents: int


def _refused(number: int, detail: str, code: str) -> Invalid:
    return Invalid(f"Ligne {number} : {detail}", code=code, line=number)


def deposit(session: Session, actor: Actor, brand_id: int, lines: list[EarningLine], now: datetime) -> int:
    """Store every line for the key's brand, or none: an unknown matricule or agency refuses the deposit
    with 422 naming the (1-based) line. Returns the number of lines stored."""
    if len(lines) > MAX_ITEMS:
        raise Invalid(f"Au plus {MAX_ITEMS} lignes par dépôt ({len(lines)} reçues).", code="too_many_items")
    codes = {line.agency_code for line in lines}
    agencies = dict(
        session.execute(
            select(Agency.code, Agency.id).where(Agency.code.in_(codes), Agency.brand_id == brand_id)
        ).all()
    )
    matricules = {line.matricule for line in lines}
    employees = dict(
        session.execute(
            select(Employee.matricule, Employee.id).where(
                Employee.matricule.in_(matricules), Employee.brand_id == brand_id
            )
        ).all()
    )
    links = set(
        session.execute(
            select(EmployeeAgency.employee_id, EmployeeAgency.agency_id).where(
                EmployeeAgency.employee_id.in_(set(employees.values()))
            )
        ).all()
    )
    keyed: dict[tuple[int, int, date], EarningLine] = {}
    for number, line in enumerate(lines, start=1):
        agency = agencies.get(line.agency_code)
        if agency is None:
            raise _refused(
                number, f"agence inconnue « {line.agency_code} » pour cette clé.", "unknown_agency"
            )
        employee = employees.get(line.matricule)
        if employee is None:
            raise _refused(number, f"matricule inconnu « {line.matricule} ».", "unknown_matricule")
        if (employee, agency) not in links:
            raise _refused(
                number,
                f"le salarié « {line.matricule} » n'est pas rattaché à l'agence « {line.agency_code} ».",
                "employee_not_in_agency",
            )
        if line.period_end < line.period_start:
            raise _refused(number, "la fin de période précède son début.", "invalid_period")
        if line.net_earned_cents < 0:
            raise _refused(number, "le net gagné ne peut pas être négatif.", "invalid_amount")
        keyed[(employee, agency, line.period_start)] = line  # a repeated line: the last one wins
    existing = {
        (e.employee_id, e.agency_id, e.period_start): e
        for chunk in _chunks(list(keyed), 500)
        for e in session.scalars(
            select(Earning).where(
                tuple_(Earning.employee_id, Earning.agency_id, Earning.period_start).in_(chunk)
            )
        )
    }
    for key, line in keyed.items():
        row = existing.get(key)
        if row is None:
            session.add(
                Earning(
                    employee_id=key[0],
                    agency_id=key[1],
                    period_start=line.period_start,
                    period_end=line.period_end,
                    net_earned_cents=line.net_earned_cents,
                    deposited_at=now,
                )
            )
        else:
            row.period_end, row.net_earned_cents, row.deposited_at = (
                line.period_end,
                line.net_earned_cents,
                now,
            )
    audit.record(session, actor, "earnings.deposited", "brand", brand_id, details={"lines": len(lines)})
    return len(lines)


def _chunks(keys: list[tuple[int, int, date]], size: int) -> list[list[tuple[int, int, date]]]:
    return [keys[i : i + size] for i in range(0, len(keys), size)]
