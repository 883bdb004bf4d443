"""The "Demandes à traiter" queue (issue 6, F5.3): 10,000 pending requests over 50 agencies, among years of
answered ones; the first page for a DA user of all 50 agencies and for one agency, timed server-side
(the service call, and an in-process HTTP request with authentication and JSON). Goal: p95 ≤ 50 ms.
Figures are printed, nothing is asserted on time.

Sizes: COFFREO_BENCH_ADVANCES_PENDING (default 2000 in the suite; the goal's size is 10000),
COFFREO_BENCH_ADVANCES_AGENCIES (default 50). Full size:
`COFFREO_BENCH_ADVANCES_PENDING=10000 .venv/bin/pytest tests/bench/test_advances_bench.py -s` (with
COFFREO_BENCH_POSTGRES=1 and the database URL for PostgreSQL too).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import AdvanceRequest, Agency, Company, Employee, RightGrant, StaffUser
from coffreo_desktop.server.security import hash_password
from coffreo_desktop.server.services import advances
from coffreo_desktop.server.services.advances_sql import Filters
from tests.support import PASSWORD, ServerHarness

pytestmark = pytest.mark.bench

PENDING = int(os.environ.get("COFFREO_BENCH_ADVANCES_PENDING", "2000"))
AGENCIES = int(os.environ.get("COFFREO_BENCH_ADVANCES_AGENCIES", "50"))
ANSWERED_PER_PENDING = 3  # the history a few years leave behind
RUNS = 60
GOAL_MS = 50.0


def _fill(h: ServerHarness) -> list[int]:
    """AGENCIES new agencies, one worker per request, PENDING waiting and more answered; the agency ids."""
    now = h.clock()
    with h.session() as s, s.begin():
        company = s.scalars(select(Company).order_by(Company.id)).first()
        assert company is not None
        s.execute(
            insert(Agency),
            [
                {
                    "company_id": company.id,
                    "brand_id": company.brand_id,
                    "code": f"BA{n:03d}",
                    "name": f"Agence banc {n:03d}",
                    "created_at": now,
                }
                for n in range(AGENCIES)
            ],
        )
        agencies = list(s.scalars(select(Agency.id).where(Agency.code.like("BA%")).order_by(Agency.id)))
        s.execute(
            insert(Employee),
            [
                {
                    "brand_id": company.brand_id,
                    "matricule": f"BA{n:07d}",
                    "first_name": "Jeanne",
                    "last_name": f"Banc{n}",
                    "created_at": now,
                }
                for n in range(PENDING)
            ],
        )
        workers = list(
            s.scalars(select(Employee.id).where(Employee.matricule.like("BA%")).order_by(Employee.id))
        )
        rows = []
        for n, worker in enumerate(workers):
            agency = agencies[n % len(agencies)]
            created = now - timedelta(minutes=n)
            rows.append(
                {
                    "employee_id": worker,
                    "agency_id": agency,
                    "amount_cents": 10000 + n % 300 * 100,
                    "state": AdvanceState.SENT,
                    "created_at": created,
                }
            )
            for k in range(ANSWERED_PER_PENDING):
                answered = created - timedelta(days=30 * (k + 1))
                rows.append(
                    {
                        "employee_id": worker,
                        "agency_id": agency,
                        "amount_cents": 20000,
                        "state": AdvanceState.ACCEPTED if k % 2 else AdvanceState.REFUSED,
                        "granted_cents": 20000 if k % 2 else None,
                        "decided_at": answered + timedelta(hours=3),
                        "created_at": answered,
                    }
                )
        for start in range(0, len(rows), 5000):
            s.execute(insert(AdvanceRequest), rows[start : start + 5000])
        user = StaffUser(
            email="banc.da@exemple.fr",
            first_name="Banc",
            last_name="DA",
            password_hash=hash_password(PASSWORD),
            created_at=now,
        )
        s.add(user)
        s.flush()
        s.execute(
            insert(RightGrant),
            [
                {"user_id": user.id, "right": Right.ACOMPTES, "agency_id": a, "created_at": now}
                for a in agencies
            ],
        )
    return agencies


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _time(label: str, call: Callable[[], int], kind: str) -> None:
    call()  # warm the caches and the statement cache
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        count = call()
        samples.append((time.perf_counter() - start) * 1000)
    p95 = _p(samples, 0.95)
    verdict = "OK" if p95 <= GOAL_MS else "AU-DESSUS DE L'OBJECTIF"
    print(
        f"[{kind}] {label}: {count} lignes, médiane {statistics.median(samples):.1f} ms, "
        f"p95 {p95:.1f} ms (objectif ≤ {GOAL_MS:.0f} ms) {verdict}"
    )


def test_first_page_of_pending_requests(server: ServerHarness, database_kind: str) -> None:
    started = time.perf_counter()
    agencies = _fill(server)
    print(
        f"\n[{database_kind}] {PENDING} demandes en attente sur {len(agencies)} agences "
        f"(+{PENDING * ANSWERED_PER_PENDING} traitées) insérées en {time.perf_counter() - started:.1f} s"
    )
    every, one = frozenset(agencies), frozenset(agencies[:1])

    def service_page(scope: frozenset[int]) -> Callable[[], int]:
        def call() -> int:
            with server.ctx.db.reader() as session:
                page = advances.pending(session, Filters(scope), None, 100)
            assert page.total == (PENDING if len(scope) > 1 else PENDING // len(agencies))
            return len(page.items)

        return call

    _time(f"service, {len(agencies)} agences", service_page(every), database_kind)
    _time("service, 1 agence", service_page(one), database_kind)

    headers = server.login("banc.da@exemple.fr")

    def http_page(params: dict[str, int]) -> Callable[[], int]:
        def call() -> int:
            response = server.client.get("/api/v1/advances/pending", params=params, headers=headers)
            assert response.status_code == 200, response.text
            return len(response.json()["items"])

        return call

    _time(f"HTTP, {len(agencies)} agences", http_page({}), database_kind)
    _time("HTTP, 1 agence", http_page({"agency_id": agencies[0]}), database_kind)
    _time("HTTP, compteur (badge)", _count(server, headers), database_kind)


def _count(server: ServerHarness, headers: dict[str, str]) -> Callable[[], int]:
    def call() -> int:
        response = server.client.get("/api/v1/advances/pending/count", headers=headers)
        assert response.status_code == 200
        return int(response.json()["total"])

    return call
