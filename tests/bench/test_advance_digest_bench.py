"""The 11:00 advance digest (issue 6, F5.5): 1,000 staff users holding DA over 200 agencies with requests
waiting, each mail rendered and queued (goal ≤ 2 s). Grants mix agency grants (5 to 20 agencies each) and
brand grants (one user in ten); answered requests fill the table as years of history would.

Sizes: COFFREO_BENCH_DIGEST_USERS (default 1000) and COFFREO_BENCH_DIGEST_AGENCIES (default 200), the goal's
size. `.venv/bin/pytest tests/bench/test_advance_digest_bench.py -s` (with COFFREO_BENCH_POSTGRES=1 and
the database URL for PostgreSQL too).
"""

from __future__ import annotations

import os
import random
import statistics
import time

import pytest
from sqlalchemy import func, insert, select

from coffreo_desktop.domain.rights import Right
from coffreo_desktop.domain.services import Service
from coffreo_desktop.domain.states import AdvanceState
from coffreo_desktop.server.db.models import (
    AdvanceRequest,
    Agency,
    Brand,
    BrandService,
    Company,
    Employee,
    OutboxMail,
    RightGrant,
    StaffUser,
)
from coffreo_desktop.server.services import advance_digest
from tests.support import ServerHarness

pytestmark = pytest.mark.bench

USERS = int(os.environ.get("COFFREO_BENCH_DIGEST_USERS", "1000"))
AGENCIES = int(os.environ.get("COFFREO_BENCH_DIGEST_AGENCIES", "200"))
BRANDS = 4
GOAL_SECONDS = 2.0
RUNS = 3


def _populate(h: ServerHarness, rng: random.Random) -> tuple[int, int]:
    """Brands, agencies, workers, requests (waiting and answered) and DA staff; returns (pending, agencies
    with pending)."""
    now = h.clock()
    with h.session() as s, s.begin():
        s.execute(
            insert(Brand),
            [{"code": f"B{b}", "name": f"Marque {b}", "created_at": now} for b in range(BRANDS)],
        )
        brands = list(s.scalars(select(Brand.id).order_by(Brand.id)))
        # The digest covers only brands with the "Demandes d'acomptes" service switched on.
        s.execute(
            insert(BrandService),
            [{"brand_id": b, "service": Service.ACOMPTES, "enabled_at": now} for b in brands],
        )
        s.execute(
            insert(Company), [{"brand_id": b, "name": f"Société {b}", "created_at": now} for b in brands]
        )
        companies = dict(s.execute(select(Company.brand_id, Company.id)).tuples().all())
        s.execute(
            insert(Agency),
            [
                {
                    "company_id": companies[brands[a % BRANDS]],
                    "brand_id": brands[a % BRANDS],
                    "code": f"AG{a:04d}",
                    "name": f"Agence {a:04d}",
                    "created_at": now,
                }
                for a in range(AGENCIES)
            ],
        )
        agencies = list(s.scalars(select(Agency.id).order_by(Agency.id)))
        s.execute(
            insert(Employee),
            [
                {
                    "brand_id": brands[e % BRANDS],
                    "matricule": f"M{e:06d}",
                    "first_name": "Jean",
                    "last_name": f"Bench{e}",
                    "email": f"w{e}@example.fr",
                    "created_at": now,
                }
                for e in range(2_000)
            ],
        )
        employees = list(s.scalars(select(Employee.id).order_by(Employee.id)))
        # One agency in ten has nothing waiting: its DA holders (alone there) get no mail.
        waiting_at = [a for i, a in enumerate(agencies) if i % 10 != 0]
        requests = []
        for agency in agencies:
            for _ in range(rng.randrange(1, 15) if agency in waiting_at else 0):
                requests.append((agency, AdvanceState.SENT))
            requests += [(agency, rng.choice(list(AdvanceState)[1:])) for _ in range(60)]  # history
        s.execute(
            insert(AdvanceRequest),
            [
                {
                    "employee_id": rng.choice(employees),
                    "agency_id": agency,
                    "amount_cents": rng.randrange(50, 800) * 100,
                    "state": state,
                    "created_at": now,
                }
                for agency, state in requests
            ],
        )
        s.execute(
            insert(StaffUser),
            [
                {
                    "email": f"da{u}@example.fr",
                    "first_name": f"Prénom{u}",
                    "last_name": f"Nom{u}",
                    "active": u % 50 != 7,  # a few left the company
                    "created_at": now,
                }
                for u in range(USERS)
            ],
        )
        users = list(s.scalars(select(StaffUser.id).order_by(StaffUser.id)))
        grants = []
        for index, user in enumerate(users):
            if index % 10 == 0:
                grants.append({"user_id": user, "right": Right.ACOMPTES, "brand_id": rng.choice(brands)})
            for agency in rng.sample(agencies, rng.randrange(5, 21)):
                grants.append({"user_id": user, "right": Right.ACOMPTES, "agency_id": agency})
            grants.append({"user_id": user, "right": Right.DIFFUSION, "agency_id": rng.choice(agencies)})
        s.execute(insert(RightGrant), [g | {"created_at": now} for g in grants])
    return sum(1 for _, st in requests if st is AdvanceState.SENT), len(waiting_at)


def test_the_digest_for_a_thousand_da_users_over_two_hundred_agencies(
    empty_server: ServerHarness, database_kind: str
) -> None:
    h = empty_server
    pending, waiting_agencies = _populate(h, random.Random(6))
    times = []
    for run in range(RUNS):
        with h.session() as s:
            started = time.perf_counter()
            sent = advance_digest.send_digest(s, h.ctx, f"bench-{run}", h.clock())
            times.append(time.perf_counter() - started)
            queued = s.scalar(select(func.count()).select_from(OutboxMail))
            s.rollback()  # the next run starts from the same database
        assert queued == sent
    median = statistics.median(times)
    print(
        f"\nadvance digest [{database_kind}]: {USERS} DA users, {AGENCIES} agencies "
        f"({waiting_agencies} with {pending} requests waiting) -> {sent} mails; "
        f"median {median * 1000:.0f} ms, best {min(times) * 1000:.0f} ms over {RUNS} runs "
        f"(goal ≤ {GOAL_SECONDS:.0f} s)"
    )
    assert sent > 0.8 * USERS  # inactive users and those with nothing waiting get none
