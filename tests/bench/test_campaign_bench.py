"""Diffusion pilotée benchmarks (issue 5): the deposit's added time with 3 running campaigns in scope (goal
≤ 25 % over the same deposits with none) and a retroactive launch over past payslips (goal: 50,000 ≤ 10 s).

Sizes: COFFREO_BENCH_CAMPAIGN_DEPOSITS (default 300; the goal's size is 10000) and
COFFREO_BENCH_CAMPAIGN_RETRO (default 2000; the goal's size is 50000). Full size, by hand:
`COFFREO_BENCH_CAMPAIGN_DEPOSITS=10000 COFFREO_BENCH_CAMPAIGN_RETRO=50000 .venv/bin/pytest
tests/bench/test_campaign_bench.py -s` (with COFFREO_BENCH_POSTGRES=1 and the database URL for PostgreSQL
too).
"""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from fpdf import FPDF
from sqlalchemy import insert, select, update

from coffreo_desktop.domain.documents import DocumentType
from coffreo_desktop.domain.states import CampaignState
from coffreo_desktop.server.db.models import (
    Agency,
    Campaign,
    CampaignDelivery,
    CampaignDocument,
    Delivery,
    Document,
    Employee,
    EmployeeAgency,
    IntegrationKey,
)
from coffreo_desktop.server.services import campaign_triggers, ingest
from tests.support import ServerHarness

pytestmark = pytest.mark.bench

DEPOSITS = int(os.environ.get("COFFREO_BENCH_CAMPAIGN_DEPOSITS", "300"))
RETRO = int(os.environ.get("COFFREO_BENCH_CAMPAIGN_RETRO", "2000"))
BLOCK = 50  # deposits per block; blocks alternate with and without campaigns, so both see the same database
TODAY = date(2026, 3, 16)


def _pdf(text: str) -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=11)
    doc.text(20, 30, text)
    return bytes(doc.output())


def _employees(h: ServerHarness, prefix: str, count: int) -> list[int]:
    agency_id = h.agency_id("PAR11")
    now = h.clock()
    with h.session() as s, s.begin():
        brand_id = s.scalars(select(Agency.brand_id).where(Agency.id == agency_id)).one()
        rows = [
            {
                "brand_id": brand_id,
                "matricule": f"{prefix}{i:06d}",
                "first_name": "Jean",
                "last_name": f"Bench{i}",
                "email": f"{prefix.lower()}{i}@example.fr",
                "created_at": now,
                "vault_activated_at": now,
            }
            for i in range(count)
        ]
        s.execute(insert(Employee), rows)
        ids = list(
            s.scalars(select(Employee.id).where(Employee.matricule.like(f"{prefix}%")).order_by(Employee.id))
        )
        s.execute(
            insert(EmployeeAgency), [{"employee_id": e, "agency_id": agency_id, "since": now} for e in ids]
        )
    return ids


def _campaigns(h: ServerHarness, count: int, **kw: object) -> list[int]:
    user = h.make_user(f"bench{count}{len(kw)}@example.fr")
    content = _pdf("Note d'information")
    sha = h.ctx.blobs.put_bytes(content)
    ids = []
    with h.session() as s, s.begin():
        for n in range(count):
            row = Campaign(
                agency_id=h.agency_id("PAR11"),
                name=f"Bench {n}",
                state=CampaignState.ACTIVE,
                on_payslips=True,
                starts_on=TODAY,
                created_by=user,
                created_at=h.clock(),
                updated_at=h.clock(),
                **kw,
            )
            s.add(row)
            s.flush()
            s.add(
                CampaignDocument(
                    campaign_id=row.id, title=f"Note {n}", file_name="note.pdf", blob_sha256=sha,
                    size=len(content), pages=1,
                )
            )  # fmt: skip
            ids.append(row.id)
    return ids


@pytest.fixture
def harness(server: ServerHarness) -> ServerHarness:
    with server.session() as s, s.begin():
        s.execute(update(Campaign).values(state=CampaignState.CLOSED))  # the demo's own campaigns
    return server


