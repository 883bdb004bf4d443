"""Earnings deposited by the payroll/ERP (F5.6, F7.3): net earned to date per worker, agency and pay
period, the base of the advance maximum. Upserted on (worker, agency, period start), all or nothing, safely
under concurrent deposits (ON CONFLICT DO UPDATE on PostgreSQL and SQLite)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coffreo_desktop.server.db.models import Agency, Earning, Employee, EmployeeAgency
from coffreo_desktop.server.errors import Invalid
from coffreo_desktop.server.services import audit
from coffreo_desktop.server.services.audit import Actor

MAX_ITEMS = 5000
CHUNK = 500  # rows per INSERT: 3 000 bound values, under every backend's limit


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
    rows = [
        {
            "employee_id": key[0],
            "agency_id": key[1],
            "period_start": line.period_start,
            "period_end": line.period_end,
            "net_earned_cents": line.net_earned_cents,
            "deposited_at": now,
        }
        # In key order: two deposits sharing keys lock their rows in the same order (no deadlock).
        for key, line in sorted(keyed.items())
    ]
    statement = _upsert(session)
    for chunk in _chunks(rows, CHUNK):
        session.execute(statement, chunk)
    audit.record(session, actor, "earnings.deposited", "brand", brand_id, details={"lines": len(lines)})
    return len(lines)


def _upsert(session: Session) -> Any:
    """INSERT … ON CONFLICT (employee, agency, period start) DO UPDATE, in the session's dialect: two
    deposits of the same key at once both succeed, the one committing last wins (a read-then-insert
    would let both insert, and the second fail on the unique constraint)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Earning)
    return statement.on_conflict_do_update(
        index_elements=[Earning.employee_id, Earning.agency_id, Earning.period_start],
        set_={
            "period_end": statement.excluded.period_end,
            "net_earned_cents": statement.excluded.net_earned_cents,
            "deposited_at": statement.excluded.deposited_at,
        },
    )


def _chunks(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]
