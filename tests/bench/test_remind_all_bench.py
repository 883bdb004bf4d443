""" "Relancer tous les non activés" benchmark (issue 7, F6.2): N not-activated employees on one establishment,
reminded batch after batch through the HTTP API (one request, one transaction per REMINDER_BATCH), then the
same walk again (everyone skipped by the 24-hour rule). Prints the time of each batch and per person.

Goal: a batch answers well inside the desktop's 10 s HTTP timeout. Asserts only that everyone is reminded
once. Size (environment): COFFREO_BENCH_REMIND (default 600 in the suite; full size 5000). On PostgreSQL too
with COFFREO_BENCH_POSTGRES=1 and the database URL. Full size, alone:
`COFFREO_BENCH_REMIND=5000 .venv/bin/python -m pytest tests/bench/test_remind_all_bench.py -s`.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select

from coffreo_desktop.domain.limits import REMINDER_BATCH
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.db.models import Agency, Brand, Company, Employee, EmployeeAgency
from tests.support import ServerHarness

pytestmark = pytest.mark.bench

EMPLOYEES = int(os.environ.get("COFFREO_BENCH_REMIND", "600"))
TIMEOUT_S = 10.0  # the desktop's HTTP timeout
ADMIN = "banc.relance@exemple.fr"


def fill(harness: ServerHarness, count: int) -> int:
    """One establishment with ``count`` employees whose vault was created and not activated."""
    now = harness.clock()
    with harness.session() as s, s.begin():
        brand = Brand(code="BENCHR", name="Marque relance", created_at=now)
        s.add(brand)
        s.flush()
        company = Company(brand_id=brand.id, name="Société relance", created_at=now)
        s.add(company)
        s.flush()
        agency = Agency(company_id=company.id, brand_id=brand.id, code="BR", name="Agence relance")
        s.add(agency)
        s.flush()
        brand_id, agency_id = brand.id, agency.id
    rows = [
        {
            "brand_id": brand_id,
            "matricule": f"R{i:07d}",
            "first_name": "Camille",
            "last_name": f"Relance {i}",
            "email": f"relance{i}@exemple.fr",
            "created_at": now - timedelta(days=3),
            "vault_created_at": now - timedelta(days=2),
        }
        for i in range(count)
    ]
    with harness.ctx.db.engine.begin() as conn:
        conn.execute(insert(Employee), rows)
        ids = list(conn.scalars(select(Employee.id).where(Employee.brand_id == brand_id)))
        conn.execute(insert(EmployeeAgency), [{"employee_id": i, "agency_id": agency_id} for i in ids])
    return agency_id


def walk(harness: ServerHarness, headers: dict[str, str], agency_id: int) -> list[tuple[float, Any]]:
    """Each batch's (milliseconds, answer), following next_after_id from the start."""
    batches: list[tuple[float, Any]] = []
    after_id = None
    while True:
        started = time.perf_counter()
        answer = harness.client.post(
            "/api/v1/admin/employees/reminders",
            params={"agency_id": agency_id},
            json={"all_not_activated": True, "after_id": after_id},
            headers=headers,
        )
        elapsed = (time.perf_counter() - started) * 1000
        assert answer.status_code == 200, answer.text[:300]
        batches.append((elapsed, answer.json()))
        after_id = answer.json()["next_after_id"]
        if after_id is None:
            return batches


def report(kind: str, label: str, batches: list[tuple[float, Any]]) -> None:
    for number, (ms, result) in enumerate(batches, start=1):
        people = result["reminded"] + len(result["skipped"]) + len(result["not_sent"])
        print(
            f"[{kind}] {label} lot {number:2}: {people:3} salariés en {ms:7.1f} ms "
            f"({ms / max(people, 1):.2f} ms/salarié), reste {result['remaining']}"
        )


def test_remind_all_batch_by_batch(empty_server: ServerHarness, database_kind: str) -> None:
    agency_id = fill(empty_server, EMPLOYEES)
    empty_server.make_user(ADMIN, {"BR": (Right.ADMIN,)})
    headers = empty_server.login(ADMIN)

    first = walk(empty_server, headers, agency_id)
    again = walk(empty_server, headers, agency_id)

    report(database_kind, "relance", first)
    report(database_kind, "reprise", again)
    slowest = max(ms for ms, _ in first + again)
    print(f"[{database_kind}] {EMPLOYEES} salariés, lot de {REMINDER_BATCH} le plus lent : {slowest:.0f} ms")
    assert sum(r["reminded"] for _, r in first) == EMPLOYEES
    assert sum(len(r["skipped"]) for _, r in again) == EMPLOYEES
    assert len(first) == -(-EMPLOYEES // REMINDER_BATCH)
    assert slowest < TIMEOUT_S * 1000
