""" "Mes salariés" search-as-you-type benchmark (issue 7, F6.2): N employees on one establishment (bulk insert
through Core, whose column defaults fill the search keys), then the first page of the searches a person types
one key at a time — 1 to 4 characters of last names, first names and matricules — plus the unfiltered list,
the "non activés" filter and the counts, timed server-side (the service on its own session, as a request).

Goal: ≤ 100 ms per query with 100,000 employees, on SQLite and PostgreSQL. Prints p50 and p95; asserts only
that the answers are right (every row matches the prefix). Sizes (environment): COFFREO_BENCH_EMPLOYEES
(default 20000 in the suite; the goal's size is 100000), COFFREO_BENCH_RUNS (default 20). On PostgreSQL too
with COFFREO_BENCH_POSTGRES=1 and the database URL. Full size, alone:
`COFFREO_BENCH_EMPLOYEES=100000 .venv/bin/python -m pytest tests/bench/test_employees_search_bench.py -s`.
"""

from __future__ import annotations

import itertools
import os
import random
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from coffreo_desktop.domain.search_text import search_key
from coffreo_desktop.server.db.models import Agency, Brand, Company, Employee, EmployeeAgency
from coffreo_desktop.server.services import employees_admin
from coffreo_desktop.server.services.employees_admin import Status
from tests.bench.test_search_bench import FIRST_NAMES, LAST_NAMES, figures
from tests.support import ServerHarness

pytestmark = pytest.mark.bench

EMPLOYEES = int(os.environ.get("COFFREO_BENCH_EMPLOYEES", "20000"))
RUNS = int(os.environ.get("COFFREO_BENCH_RUNS", "20"))
BATCH = 10_000
GOAL_MS = 100.0
#: What a person types, one key after the other: frequent and rare surnames, a first name, matricules.
TYPED = ("martin", "lefèvre", "kowalski", "camille", "éric", "1234", "0099", "zz")


def synthetic_employees(
    count: int, brand_id: int, harness: ServerHarness, seed: int = 7
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    now = harness.clock()
    first_names = (*FIRST_NAMES, "Éric", "Éloïse")
    for i in range(count):
        created = now - timedelta(days=rng.randrange(3000))
        activated = rng.random() < 0.6
        yield {
            "brand_id": brand_id,
            "matricule": f"{rng.randrange(10**6):06d}{i:06d}",
            "first_name": rng.choice(first_names),
            "last_name": rng.choice(LAST_NAMES)
            + ("" if rng.random() < 0.7 else f"-{rng.choice(LAST_NAMES)}"),
            "email": f"salarie{i}@exemple.fr",
            "created_at": created,
            "vault_created_at": created,
            "vault_activated_at": created + timedelta(days=2) if activated else None,
        }


def fill(harness: ServerHarness, count: int) -> int:
    now = harness.clock()
    with harness.session() as s, s.begin():
        brand = Brand(code="BENCHS", name="Marque banc d'essai", created_at=now)
        s.add(brand)
        s.flush()
        company = Company(brand_id=brand.id, name="Société banc d'essai", created_at=now)
        s.add(company)
        s.flush()
        agency = Agency(company_id=company.id, brand_id=brand.id, code="BS", name="Grande agence")
        s.add(agency)
        s.flush()
        brand_id, agency_id = brand.id, agency.id
    engine = harness.ctx.db.engine
    rows = synthetic_employees(count, brand_id, harness)
    with engine.connect() as conn:
        while batch := list(itertools.islice(rows, BATCH)):
            with conn.begin():
                conn.execute(insert(Employee), batch)
        with conn.begin():
            ids = list(conn.scalars(select(Employee.id).where(Employee.brand_id == brand_id)))
            for start in range(0, len(ids), BATCH):
                links = [{"employee_id": i, "agency_id": agency_id} for i in ids[start : start + BATCH]]
                conn.execute(insert(EmployeeAgency), links)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE employees"))
            conn.execute(text("VACUUM ANALYZE employee_agencies"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return agency_id


def timed(harness: ServerHarness, work: Any) -> tuple[list[float], Any]:
    samples, result = [], None
    for _ in range(RUNS):
        with harness.ctx.db.reader() as s:
            started = time.perf_counter()
            result = work(s)
            samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def test_search_as_you_type_over_many_employees(empty_server: ServerHarness, database_kind: str) -> None:
    started = time.perf_counter()
    agency_id = fill(empty_server, EMPLOYEES)
    print(f"\n[{database_kind}] {EMPLOYEES} salariés insérés en {time.perf_counter() - started:.1f} s")
    worst = 0.0
    for word in TYPED:
        for typed in dict.fromkeys(word[:length] for length in range(1, 5)):
            samples, page = timed(
                empty_server, lambda s, q=typed: employees_admin.list_employees(s, agency_id, query=q)
            )
            key = search_key(typed)
            assert all(
                any(search_key(v).startswith(key) for v in (r.last_name, r.first_name, r.matricule))
                for r in page.items
            )
            worst = max(worst, sorted(samples)[len(samples) // 2])
            print(f"[{database_kind}] q={typed!r:8} {len(page.items):3} lignes  {figures(samples)}")
    for label, work in (
        ("liste", lambda s: employees_admin.list_employees(s, agency_id)),
        ("non activés", lambda s: employees_admin.list_employees(s, agency_id, status=Status.NOT_ACTIVATED)),
        ("compteurs", lambda s: employees_admin.counts(s, agency_id)),
    ):
        samples, result = timed(empty_server, work)
        print(f"[{database_kind}] {label:12} {figures(samples)}")
    assert result.total == EMPLOYEES
    print(f"[{database_kind}] pire médiane de recherche : {worst:.1f} ms (objectif ≤ {GOAL_MS:.0f} ms)")
