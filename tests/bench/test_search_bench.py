"""Documents search benchmark (issue 3): N synthetic documents, then for every sortable column over "tous"
the first page and a page N/1000 pages deep, timed server-side (the search service on its own session).

Prints p95 per column; asserts only that the pages hold the rows they should. Sizes (environment):
COFFREO_BENCH_DOCS (default 20000; the issue's goal is 1000000), COFFREO_BENCH_RUNS (default 20).
On PostgreSQL too when COFFREO_TEST_DATABASE_URL is set. Run alone: `.venv/bin/python -m pytest
tests/bench/test_search_bench.py -s`.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from coffreo_desktop.domain.documents import DocumentType, InvoiceState, SignatureState
from coffreo_desktop.domain.rights import Right
from coffreo_desktop.server.api.rules import load_rights
from coffreo_desktop.server.config import ServerSettings
from coffreo_desktop.server.db.models import Agency, Brand, Company, Document
from coffreo_desktop.server.services import documents, search_cursor
from tests.support import ServerHarness

pytestmark = pytest.mark.bench

DOCS = int(os.environ.get("COFFREO_BENCH_DOCS", "20000"))
RUNS = int(os.environ.get("COFFREO_BENCH_RUNS", "20"))
PAGE = 100
BATCH = 20_000
AGENCIES = 6
TODAY = date(2026, 3, 16)
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy"]
FIRST_NAMES = ["Camille", "Léa", "Hugo", "Lucas", "Chloé", "Inès", "Nathan", "Manon", "Jules"]
CLIENTS = ["Boulangerie Lemaire", "Transports Girard", "BTP Morel", "Logistique Faure", "Hôtel Mercier"]


def synthetic(index: int, rng: random.Random, agency_ids: list[int], sha: str) -> dict[str, object]:
    """One document row; names, numbers and states left empty where the type has none (NULL sorts)."""
    doc_type = rng.choice(list(DocumentType))
    for_client = doc_type in (DocumentType.INVOICE, DocumentType.PROVISION_CONTRACT)
    day = TODAY - timedelta(days=rng.randrange(3650))
    signature = (
        rng.choice([SignatureState.SIGNED, SignatureState.UNSIGNED])
        if doc_type.is_contract
        else SignatureState.NOT_REQUIRED
    )
    return {
        "agency_id": agency_ids[index % len(agency_ids)],
        "doc_type": doc_type,
        "title": f"{doc_type.label} {day:%m/%Y} n°{index}",
        "file_name": f"document-{index}.pdf",
        "blob_sha256": sha,
        "size": rng.randrange(20_000, 900_000),
        "pages": rng.randrange(1, 6),
        "document_date": day,
        "employee_last_name": None if for_client else rng.choice(LAST_NAMES),
        "employee_first_name": None if for_client else rng.choice(FIRST_NAMES),
        "matricule": None if for_client else f"M{rng.randrange(100_000):05d}",
        "client_name": rng.choice(CLIENTS) if for_client else None,
        "contract_number": f"C{index:08d}" if doc_type.is_contract else None,
        "invoice_number": f"F{index:08d}" if doc_type is DocumentType.INVOICE else None,
        "signature_state": signature,
        "invoice_state": rng.choice(list(InvoiceState)) if doc_type is DocumentType.INVOICE else None,
        "created_at": datetime(2016, 1, 1, tzinfo=UTC) + timedelta(seconds=index * 37),
        "changed_at": datetime(2016, 1, 1, tzinfo=UTC) + timedelta(seconds=index * 37),
    }


def fill(harness: ServerHarness, count: int) -> tuple[int, float]:
    """The organisation, one user with every right everywhere, and ``count`` documents; the fill time."""
    started = time.perf_counter()
    now = harness.clock()
    with harness.session() as s, s.begin():
        brand = Brand(code="BENCH", name="Marque banc d'essai", created_at=now)
        s.add(brand)
        s.flush()
        company = Company(brand_id=brand.id, name="Société banc d'essai", created_at=now)
        s.add(company)
        s.flush()
        for n in range(AGENCIES):
            s.add(Agency(company_id=company.id, brand_id=brand.id, code=f"B{n}", name=f"Agence {n}"))
    user_id = harness.make_user("bench@exemple.fr", {f"B{n}": tuple(Right) for n in range(AGENCIES)})
    sha = harness.ctx.blobs.put_bytes(b"%PDF-1.7\n% banc d'essai\n%%EOF\n")
    rng = random.Random(20260316)
    with harness.ctx.db.reader() as s:
        agency_ids = list(s.scalars(select(Agency.id).order_by(Agency.id)))
    with harness.session() as s:
        for start in range(0, count, BATCH):
            rows = [synthetic(i, rng, agency_ids, sha) for i in range(start, min(count, start + BATCH))]
            with s.begin():
                s.execute(insert(Document), rows)
    return user_id, time.perf_counter() - started


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18] if len(samples) > 1 else samples[0]


def deep_cursor(harness: ServerHarness, query: documents.SearchQuery, depth: int) -> str | None:
    """The cursor a client holds after following ``depth`` pages: the (key, id) of the row just before."""
    key, _ = documents.SORTS[query.sort]
    ascending = query.order is documents.Order.ASC
    ordering = (key.asc(), Document.id.asc()) if ascending else (key.desc(), Document.id.desc())
    with harness.ctx.db.reader() as s:
        row = s.execute(
            select(key, Document.id)
            .where(Document.deleted_at.is_(None))
            .order_by(*ordering)
            .offset(depth * query.limit - 1)
            .limit(1)
        ).first()
    if row is None:
        return None
    digest = documents.query_digest(query)
    return search_cursor.encode(search_cursor.Cursor(query.sort, query.order, digest, row[0], row[1]))


def test_search_first_and_deep_pages_for_every_sort(tmp_path: Path, database_url: str | None) -> None:
    harness = ServerHarness.start(ServerSettings(data_dir=tmp_path / "server", database_url=database_url))
    kind = "PostgreSQL" if database_url else "SQLite"
    try:
        user_id, filled = fill(harness, DOCS)
        print(f"\n[bench] {kind} : {DOCS} documents insérés en {filled:.1f} s")
        depth = max(1, DOCS // 1000)
        with harness.ctx.db.reader() as s:
            rights = load_rights(s, user_id)
        agencies = rights.visible_agencies()
        for sort in documents.SORTS:
            query = documents.SearchQuery(sort=sort, limit=PAGE, agency_ids=agencies)
            cursor = deep_cursor(harness, query, depth)
            figures = []
            for label, page_query in (("1re page", query), (f"page {depth}", replace(query, cursor=cursor))):
                samples = []
                for _ in range(RUNS):
                    with harness.ctx.db.reader() as s:
                        started = time.perf_counter()
                        page = documents.search(s, page_query, TODAY, rights)
                        samples.append((time.perf_counter() - started) * 1000)
                assert page.total == DOCS and len(page.items) == min(PAGE, DOCS)
                figures.append(
                    f"{label} p95 {p95(samples):6.1f} ms (médiane {statistics.median(samples):.1f})"
                )
            print(f"[bench] {kind} tri « {sort} » sur « tous » : " + " ; ".join(figures))
    finally:
        harness.close()