def test_deposit_with_three_running_campaigns_adds_at_most_a_quarter(
    harness: ServerHarness, tmp_path: Path
) -> None:
    h = harness
    workers = _employees(h, "BD", DEPOSITS)
    matricules = {e: f"BD{i:06d}" for i, e in enumerate(workers)}
    campaigns = _campaigns(h, 3)
    with h.session() as s:
        brand_id = s.scalars(select(Agency.brand_id).where(Agency.code == "PAR11")).one()
    h.integration_key(brand_id)
    with h.session() as s:
        key_id = s.scalars(select(IntegrationKey.id).order_by(IntegrationKey.id.desc())).first()
    content = _pdf("Bulletin de paie fevrier 2026")
    path = tmp_path / "bulletin.pdf"
    spent = {True: 0.0, False: 0.0}
    for start in range(0, DEPOSITS, BLOCK):
        running = (start // BLOCK) % 2 == 1
        with h.session() as s, s.begin():
            state = CampaignState.ACTIVE if running else CampaignState.CLOSED
            s.execute(update(Campaign).where(Campaign.id.in_(campaigns)).values(state=state))
        for employee_id in workers[start : start + BLOCK]:
            path.write_bytes(content)
            data = ingest.DepositInput(
                agency="PAR11", doc_type=DocumentType.PAYSLIP, matricule=matricules[employee_id],
                period_start=date(2026, 2, 1), period_end=date(2026, 2, 28),
            )  # fmt: skip
            began = time.perf_counter()
            with h.ctx.db.writer() as s:
                ingest.deposit(
                    s, h.ctx.blobs, h.settings, key_id=key_id, brand_id=brand_id, data=data, path=path,
                    file_name="bulletin.pdf", idempotency_key=None, now=h.clock(),
                )  # fmt: skip
                s.commit()
            spent[running] += time.perf_counter() - began
    with_count = sum(
        1
        for start in range(0, DEPOSITS, BLOCK)
        for _ in workers[start : start + BLOCK]
        if (start // BLOCK) % 2
    )
    without_count = DEPOSITS - with_count
    with h.session() as s:
        delivered = len(
            s.scalars(select(CampaignDelivery.id).where(CampaignDelivery.campaign_id.in_(campaigns))).all()
        )
    assert delivered == 3 * with_count, "every deposit with the campaigns running triggered all three"
    per_with = spent[True] / with_count
    per_without = spent[False] / without_count
    added = per_with / per_without - 1
    print(
        f"\n[campaign bench] {DEPOSITS} payslips, each to a new employee (every deposit with campaigns "
        f"delivers 3 campaigns): {per_without * 1000:.2f} ms/deposit without, {per_with * 1000:.2f} ms with "
        f"3 running campaigns; added {added:.1%} (goal ≤ 25 %); projected for 10,000: "
        f"{per_without * 10000:.1f} s vs {per_with * 10000:.1f} s"
    )  # a figure to read, not a check: timings belong to no test (README, "How work gets done")


def test_retroactive_launch_over_past_payslips(harness: ServerHarness) -> None:
    h = harness
    workers = _employees(h, "BR", RETRO)
    agency_id = h.agency_id("PAR11")
    sha = h.ctx.blobs.put_bytes(_pdf("Bulletin"))
    past = h.clock() - timedelta(days=20)
    with h.session() as s, s.begin():
        s.execute(
            insert(Document),
            [
                {
                    "agency_id": agency_id, "doc_type": DocumentType.PAYSLIP, "title": "Bulletin de paie",
                    "file_name": "b.pdf", "blob_sha256": sha, "size": 1000, "pages": 1, "employee_id": e,
                    "document_date": date(2026, 2, 28), "matricule": f"BR{i:06d}", "origin": "deposit",
                    "created_at": past, "changed_at": past,
                }
                for i, e in enumerate(workers)
            ],
        )  # fmt: skip
        mine = select(Employee.id).where(Employee.matricule.like("BR%"))
        docs = s.execute(
            select(Document.id, Document.employee_id).where(Document.employee_id.in_(mine))
        ).all()
        s.execute(
            insert(Delivery), [{"document_id": d, "employee_id": e, "delivered_at": past} for d, e in docs]
        )
    (campaign_id,) = _campaigns(h, 1, retroactive_from=TODAY - timedelta(days=30))
    began = time.perf_counter()
    with h.session() as s:
        row = s.get(Campaign, campaign_id)
        assert row is not None
        count = campaign_triggers.deliver_retroactively(s, h.ctx.blobs, row, h.clock())
        s.commit()
    elapsed = time.perf_counter() - began
    assert count >= RETRO  # the demo's own recent payslips are reached too
    print(
        f"\n[campaign bench] retroactive launch over {RETRO} past payslips: {count} employees reached in "
        f"{elapsed:.2f} s (goal: 50,000 ≤ 10 s; projected {elapsed * 50000 / RETRO:.1f} s)"
    )
